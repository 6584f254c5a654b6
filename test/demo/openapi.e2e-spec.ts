import { getMetadataStorage } from 'class-validator';
import { BatchItemDto, GetBalanceDto, GetStatusDto, SendBatchDto, SendSmsDto } from 'nestjs-sms';
import request from 'supertest';
import { type DemoApp, mappedRoutes, startDemo } from './demo-app';

interface Operation {
  parameters?: Array<{ name: string; in: string; required: boolean; schema: Record<string, unknown> }>;
  requestBody?: { content: Record<string, { schema: { $ref: string } }> };
  responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>;
}
interface Schema {
  properties: Record<string, Record<string, unknown>>;
  required?: string[];
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

/** The fields a library DTO validates (its class-validator metadata, inherited ones included). */
function validatedFields(dto: new () => object): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))].sort();
}

describe('demo OpenAPI document', () => {
  let demo: DemoApp;
  let doc: Document;

  beforeAll(async () => {
    demo = await startDemo();
    doc = (await request(demo.app.getHttpServer()).get('/docs-json').expect(200)).body;
  });
  afterAll(() => demo.close());

  const bodySchema = (path: string, method: string): Schema => {
    const ref = doc.paths[path][method].requestBody!.content['application/json'].schema.$ref;
    return doc.components.schemas[ref.split('/').pop()!];
  };

  it('serves the UI at /docs', async () => {
    const res = await request(demo.app.getHttpServer()).get('/docs').expect(200);
    expect(res.text).toContain('swagger-ui');
  });

  it('lists every route the demo maps', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m} ${path}`),
    );
    const routes = mappedRoutes(demo);
    expect(routes).toEqual(
      expect.arrayContaining([
        'post /sms',
        'post /sms/batch',
        'get /sms/status',
        'post /sms/cost',
        'get /sms/balance',
        'get /health/live',
        'get /health/ready',
      ]),
    );
    expect(documented.sort()).toEqual(routes.sort());
  });

  it.each(['/health/live', '/health/ready'])('%s documents the up (200) and down (503) answers', (path) => {
    const operation = doc.paths[path].get as Operation & { summary?: string; tags?: string[] };
    expect(operation.tags).toEqual(['health']);
    expect(operation.summary).toBeDefined();
    expect(Object.keys(operation.responses).sort()).toEqual(['200', '503']);
    for (const [status, value] of [
      ['200', 'ok'],
      ['503', 'error'],
    ]) {
      const schema = operation.responses[status].content?.['application/json'].schema as {
        properties: Record<string, { example?: unknown }>;
      };
      expect(schema.properties.status.example).toBe(value);
      expect(Object.keys(schema.properties).sort()).toEqual(['details', 'error', 'info', 'status']);
    }
  });

  it.each([
    ['/sms', 'post', SendSmsDto],
    ['/sms/cost', 'post', SendSmsDto],
    ['/sms/batch', 'post', SendBatchDto],
  ])('%s (%s) describes every field of its DTO', (path, method, dto) => {
    const schema = bodySchema(path, method);
    expect(Object.keys(schema.properties).sort()).toEqual(validatedFields(dto));
    for (const property of Object.values(schema.properties))
      expect(property.description ?? property.type).toBeDefined();
  });

  it('marks the required fields and shows their constraints', () => {
    const send = bodySchema('/sms', 'post');
    expect(send.required?.sort()).toEqual(['text', 'to']);
    expect(send.properties.to.oneOf).toEqual([
      expect.objectContaining({ type: 'string' }),
      expect.objectContaining({ type: 'array', items: expect.objectContaining({ type: 'string' }) }),
    ]);
    expect(send.properties.ttlMinutes).toMatchObject({ type: 'integer', minimum: 1, maximum: 1440 });
    expect(send.properties.sendAt).toMatchObject({ type: 'string', format: 'date-time' });

    const batch = bodySchema('/sms/batch', 'post');
    expect(batch.required).toEqual(['items']);
    const itemRef = (batch.properties.items.items as { $ref: string }).$ref;
    const item = doc.components.schemas[itemRef.split('/').pop()!];
    expect(Object.keys(item.properties).sort()).toEqual(validatedFields(BatchItemDto));
  });

  it.each([
    ['/sms/status', GetStatusDto],
    ['/sms/balance', GetBalanceDto],
  ])('%s documents every query parameter of its DTO', (path, dto) => {
    const parameters = doc.paths[path].get.parameters ?? [];
    expect(parameters.every((p) => p.in === 'query')).toBe(true);
    expect(parameters.map((p) => p.name).sort()).toEqual(validatedFields(dto));
  });

  it('documents the result and every error answer of each SMS route', () => {
    for (const [path, method, ok] of [
      ['/sms', 'post', '201'],
      ['/sms/batch', 'post', '201'],
      ['/sms/status', 'get', '200'],
      ['/sms/cost', 'post', '200'],
      ['/sms/balance', 'get', '200'],
    ]) {
      const responses = doc.paths[path][method].responses;
      expect(Object.keys(responses).sort()).toEqual([ok, '400', '422', '429', '502', '503'].sort());
      expect(responses[ok].content?.['application/json'].schema).toBeDefined();
      expect(responses['502'].content?.['application/json'].schema).toEqual({
        $ref: '#/components/schemas/ErrorResponse',
      });
    }
    expect(doc.components.schemas.ErrorResponse.properties).toHaveProperty('mayHaveBeenSent');
  });
});

describe('demo OpenAPI document with delivery-report endpoints', () => {
  const token = 'Tk7-wq2Lx9_ZpR4mVb8n';
  let demo: DemoApp;

  beforeAll(async () => {
    demo = await startDemo({
      SMS_PROVIDERS: 'pilot',
      SMS_PILOT_DRIVER: 'smspilot',
      SMS_PILOT_API_KEY: 'pilot-api-key',
      SMS_PILOT_BASE_URL: 'http://127.0.0.1:9',
      SMS_WEBHOOK_TOKEN: token,
    });
  });
  afterAll(() => demo.close());

  it('leaves the provider-facing callback endpoints out: they are mounted, not documented', async () => {
    const http = () => request(demo.app.getHttpServer());
    const res = await http().get(`/sms/webhooks/pilot/${token}?server_id=10001&status=2&error=0`).expect(200);
    expect(res.text).toBe('OK');
    const doc: Document = (await http().get('/docs-json').expect(200)).body;
    expect(Object.keys(doc.paths).filter((path) => path.includes('webhooks'))).toEqual([]);
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m} ${path}`),
    );
    // Nest mounts the endpoint middleware for every method: the only mapped routes left undocumented.
    const routes = mappedRoutes(demo);
    const callbacks = routes.filter((r) => r.endsWith(' /sms/webhooks/{provider}/{token}'));
    expect(callbacks).toEqual(
      expect.arrayContaining([
        'get /sms/webhooks/{provider}/{token}',
        'post /sms/webhooks/{provider}/{token}',
      ]),
    );
    expect(documented.sort()).toEqual(routes.filter((r) => !callbacks.includes(r)).sort());
  });
});
