import { getMetadataStorage } from 'class-validator';
import { type Redis } from 'ioredis';
import { SendSmsDto } from 'nestjs-sms';
import { SmsQueue } from 'nestjs-sms/queue';
import request from 'supertest';
import {
  connectRedis,
  LineLogger,
  REDIS_URL,
  removeKeys,
  testPrefix,
  waitFor,
} from '../queue/queue-test-kit';
import { closedPort } from '../health/health-app';
import { type DemoApp, mappedRoutes, startDemo } from './demo-app';

interface Schema {
  properties: Record<string, Record<string, unknown>>;
  required?: string[];
}

/** The fields a DTO validates (its class-validator metadata, inherited ones included). */
function validatedFields(dto: new () => object): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))];
}

describe('demo queue, REDIS_URL set (real Redis, memory provider)', () => {
  const prefix = testPrefix('demo');
  const env = { REDIS_URL, SMS_QUEUE_PREFIX: prefix, SMS_QUEUE_CONCURRENCY: '4' };
  let redis: Redis;
  let demo: DemoApp;
  const http = () => request(demo.app.getHttpServer());

  /** Every job the queue holds, whatever its state. */
  const jobCount = async (): Promise<number> => {
    const counts = await demo.app.get(SmsQueue, { strict: false }).queue.getJobCounts();
    return Object.values(counts).reduce((sum, n) => sum + n, 0);
  };

  /** Polls `GET /sms/queue/:jobId` until the job is in `state`. */
  const until = (jobId: string, state: string) =>
    waitFor(
      async () => {
        const res = await http().get(`/sms/queue/${jobId}`).expect(200);
        return res.body.state === state && res.body;
      },
      `job ${jobId} ${state}`,
      5_000,
      25,
    );

  beforeAll(async () => {
    redis = await connectRedis();
    demo = await startDemo(env);
  });
  afterEach(() => demo.outbox.reset());
  afterAll(async () => {
    await demo?.close();
    if (redis) {
      await removeKeys(redis, prefix);
      await redis.quit();
    }
  });

  it('POST /sms/queue → 202 { jobId }; the worker sends it and GET /sms/queue/:jobId tells so', async () => {
    const queued = await http()
      .post('/sms/queue')
      .send({ to: '+7 925 507-06-02', text: 'Queued hello', sender: 'MyShop', priority: 5 })
      .expect(202);
    expect(Object.keys(queued.body)).toEqual(['jobId']);
    expect(queued.body.jobId).toEqual(expect.any(String));

    const job = await until(queued.body.jobId, 'completed');
    expect(job).toMatchObject({
      jobId: queued.body.jobId,
      attempts: 1,
      stalls: 0,
      possibleDuplicate: false,
      result: { provider: 'dev', messages: [{ to: '79255070602', accepted: true, status: 'delivered' }] },
    });
    expect(Date.parse(job.finishedAt)).toBeGreaterThanOrEqual(Date.parse(job.createdAt));
    expect(demo.outbox.to('79255070602')).toMatchObject([
      { text: 'Queued hello', sender: 'MyShop', id: job.result.messages[0].id },
    ]);
    expect(await redis.exists(`${prefix}:sms:${queued.body.jobId}`)).toBe(1);
  });

  it('delay holds the job: it waits as delayed and nothing is sent', async () => {
    const { body } = await http()
      .post('/sms/queue')
      .send({ to: '+79255070602', text: 'Later', delay: 60_000 })
      .expect(202);
    const job = (await http().get(`/sms/queue/${body.jobId}`).expect(200)).body;
    expect(job.state).toBe('delayed');
    expect(demo.outbox.size).toBe(0);
    await demo.app.get(SmsQueue, { strict: false }).queue.remove(body.jobId);
  });

  it.each([
    ['an invalid number', { to: '12', text: 'x' }, 'to'],
    ['an empty text', { to: '+79255070602', text: ' ' }, 'text'],
    ['an unknown field', { to: '+79255070602', text: 'x', urgent: true }, 'urgent'],
    ['a negative delay', { to: '+79255070602', text: 'x', delay: -1 }, 'delay'],
    ['priority 0', { to: '+79255070602', text: 'x', priority: 0 }, 'priority'],
    ['an unknown provider', { to: '+79255070602', text: 'x', provider: 'nope' }, 'provider'],
  ])('a body with %s → 400 VALIDATION, nothing queued', async (_, body, field) => {
    const before = await jobCount();
    const res = await http().post('/sms/queue').send(body).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION', outcome: 'not_sent' });
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(await jobCount()).toBe(before);
    expect(demo.outbox.size).toBe(0);
  });

  it('the same idempotencyKey twice → the same job, one message, the key kept in Redis', async () => {
    const body = { to: '+79255070602', text: 'Order 1042 shipped', idempotencyKey: 'order-1042-shipped' };
    const first = await http().post('/sms/queue').send(body).expect(202);
    const second = await http().post('/sms/queue').send(body).expect(202);
    expect(second.body.jobId).toBe(first.body.jobId);
    expect(first.body.jobId).toMatch(/^idem-[0-9a-f]{64}$/);

    await until(first.body.jobId, 'completed');
    const third = await http().post('/sms/queue').send(body).expect(202);
    expect(third.body.jobId).toBe(first.body.jobId);
    expect(demo.outbox.texts()).toEqual(['Order 1042 shipped']);
    const stored = JSON.parse((await redis.get(`${prefix}:idempotency:order-1042-shipped`))!);
    expect(stored).toMatchObject({ state: 'done' });
  });

  it('POST /sms idempotency keys hold across instances (Redis store): the second instance sends nothing', async () => {
    const body = { to: '+79255070602', text: 'Once only', idempotencyKey: 'signup-77' };
    const first = await http().post('/sms').send(body).expect(201);
    const other = await startDemo({ ...env, SMS_QUEUE_WORKER: 'false' });
    try {
      const again = await request(other.app.getHttpServer()).post('/sms').send(body).expect(201);
      expect(again.body.messages[0].id).toBe(first.body.messages[0].id);
      expect(other.outbox.size).toBe(0);
    } finally {
      await other.close();
    }
    expect(demo.outbox.texts()).toEqual(['Once only']);
  });

  it('GET /sms/queue/:jobId of an unknown job → 404', async () => {
    await http().get('/sms/queue/no-such-job').expect(404);
  });

  it('the OpenAPI document lists the queue routes with their body and answers', async () => {
    const doc = (await http().get('/docs-json').expect(200)).body;
    const documented = Object.entries(doc.paths as Record<string, object>).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m} ${path}`),
    );
    const routes = mappedRoutes(demo);
    expect(routes).toEqual(expect.arrayContaining(['post /sms/queue', 'get /sms/queue/{jobId}']));
    expect(documented.sort()).toEqual(routes.sort());

    const post = doc.paths['/sms/queue'].post;
    expect(Object.keys(post.responses).sort()).toEqual(['202', '400', '503', '504']);
    const ref: string = post.requestBody.content['application/json'].schema.$ref;
    const schema: Schema = doc.components.schemas[ref.split('/').pop()!];
    expect(Object.keys(schema.properties).sort()).toEqual(
      [...validatedFields(SendSmsDto), 'delay', 'priority'].sort(),
    );
    expect(schema.required?.sort()).toEqual(['text', 'to']);
    expect(schema.properties.priority).toMatchObject({ type: 'integer', minimum: 1, maximum: 2_097_152 });

    const get = doc.paths['/sms/queue/{jobId}'].get;
    expect(Object.keys(get.responses).sort()).toEqual(['200', '404', '503']);
    expect(get.parameters).toEqual([expect.objectContaining({ name: 'jobId', in: 'path', required: true })]);
  });
});

describe('demo queue, Redis unreachable (REDIS_URL to a closed port)', () => {
  let demo: DemoApp;
  let logger: LineLogger;
  const http = () => request(demo.app.getHttpServer());
  let started: number;

  beforeAll(async () => {
    logger = new LineLogger();
    const port = await closedPort();
    started = Date.now();
    demo = await startDemo(
      { REDIS_URL: `redis://127.0.0.1:${port}`, SMS_QUEUE_PREFIX: testPrefix('demo-down') },
      { logger },
    );
  });
  afterAll(() => demo?.close());

  it('POST /sms/queue and GET /sms/queue/:jobId → 503 with the error body within about 2 s, nothing queued', async () => {
    for (const call of [
      () => http().post('/sms/queue').send({ to: '+79255070602', text: 'x' }),
      () => http().get('/sms/queue/some-job'),
    ]) {
      const before = Date.now();
      const res = await call().expect(503);
      expect(Date.now() - before).toBeLessThan(3_500);
      expect(res.body).toMatchObject({
        statusCode: 503,
        code: 'UNAVAILABLE',
        outcome: 'not_sent',
        retryable: true,
        message: expect.stringMatching(/^Redis: /),
      });
      expect(JSON.stringify(res.body)).not.toContain('127.0.0.1');
    }
    expect(demo.outbox.size).toBe(0);
  }, 15_000);

  it('POST /sms with an idempotencyKey (Redis store) → 503 with the error body, nothing sent', async () => {
    const res = await http()
      .post('/sms')
      .send({ to: '+79255070602', text: 'once', idempotencyKey: 'k-1' })
      .expect(503);
    expect(res.body).toMatchObject({ statusCode: 503, code: 'UNAVAILABLE', outcome: 'not_sent' });
    expect(demo.outbox.size).toBe(0);
  }, 15_000);

  it('/health/ready → 503 with the queue down; /health/live stays 200', async () => {
    const res = await http().get('/health/ready').expect(503);
    expect(res.body.error.queue).toMatchObject({ status: 'down', reason: 'unreachable', queue: 'sms' });
    expect(res.body.info.sms).toMatchObject({ status: 'up' });
    await http().get('/health/live').expect(200);
  }, 15_000);

  it('the outage takes a handful of log lines, not one per reconnection attempt', async () => {
    await new Promise((r) => setTimeout(r, Math.max(0, 6_000 - (Date.now() - started))));
    const redisLines = logger.lines.filter((l) => /^Redis of /.test(l.message));
    expect(redisLines.length).toBeGreaterThanOrEqual(2);
    expect(redisLines.length).toBeLessThanOrEqual(10);
    expect(redisLines.map((l) => l.message.split(':')[0]).sort()).toEqual(
      expect.arrayContaining(['Redis of queue "sms"', 'Redis of the shared stores']),
    );
  }, 15_000);
});

describe('demo queue, REDIS_URL not set', () => {
  let demo: DemoApp;

  beforeAll(async () => {
    demo = await startDemo();
  });
  afterAll(() => demo.close());

  it('has no queue routes (404) and still sends through POST /sms', async () => {
    const http = () => request(demo.app.getHttpServer());
    await http().post('/sms/queue').send({ to: '+79255070602', text: 'x' }).expect(404);
    await http().get('/sms/queue/1').expect(404);
    expect(() => demo.app.get(SmsQueue, { strict: false })).toThrow();
    expect(mappedRoutes(demo).filter((r) => r.includes('/sms/queue'))).toEqual([]);
    await http().post('/sms').send({ to: '+79255070602', text: 'direct' }).expect(201);
    expect(demo.outbox.texts()).toEqual(['direct']);
  });
});
