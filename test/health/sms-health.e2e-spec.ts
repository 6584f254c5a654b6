import { type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { SmsError, SmsService } from 'nestjs-sms';
import { SmsRuFake } from '../fakes/smsru-fake.server';
import { bootHealthApp, closedPort } from './health-app';

const API_ID = 'e2e-secret-api-id-4242';

describe('SmsHealthIndicator with TerminusModule, against the fake SMS.ru', () => {
  let fake: SmsRuFake;
  let app: INestApplication | undefined;

  const smsru = (extra: Record<string, unknown> = {}) => ({
    providers: { main: { driver: 'smsru' as const, apiId: API_ID, baseUrl: fake.url, ...extra } },
  });
  const get = (path: string) => request(app!.getHttpServer()).get(path);

  beforeEach(async () => {
    fake = await SmsRuFake.start({ apiId: API_ID, balance: 1000 });
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await fake.close();
  });

  it('all up: 200 ok with the balance, the threshold and the latency', async () => {
    app = await bootHealthApp({ sms: smsru(), ready: { minBalance: 100 } });
    const res = await get('/health');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.info.sms).toMatchObject({
      status: 'up',
      provider: 'main',
      balance: 1000,
      threshold: 100,
      currency: 'RUB',
      circuit: 'closed',
      cached: false,
    });
    expect(typeof res.body.info.sms.latencyMs).toBe('number');
    const [balanceRequest] = fake.requestsTo('my/balance');
    expect(balanceRequest.form.get('api_id')).toBe(API_ID);
    expect(balanceRequest.url).not.toContain(API_ID);
    expect(JSON.stringify(res.body)).not.toContain(API_ID);
  });

  it('balance under the threshold: 503 low_balance with the figures', async () => {
    fake.balance = 42.5;
    app = await bootHealthApp({ sms: smsru(), ready: { minBalance: 100 } });
    const res = await get('/health');
    expect(res.status).toBe(503);
    expect(res.body.status).toBe('error');
    expect(res.body.error.sms).toMatchObject({
      status: 'down',
      provider: 'main',
      reason: 'low_balance',
      balance: 42.5,
      threshold: 100,
      currency: 'RUB',
    });
    expect(res.body.error.sms.latencyMs).toBeGreaterThanOrEqual(0);
    expect(res.body.error.sms.message).toBe('SMS provider "main" balance 42.5 RUB is under 100 RUB');
  });

  it('provider down (closed port): 503 unreachable, while liveness stays 200', async () => {
    const port = await closedPort();
    app = await bootHealthApp({ sms: smsru({ baseUrl: `http://127.0.0.1:${port}` }) });
    const ready = await get('/health');
    expect(ready.status).toBe(503);
    expect(ready.body.error.sms).toMatchObject({
      status: 'down',
      reason: 'unreachable',
      code: 'UNAVAILABLE',
    });
    expect(JSON.stringify(ready.body)).not.toContain(API_ID);
    const live = await get('/health/live');
    expect(live.status).toBe(200);
    expect(live.body.info.sms).toMatchObject({ status: 'up', providers: ['main'], defaultProvider: 'main' });
  });

  it('provider hanging: 503 timeout within timeoutMs + 200 ms, and probes do not pile up requests', async () => {
    fake.server.setHandler(() => ({ fault: 'hang' }));
    app = await bootHealthApp({ sms: smsru(), ready: { timeoutMs: 500 } });
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 10 }, () => get('/health')));
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(700);
    for (const res of answers) {
      expect(res.status).toBe(503);
      expect(res.body.error.sms).toMatchObject({ reason: 'timeout', code: 'TIMEOUT' });
    }
    expect(fake.requestsTo('my/balance')).toHaveLength(1);
    const again = await get('/health');
    expect(again.body.error.sms).toMatchObject({ reason: 'timeout', cached: true });
    expect(fake.requestsTo('my/balance')).toHaveLength(1);
  });

  it('liveness answers at once and asks nothing while the provider hangs', async () => {
    fake.server.setHandler(() => ({ fault: 'hang' }));
    app = await bootHealthApp({ sms: smsru() });
    const started = Date.now();
    const live = await get('/health/live');
    expect(live.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(200);
    expect(fake.requests).toHaveLength(0);
  });

  it('wrong key: 503 auth, and the key is nowhere in the answer', async () => {
    const wrong = 'wrong-secret-api-id-777';
    app = await bootHealthApp({ sms: smsru({ apiId: wrong }) });
    const res = await get('/health');
    expect(res.status).toBe(503);
    expect(res.body.error.sms).toMatchObject({ status: 'down', reason: 'auth', code: 'AUTH' });
    expect(fake.requestsTo('my/balance')[0].form.get('api_id')).toBe(wrong);
    expect(JSON.stringify(res.body)).not.toContain(wrong);
    expect(JSON.stringify(res.body)).not.toContain('api_id');
  });

  it('50 concurrent probes within the cache window: one request to the provider', async () => {
    fake.latencyMs = 100;
    app = await bootHealthApp({ sms: smsru(), ready: { minBalance: 1 } });
    const first = await Promise.all(Array.from({ length: 50 }, () => get('/health')));
    const later = await Promise.all(Array.from({ length: 50 }, () => get('/health')));
    for (const res of [...first, ...later]) expect(res.status).toBe(200);
    expect(fake.requestsTo('my/balance')).toHaveLength(1);
    expect(later.every((res) => res.body.info.sms.cached === true)).toBe(true);
  });

  it('circuit open after failed sends: 503 circuit_open without asking the provider', async () => {
    app = await bootHealthApp({ sms: { ...smsru(), circuitBreaker: { threshold: 2 }, retry: false } });
    fake.failRequests('sms/send', 220);
    const sms = app.get(SmsService);
    for (let i = 0; i < 2; i++) {
      await expect(sms.send({ to: '+79255070602', text: 'hello' })).rejects.toBeInstanceOf(SmsError);
    }
    expect(sms.circuitState('main')).toBe('open');
    const res = await get('/health');
    expect(res.status).toBe(503);
    expect(res.body.error.sms).toMatchObject({ status: 'down', reason: 'circuit_open', circuit: 'open' });
    expect(fake.requestsTo('my/balance')).toHaveLength(0);
    const live = await get('/health/live');
    expect(live.status).toBe(200);
    expect(live.body.info.sms.circuits).toEqual({ main: 'open' });
  });

  it('background refresh keeps the cache warm and stops when the app closes', async () => {
    app = await bootHealthApp({ sms: smsru(), health: { cacheTtlMs: 1_000, refreshIntervalMs: 100 } });
    expect((await get('/health')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 450));
    const refreshed = fake.requestsTo('my/balance').length;
    expect(refreshed).toBeGreaterThanOrEqual(3);
    const res = await get('/health');
    expect(res.body.info.sms.cached).toBe(true);
    await app.close();
    app = undefined;
    const atClose = fake.requestsTo('my/balance').length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.requestsTo('my/balance')).toHaveLength(atClose);
  });
});
