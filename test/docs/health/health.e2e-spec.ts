import { type INestApplication, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import { SmsModule, type SmsModuleOptions } from 'nestjs-sms';
import { SmsHealthIndicator, SmsHealthModule } from 'nestjs-sms/health';
import { SmsQueueModule } from 'nestjs-sms/queue';
import request from 'supertest';
import { SmsRuFake } from '../../fakes/smsru-fake.server';
import { closedPort } from '../../health/health-app';
import { REDIS_URL, connectRedis, removeKeys, testPrefix } from '../../queue/queue-test-kit';
import { docBlocks } from '../doc-blocks';
import { HealthModule } from './health.module';
import { HealthController as QueueHealthController } from './queue-health.controller';

const API_ID = 'health-docs-api-id-0001';

/** The JSON answers docs/health.md shows, found by what they hold. */
const samples = docBlocks('docs/health.md')
  .filter((b) => b.language === 'json')
  .map((b) => JSON.parse(b.code) as Record<string, Record<string, Record<string, unknown>>>);
const sample = (test: (s: (typeof samples)[number]) => unknown) => {
  const found = samples.find((s) => test(s));
  if (!found) throw new Error('docs/health.md no longer shows this answer');
  return found;
};
/** A documented answer, with the figures that change from run to run left open. */
const asDocumented = (body: Record<string, unknown>) => ({
  ...body,
  latencyMs: expect.any(Number),
  ...('checkedAt' in body && { checkedAt: expect.any(String) }),
});

describe('docs/health.md', () => {
  let smsru: SmsRuFake;
  let app: INestApplication | undefined;

  const start = async (sms: SmsModuleOptions, modules: unknown[] = [HealthModule]) => {
    const moduleRef = await Test.createTestingModule({
      imports: [SmsModule.forRoot(sms), ...(modules as never[])],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    return request(app.getHttpServer());
  };
  const main = (): SmsModuleOptions => ({ providers: { main: smsru.providerConfig() } });

  beforeAll(async () => {
    smsru = await SmsRuFake.start({ apiId: API_ID });
  });
  beforeEach(() => {
    smsru.reset();
    smsru.balance = 1000;
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  afterAll(() => smsru.close());

  describe('Set-up: the HealthModule of the page', () => {
    it('liveness: up without asking the provider, with the providers and their breakers', async () => {
      const http = await start({
        providers: { main: smsru.providerConfig(), backup: { driver: 'memory' } },
        failover: ['main', 'backup'],
      });
      const res = await http.get('/health/live').expect(200);
      const documented = sample((s) => s.sms?.providers).sms;
      expect(Object.keys(res.body.info.sms).sort()).toEqual(Object.keys(documented).sort());
      expect(res.body.info.sms).toEqual({
        ...documented,
        circuits: { main: 'closed', backup: 'closed' },
      });
      expect(smsru.requests).toHaveLength(0);
    });

    it('readiness: the balance against minBalance 100, through the balance request only', async () => {
      const http = await start(main());
      const res = await http.get('/health/ready').expect(200);
      expect(res.body.info.sms).toEqual(asDocumented(sample((s) => s.sms?.balance).sms));
      expect(smsru.requests.map((r) => r.path)).toEqual(['/my/balance']);
      expect(JSON.stringify(res.body)).not.toContain(API_ID);
    });

    it('a balance under minBalance: 503 low_balance with the figures and the library’s message', async () => {
      smsru.balance = 42.5;
      const http = await start(main());
      const res = await http.get('/health/ready').expect(503);
      const documented = sample((s) => s.error?.sms);
      expect(res.body.status).toBe(documented.status);
      expect(res.body.error.sms).toEqual(asDocumented(documented.error.sms));
    });

    it('a provider that is down fails readiness, never liveness', async () => {
      const port = await closedPort();
      const http = await start({
        providers: { main: { driver: 'smsru', apiId: API_ID, baseUrl: `http://127.0.0.1:${port}` } },
      });
      const ready = await http.get('/health/ready').expect(503);
      expect(ready.body.error.sms).toMatchObject({ reason: 'unreachable', code: 'UNAVAILABLE' });
      await http.get('/health/live').expect(200);
    });

    it('answers are reused for cacheTtlMs: fifty probes, then more, make one request', async () => {
      const http = await start(main());
      const first = await Promise.all(Array.from({ length: 50 }, () => http.get('/health/ready')));
      expect(first.every((r) => r.status === 200)).toBe(true);
      const later = await http.get('/health/ready').expect(200);
      expect(later.body.info.sms).toMatchObject({ cached: true, balance: 1000 });
      expect(smsru.requestsTo('my/balance')).toHaveLength(1);
    });

    it('a provider that hangs: the probe answers timeout at timeoutMs (2 s by default)', async () => {
      const http = await start(main());
      smsru.server.script({ fault: 'hang' });
      const started = Date.now();
      const res = await http.get('/health/ready').expect(503);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(res.body.error.sms).toMatchObject({ status: 'down', reason: 'timeout', code: 'TIMEOUT' });
    });

    it('the indicator listed in the providers of a module with TerminusModule uses the default options', async () => {
      @Module({ imports: [TerminusModule], providers: [SmsHealthIndicator] })
      class ChecksModule {}
      const moduleRef = await Test.createTestingModule({
        imports: [SmsModule.forRoot(main()), ChecksModule],
      }).compile();
      app = moduleRef.createNestApplication({ logger: false });
      await app.init();
      const indicator = moduleRef.get(SmsHealthIndicator);
      await expect(indicator.isHealthy('sms', { minBalance: 100 })).resolves.toMatchObject({
        sms: { status: 'up', balance: 1000, cached: false },
      });
      await expect(indicator.isHealthy('sms')).resolves.toMatchObject({ sms: { cached: true } });
      expect(smsru.requestsTo('my/balance')).toHaveLength(1);
    });

    it('without SmsModule in the application both checks are down, misconfigured', async () => {
      const moduleRef = await Test.createTestingModule({ imports: [HealthModule] }).compile();
      app = moduleRef.createNestApplication({ logger: false });
      await app.init();
      const http = request(app.getHttpServer());
      for (const path of ['/health/live', '/health/ready']) {
        const res = await http.get(path).expect(503);
        expect(res.body.error.sms).toMatchObject({ status: 'down', reason: 'misconfigured' });
      }
    });
  });

  describe("The queue's Redis: the readiness controller with SmsQueueHealthIndicator", () => {
    const prefix = testPrefix('docs-health');

    @Module({
      imports: [TerminusModule.forRoot({ logger: false }), SmsHealthModule.forRoot()],
      controllers: [QueueHealthController],
    })
    class QueueHealthModule {}

    afterAll(async () => {
      const redis = await connectRedis();
      await removeKeys(redis, prefix);
      redis.disconnect();
    });

    const withQueue = (connection: string) => [
      SmsQueueModule.forRoot({ connection, prefix, worker: false }),
      QueueHealthModule,
    ];

    it('both up: the provider and a PING of the queue’s Redis', async () => {
      await connectRedis().then((r) => r.disconnect());
      const http = await start(main(), withQueue(REDIS_URL));
      const res = await http.get('/health/ready').expect(200);
      expect(res.body.info.sms).toMatchObject({ status: 'up', provider: 'main', balance: 1000 });
      expect(res.body.info.queue).toEqual(
        asDocumented(sample((s) => (s.queue?.status as unknown) === 'up').queue),
      );
    });
  });
});
