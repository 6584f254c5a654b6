import { Test, type TestingModule } from '@nestjs/testing';
import { type Redis } from 'ioredis';
import { SmsModule, type SmsModuleOptions, SmsService } from 'nestjs-sms';
import { firstValueFrom, filter } from 'rxjs';
import { FakeHttpServer } from '../../fakes/fake-http-server';
import { SmsPilotFake } from '../../fakes/smspilot-fake.server';
import { SmsRuFake } from '../../fakes/smsru-fake.server';
import { closedPort } from '../../health/health-app';
import { connectRedis, removeKeys, testPrefix } from '../../queue/queue-test-kit';
import { withProviders } from '../configuration/point-providers';
import { fleetSmsModule } from './fleet';
import { OrderNotifications } from './order-notifications';
import { sendOnce } from './send-once';

const API_ID = 'reliability-api-id-0001';
const API_KEY = 'reliability-api-key-0001';
const FAST_RETRY = { maxAttempts: 3, initialDelayMs: 10, maxDelayMs: 20 };

describe('docs/reliability.md', () => {
  const env = { ...process.env };
  let smsru: SmsRuFake;
  let pilot: SmsPilotFake;
  let moduleRef: TestingModule | undefined;

  const boot = async (options: SmsModuleOptions, providers: unknown[] = []): Promise<SmsService> => {
    moduleRef = await Test.createTestingModule({
      imports: [SmsModule.forRoot(options)],
      providers: providers as never[],
    }).compile();
    return moduleRef.get(SmsService);
  };

  beforeAll(async () => {
    smsru = await SmsRuFake.start({ apiId: API_ID });
    pilot = await SmsPilotFake.start({ apiKey: API_KEY });
  });
  beforeEach(() => {
    process.env.SMSRU_API_ID = API_ID;
    process.env.SMSPILOT_API_KEY = API_KEY;
    smsru.reset();
    pilot.reset();
  });
  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
    process.env = { ...env };
  });
  afterAll(async () => {
    await smsru.close();
    await pilot.close();
  });

  describe('sendOnce: what to do after each failure class', () => {
    let http500: FakeHttpServer;
    let sms: SmsService;

    beforeAll(async () => {
      http500 = await FakeHttpServer.start(() => ({ status: 500, body: 'Internal Server Error' }));
    });
    afterAll(() => http500.close());
    beforeEach(async () => {
      const down = await closedPort();
      sms = await boot({
        providers: {
          main: smsru.providerConfig(),
          down: { driver: 'smsru', apiId: API_ID, baseUrl: `http://127.0.0.1:${down}` },
          broken: { driver: 'smsru', apiId: API_ID, baseUrl: http500.url },
          locked: { driver: 'smsru', apiId: 'a-key-sms-ru-refuses', baseUrl: smsru.url },
        },
        retry: FAST_RETRY,
      });
    });

    it('sent: the provider took it', async () => {
      expect(await sendOnce(sms, { to: '+79255070602', text: 'hi' })).toBe('sent');
      expect(smsru.requestsTo('sms/send')).toHaveLength(1);
    });

    it('failed: the number is on the stop list (a refused number comes back in the result)', async () => {
      smsru.recipient('79255070603', { code: 209 });
      expect(await sendOnce(sms, { to: '+79255070603', text: 'hi' })).toBe('failed');
    });

    it('failed: this account cannot send', async () => {
      expect(await sendOnce(sms, { to: '+79255070602', text: 'hi', provider: 'locked' })).toBe('failed');
    });

    it('retry-later: the provider cannot be reached, provably not sent', async () => {
      expect(await sendOnce(sms, { to: '+79255070602', text: 'hi', provider: 'down' })).toBe('retry-later');
    });

    it('reconcile: HTTP 500 after the request was written, one request only', async () => {
      http500.reset();
      expect(await sendOnce(sms, { to: '+79255070602', text: 'hi', provider: 'broken' })).toBe('reconcile');
      expect(http500.requests).toHaveLength(1);
    });

    it('reconcile: a number whose code nobody documented', async () => {
      smsru.recipient('79255070604', { code: 999 });
      expect(await sendOnce(sms, { to: '+79255070604', text: 'hi' })).toBe('reconcile');
    });
  });

  describe('Retries', () => {
    const bootRetries = async (): Promise<SmsService> => {
      const { sms } = await import('./retries');
      moduleRef = await withProviders([sms], { main: { baseUrl: smsru.url } }).compile();
      return moduleRef.get(SmsService);
    };

    it('retries an unavailable provider up to maxAttempts, then reports not sent', async () => {
      const sms = await bootRetries();
      smsru.server.script({ status: 503 }, { status: 503 });
      await expect(sms.send({ to: '+79255070602', text: 'hi' })).resolves.toMatchObject({
        messages: [{ accepted: true }],
      });
      expect(smsru.requestsTo('sms/send')).toHaveLength(3);

      smsru.reset();
      smsru.failRequests('sms/send', 220);
      await expect(sms.send({ to: '+79255070602', text: 'hi' })).rejects.toMatchObject({
        code: 'UNAVAILABLE',
        failure: 'unavailable',
        outcome: 'not_sent',
      });
      expect(smsru.requestsTo('sms/send')).toHaveLength(3);
    });

    it('never waits less than a Retry-After asks', async () => {
      const sms = await bootRetries();
      smsru.server.script({ status: 429, headers: { 'retry-after': '1' } });
      const started = Date.now();
      await sms.send({ to: '+79255070602', text: 'hi' });
      const [first, second] = smsru.requestsTo('sms/send');
      expect(second.at - first.at).toBeGreaterThanOrEqual(990);
      expect(Date.now() - started).toBeLessThan(5_000);
    });

    it('a burst of sends opens at most maxConcurrency (16) sockets', async () => {
      const sms = await bootRetries();
      smsru.latencyMs = 30;
      try {
        const sends = Array.from({ length: 48 }, (_, i) =>
          sms.send({ to: `+7925507${String(1000 + i).padStart(4, '0')}`, text: 'burst' }),
        );
        await Promise.all(sends);
      } finally {
        smsru.latencyMs = 0;
      }
      const connections = new Set(smsru.requestsTo('sms/send').map((r) => r.connection));
      expect(smsru.requestsTo('sms/send')).toHaveLength(48);
      expect(connections.size).toBeLessThanOrEqual(16);
      expect(connections.size).toBeGreaterThan(1);
    });
  });

  describe('Failover: SMS.ru, then SMSPilot', () => {
    const bootFailover = async (): Promise<SmsService> => {
      const { NotificationsModule } = await import('./failover.module');
      moduleRef = await withProviders([NotificationsModule], {
        main: { baseUrl: smsru.url },
        backup: { baseUrl: pilot.url },
      }).compile();
      return moduleRef.get(SmsService);
    };

    it('moves to SMSPilot once SMS.ru is unavailable and its retries are used up', async () => {
      const sms = await bootFailover();
      smsru.failRequests('sms/send', 220);
      const result = await sms.send({ to: '+79021234567', text: 'Your code: 4242' });
      expect(result.provider).toBe('backup');
      expect(result.messages[0]).toMatchObject({ accepted: true, provider: 'backup' });
      expect(result.attempts).toMatchObject([
        { provider: 'main', result: 'failed', error: { code: 'UNAVAILABLE', failure: 'unavailable' } },
        { provider: 'backup', result: 'sent' },
      ]);
      expect(smsru.requestsTo('sms/send')).toHaveLength(3);
      expect(pilot.requests).toHaveLength(1);
      expect(pilot.lastForm()).toMatchObject({ to: '79021234567', send: 'Your code: 4242' });
    });

    it('moves on at once when the account cannot send (no funds): no retry', async () => {
      const sms = await bootFailover();
      smsru.failRequests('sms/send', 201);
      const result = await sms.send({ to: '+79021234567', text: 'hi' });
      expect(result.provider).toBe('backup');
      expect(result.attempts[0].error).toMatchObject({ code: 'INSUFFICIENT_FUNDS', failure: 'account' });
      expect(smsru.requestsTo('sms/send')).toHaveLength(1);
    });

    it('never around a refusal: a number SMS.ru refused by its duplicate protection stays refused', async () => {
      const sms = await bootFailover();
      smsru.recipient('79021234567', { code: 231 });
      const result = await sms.send({ to: '+79021234567', text: 'hi' });
      expect(result.messages[0]).toMatchObject({
        accepted: false,
        provider: 'main',
        error: { code: 'LIMIT_EXCEEDED', failure: 'refused' },
      });
      expect(result.messages[0]).not.toHaveProperty('retryAfterSeconds');
      expect(pilot.requests).toHaveLength(0);
    });

    it.each([
      [
        'never twice: a reset after the request was written is unknown: one request, no failover',
        () => smsru.server.script({ fault: 'reset' }),
        { outcome: 'unknown', failure: 'unknown' },
        [1, 0],
      ],
      [
        'both providers down: maxAttempts × 2 = 6 requests, then not sent',
        () => {
          smsru.failRequests('sms/send', 220);
          pilot.reply({ status: 503 }, { status: 503 }, { status: 503 });
        },
        { outcome: 'not_sent', failure: 'unavailable' },
        [3, 3],
      ],
    ] as const)('%s', async (_name, fault, error, [toMain, toBackup]) => {
      const sms = await bootFailover();
      fault();
      await expect(sms.send({ to: '+79021234567', text: 'hi' })).rejects.toMatchObject(error);
      expect(smsru.requestsTo('sms/send')).toHaveLength(toMain);
      expect(pilot.requests).toHaveLength(toBackup);
    });

    it("checks the next provider's own limits first: SMSPilot wants ttlMinutes of at least 10", async () => {
      const sms = await bootFailover();
      smsru.failRequests('sms/send', 220);
      await expect(sms.send({ to: '+79021234567', text: 'hi', ttlMinutes: 5 })).rejects.toMatchObject({
        code: 'VALIDATION',
      });
      expect(pilot.requests).toHaveLength(0);
    });
  });

  describe('Circuit breakers', () => {
    it('opens after threshold consecutive outages; sends then skip the provider', async () => {
      const down = await closedPort();
      const sms = await boot({
        providers: {
          main: { driver: 'smsru', apiId: API_ID, baseUrl: `http://127.0.0.1:${down}` },
          backup: { driver: 'smspilot', apiKey: API_KEY, baseUrl: pilot.url },
        },
        failover: ['main', 'backup'],
        retry: false,
        // #region breaker
        circuitBreaker: { threshold: 5, halfOpenAfterMs: 30_000 }, // the defaults; `false` switches breakers off
        // #endregion breaker
      });
      const taken = pilot.messages.length;
      const opened = firstValueFrom(sms.events$.pipe(filter((e) => e.type === 'circuit-open')));
      for (let i = 0; i < 5; i++) {
        expect(sms.circuitState('main')).toBe('closed');
        expect((await sms.send({ to: '+79021234567', text: `${i}` })).provider).toBe('backup');
      }
      await expect(opened).resolves.toMatchObject({ provider: 'main' });
      expect(sms.circuitState('main')).toBe('open');
      const result = await sms.send({ to: '+79021234567', text: 'skipped' });
      expect(result.attempts[0]).toMatchObject({
        provider: 'main',
        result: 'skipped',
        error: { failure: 'unavailable' },
      });
      expect(pilot.messages.length - taken).toBe(6);
    });
  });

  describe('Idempotency keys', () => {
    it('one SMS an order, however often and however concurrently it is confirmed', async () => {
      await boot({ providers: { main: smsru.providerConfig() } }, [OrderNotifications]);
      const orders = moduleRef!.get(OrderNotifications);
      const order = { id: 'A-1001', phone: '+79255070602' };
      const [first, second] = await Promise.all([orders.confirm(order), orders.confirm(order)]);
      const third = await orders.confirm(order);
      expect(second).toEqual(first);
      expect(third).toEqual(first);
      expect(smsru.requestsTo('sms/send')).toHaveLength(1);
      await orders.confirm({ id: 'A-1002', phone: '+79255070602' });
      expect(smsru.requestsTo('sms/send')).toHaveLength(2);
    });

    it('after an unknown outcome every repeat fails the same way, and nothing is sent again', async () => {
      await boot({ providers: { main: smsru.providerConfig() } }, [OrderNotifications]);
      const orders = moduleRef!.get(OrderNotifications);
      smsru.server.script({ status: 502, body: 'Bad Gateway' });
      const order = { id: 'A-2001', phone: '+79255070602' };
      await expect(orders.confirm(order)).rejects.toMatchObject({ outcome: 'unknown' });
      await expect(orders.confirm(order)).rejects.toMatchObject({ outcome: 'unknown' });
      expect(smsru.requestsTo('sms/send')).toHaveLength(1);
    });

    it('after a provably unsent first call the key is free and the repeat sends', async () => {
      await boot({ providers: { main: smsru.providerConfig() }, retry: false }, [OrderNotifications]);
      const orders = moduleRef!.get(OrderNotifications);
      smsru.failRequests('sms/send', 220, 1);
      const order = { id: 'A-3001', phone: '+79255070602' };
      await expect(orders.confirm(order)).rejects.toMatchObject({ outcome: 'not_sent' });
      await expect(orders.confirm(order)).resolves.toMatchObject({ messages: [{ accepted: true }] });
      expect(smsru.requestsTo('sms/send')).toHaveLength(2);
    });
  });

  describe('Anti-flood', () => {
    it('refuses a breach before any request: RATE_LIMITED, refused, with retryAfterSeconds', async () => {
      const sms = await boot({
        providers: { main: smsru.providerConfig() },
        // #region antiflood
        antiFlood: {
          perNumber: [
            { max: 1, windowMs: 60_000 },
            { max: 10, windowMs: 86_400_000 },
          ], // 1 a minute, 10 a day
          perIp: [{ max: 20, windowMs: 3_600_000 }],
        },
        // #endregion antiflood
      });
      await sms.send({ to: '+79255070602', text: 'one', clientIp: '8.8.8.8' });
      expect(smsru.requestsTo('sms/send')[0].form.get('ip')).toBe('8.8.8.8');
      await expect(sms.send({ to: '+79255070602', text: 'two' })).rejects.toMatchObject({
        code: 'RATE_LIMITED',
        failure: 'refused',
        retryable: false,
        retryAfterSeconds: 60,
      });
      // 20 an hour from one address, whatever the numbers.
      for (let i = 1; i < 20; i++) {
        await sms.send({ to: `+792550710${String(i).padStart(2, '0')}`, text: 'hi', clientIp: '8.8.8.8' });
      }
      await expect(sms.send({ to: '+79255072000', text: 'hi', clientIp: '8.8.8.8' })).rejects.toMatchObject({
        code: 'RATE_LIMITED',
      });
      expect(smsru.requestsTo('sms/send')).toHaveLength(20);
    });
  });

  describe('a fleet sharing its idempotency keys and anti-flood counts in Redis', () => {
    const prefix = testPrefix('docs-fleet');
    let redis: Redis;
    let instances: TestingModule[] = [];

    beforeAll(async () => {
      const admin = await connectRedis();
      redis = admin.duplicate({ keyPrefix: `${prefix}:` });
      redis.on('error', () => undefined);
      admin.disconnect();
    });
    afterEach(async () => {
      await Promise.all(instances.map((m) => m.close()));
      instances = [];
    });
    afterAll(async () => {
      const admin = await connectRedis();
      await removeKeys(admin, prefix);
      admin.disconnect();
      redis.disconnect();
    });

    const instance = async (): Promise<SmsService> => {
      const moduleRef = await withProviders([fleetSmsModule(redis)], {
        main: { baseUrl: smsru.url },
      }).compile();
      instances.push(moduleRef);
      return moduleRef.get(SmsService);
    };

    it('a key used on one instance returns its result on another, without a request', async () => {
      const [a, b] = [await instance(), await instance()];
      const first = await a.send({ to: '+79255070611', text: 'hi', idempotencyKey: 'order:F-1' });
      const again = await b.send({ to: '+79255070611', text: 'hi', idempotencyKey: 'order:F-1' });
      expect(again.messages[0].id).toBe(first.messages[0].id);
      expect(smsru.requestsTo('sms/send')).toHaveLength(1);
      const admin = await connectRedis();
      expect(await admin.keys(`${prefix}:*`)).not.toEqual([]);
      admin.disconnect();
    });

    it("one instance's send counts against the limit on another", async () => {
      const [a, b] = [await instance(), await instance()];
      await a.send({ to: '+79255070612', text: 'one' });
      await expect(b.send({ to: '+79255070612', text: 'two' })).rejects.toMatchObject({
        code: 'RATE_LIMITED',
      });
      expect(smsru.requestsTo('sms/send')).toHaveLength(1);
    });
  });
});
