import { type Redis } from 'ioredis';
import request from 'supertest';
import { SmsRuFake } from '../fakes/smsru-fake.server';
import { connectRedis, REDIS_URL, removeKeys, testPrefix } from '../queue/queue-test-kit';
import { type DemoApp, startDemo } from './demo-app';

const API_ID = 'AB12CD34-0000-1111-2222-333344445555';

describe('demo health probes, memory provider (no settings)', () => {
  let demo: DemoApp;
  const http = () => request(demo.app.getHttpServer());

  beforeAll(async () => {
    demo = await startDemo();
  });
  afterAll(() => demo.close());

  it('GET /health/live → 200, in-process checks only, not cached by clients', async () => {
    const res = await http().get('/health/live').expect(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      info: { sms: { status: 'up', providers: ['dev'], defaultProvider: 'dev' } },
    });
    expect(res.headers['cache-control']).toContain('no-store');
  });

  it('GET /health/ready → 200 with the balance of the default provider (no queue key without REDIS_URL)', async () => {
    const res = await http().get('/health/ready').expect(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      info: { sms: { status: 'up', provider: 'dev', balance: 0, currency: 'RUB' } },
    });
    expect(Object.keys(res.body.info)).toEqual(['sms']);
  });
});

describe('demo health probes with the queue on (REDIS_URL, real Redis)', () => {
  const prefix = testPrefix('demo-health');
  let demo: DemoApp;
  let redis: Redis;

  beforeAll(async () => {
    redis = await connectRedis();
    demo = await startDemo({ REDIS_URL, SMS_QUEUE_PREFIX: prefix });
  });
  afterAll(async () => {
    await demo?.close();
    await removeKeys(redis, prefix);
    redis.disconnect();
  });

  it('GET /health/ready → 200 with the provider and the queue’s Redis up', async () => {
    const res = await request(demo.app.getHttpServer()).get('/health/ready').expect(200);
    expect(res.body.info).toEqual({
      sms: expect.objectContaining({ status: 'up', provider: 'dev' }),
      queue: { status: 'up', queue: 'sms', latencyMs: expect.any(Number) },
    });
  });
});

describe('demo health probes, SMS.ru (fake) and SMS_HEALTH_* settings', () => {
  let ru: SmsRuFake;
  let demo: DemoApp | undefined;
  const http = () => request(demo!.app.getHttpServer());
  const start = (env: Record<string, string> = {}) =>
    startDemo({
      SMS_PROVIDERS: 'main',
      SMS_MAIN_DRIVER: 'smsru',
      SMS_MAIN_API_ID: API_ID,
      SMS_MAIN_BASE_URL: ru.url,
      ...env,
    });

  beforeEach(async () => {
    ru = await SmsRuFake.start({ apiId: API_ID, balance: 250 });
  });
  afterEach(async () => {
    await demo?.close();
    demo = undefined;
    await ru.close();
  });

  it('ready → 200 while SMS.ru answers; SMS.ru down → 503 unreachable, live still 200', async () => {
    demo = await start({ SMS_HEALTH_MIN_BALANCE: '100', SMS_HEALTH_CACHE_TTL_MS: '0' });
    const up = await http().get('/health/ready').expect(200);
    expect(up.body.info.sms).toMatchObject({ status: 'up', provider: 'main', balance: 250, threshold: 100 });
    expect(ru.requestsTo('my/balance')).toHaveLength(1);

    await ru.close();
    const down = await http().get('/health/ready').expect(503);
    expect(down.body).toMatchObject({
      status: 'error',
      error: { sms: { status: 'down', provider: 'main', reason: 'unreachable', code: 'UNAVAILABLE' } },
    });
    expect(JSON.stringify(down.body)).not.toContain(API_ID);
    const live = await http().get('/health/live').expect(200);
    expect(live.body.info.sms).toMatchObject({ status: 'up', providers: ['main'] });
  });

  it('SMS_HEALTH_MIN_BALANCE above the balance → 503 low_balance', async () => {
    demo = await start({ SMS_HEALTH_MIN_BALANCE: '300.5' });
    const res = await http().get('/health/ready').expect(503);
    expect(res.body.error.sms).toMatchObject({ reason: 'low_balance', balance: 250, threshold: 300.5 });
    await http().get('/health/live').expect(200);
  });

  it('answers are cached for SMS_HEALTH_CACHE_TTL_MS (default 30 s): probes do not reach SMS.ru each time', async () => {
    demo = await start();
    await http().get('/health/ready').expect(200);
    await http().get('/health/ready').expect(200);
    await http().get('/health/ready').expect(200);
    expect(ru.requestsTo('my/balance')).toHaveLength(1);
  });

  it('SMS.ru hanging → 503 timeout after SMS_HEALTH_TIMEOUT_MS', async () => {
    demo = await start({ SMS_HEALTH_TIMEOUT_MS: '200' });
    ru.server.script({ fault: 'hang' });
    const started = Date.now();
    const res = await http().get('/health/ready').expect(503);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(res.body.error.sms).toMatchObject({ reason: 'timeout', code: 'TIMEOUT' });
  });
});
