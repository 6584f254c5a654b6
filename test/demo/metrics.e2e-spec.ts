import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { metrics } from '@opentelemetry/api';
import request from 'supertest';
import { type DemoTelemetry, startTelemetry } from '../../apps/demo/src/telemetry/telemetry';
import { type SmsRuFake } from '../fakes/smsru-fake.server';
import { type DemoApp } from './demo-app';
import { parsePrometheusText, samples } from './prometheus-text';

const KEY = 'mK4-9fQ2_zX7mL0pW3vB8nR5';
const API_ID = 'AB12CD34-0000-1111-2222-333344445555';
const LIBRARY_VERSION = (
  JSON.parse(readFileSync(join(__dirname, '../../libs/sms/package.json'), 'utf8')) as { version: string }
).version;
const NUMBERS = ['+79255070602', '+79161234567', '+79031112233'];

/**
 * The demo's `GET /metrics`: the OpenTelemetry SDK is started first, then the demo and the library are
 * loaded (`import()` after `startTelemetry`), as `main.ts` does, so that the library's instruments find
 * the meter provider.
 */
describe('demo GET /metrics (Prometheus exporter of the OpenTelemetry SDK)', () => {
  let telemetry: DemoTelemetry;
  let ru: SmsRuFake;
  let demo: DemoApp;
  const http = () => request(demo.app.getHttpServer());
  const scrape = async () => {
    const res = await http().get('/metrics').set('authorization', `Bearer ${KEY}`).expect(200);
    return res.text;
  };

  beforeAll(async () => {
    telemetry = startTelemetry();
    const [{ startDemo }, { SmsRuFake }] = await Promise.all([
      import('./demo-app'),
      import('../fakes/smsru-fake.server'),
    ]);
    ru = await SmsRuFake.start({ apiId: API_ID });
    demo = await startDemo(
      {
        DEMO_API_KEY: KEY,
        SMS_PROVIDERS: 'dev,main',
        SMS_DEV_DRIVER: 'memory',
        SMS_MAIN_DRIVER: 'smsru',
        SMS_MAIN_API_ID: API_ID,
        SMS_MAIN_BASE_URL: ru.url,
      },
      { telemetry },
    );
  });
  afterAll(async () => {
    await demo?.close();
    await ru?.close();
  });

  it('refuses /metrics without the API key exactly like the other routes', async () => {
    const other = await http().get('/sms/balance');
    for (const headers of [
      {},
      { authorization: 'Bearer wrong-key-0123456789abc' },
      { 'x-api-key': 'nope' },
    ]) {
      const res = await http().get('/metrics').set(headers);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="nestjs-sms demo"');
      expect(res.body).toEqual(other.body);
    }
    await http().get('/metrics').set('x-api-key', KEY).expect(200);
  });

  it('serves the text format with the names the exporter makes: `.` → `_`, `_total` on counters, scope labels', async () => {
    const meter = metrics.getMeter('demo-wiring-check', '1.2.3');
    const checks = meter.createCounter('demo.wiring.checks', {
      unit: '{check}',
      description: 'Wiring checks',
    });
    checks.add(2, { 'sms.provider': 'dev', 'sms.result': 'accepted' });
    checks.add(1, { 'sms.provider': 'dev', 'sms.result': 'accepted' });
    meter.createHistogram('demo.wiring.duration', { unit: 's' }).record(0.02, { 'sms.provider': 'dev' });

    const res = await http().get('/metrics').set('authorization', `Bearer ${KEY}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toContain('# TYPE demo_wiring_checks_total counter\n');
    expect(res.text).toContain('# UNIT demo_wiring_checks_total {check}\n');
    expect(res.text).toContain(
      'demo_wiring_checks_total{sms_provider="dev",sms_result="accepted",otel_scope_name="demo-wiring-check",otel_scope_version="1.2.3"} 3\n',
    );
    // The unit is not appended to the name: `s` stays out of `demo_wiring_duration_bucket`.
    expect(res.text).toContain('# TYPE demo_wiring_duration histogram\n');
    expect(res.text).toMatch(/^demo_wiring_duration_bucket\{sms_provider="dev",.*le="\+Inf"\} 1$/m);
    expect(res.text).toMatch(/^demo_wiring_duration_count\{sms_provider="dev",.*\} 1$/m);
    // The resource, with the demo's service name.
    expect(res.text).toMatch(/^target_info\{.*service_name="nestjs-sms-demo".*\} 1$/m);
  });

  it("counts the library's sms.messages after real sends: sms_messages_total by sms_provider and sms_result", async () => {
    await http()
      .post('/sms')
      .set('x-api-key', KEY)
      .send({ to: NUMBERS, text: 'Your code: 4821' })
      .expect(201);
    await http()
      .post('/sms')
      .set('x-api-key', KEY)
      .send({ to: NUMBERS.slice(0, 2), text: 'Заказ 42 отправлен', provider: 'main' })
      .expect(201);

    const text = await scrape();
    const all = parsePrometheusText(text);
    const scope = { otel_scope_name: 'nestjs-sms', otel_scope_version: LIBRARY_VERSION };
    expect(text).toContain('# TYPE sms_messages_total counter\n');
    expect(
      samples(all, 'sms_messages_total', { ...scope, sms_provider: 'dev', sms_result: 'accepted' }),
    ).toEqual([expect.objectContaining({ value: 3 })]);
    expect(
      samples(all, 'sms_messages_total', { ...scope, sms_provider: 'main', sms_result: 'accepted' }),
    ).toEqual([expect.objectContaining({ value: 2 })]);
    expect(samples(all, 'sms_segments_total', { ...scope, sms_provider: 'dev' })).toEqual([
      expect.objectContaining({ value: 3 }),
    ]);
    expect(
      samples(all, 'sms_provider_request_duration_count', {
        ...scope,
        sms_provider: 'main',
        sms_operation: 'send',
        sms_result: 'accepted',
      }),
    ).toEqual([expect.objectContaining({ value: 1 })]);
    expect(
      samples(all, 'sms_provider_request_duration_bucket', { ...scope, sms_provider: 'main', le: '0.005' }),
    ).toHaveLength(1);
    // No number, in any form, and no text.
    for (const number of NUMBERS) expect(text).not.toContain(number.slice(2));
    expect(text).not.toMatch(/4821|Заказ/);
    expect(text).not.toContain(API_ID);
  });

  it('documents GET /metrics in the OpenAPI document as text/plain', async () => {
    const doc = (await http().get('/docs-json').set('x-api-key', KEY).expect(200)).body as {
      paths: Record<
        string,
        Record<string, { tags: string[]; responses: Record<string, { content: object }> }>
      >;
    };
    expect(doc.paths['/metrics'].get.tags).toEqual(['metrics']);
    expect(Object.keys(doc.paths['/metrics'].get.responses['200'].content)).toEqual(['text/plain']);
  });
});
