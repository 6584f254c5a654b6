import { createServer, type Server, type Socket, connect } from 'node:net';
import { Test, type TestingModule } from '@nestjs/testing';
import { Redis } from 'ioredis';
import { SmsError, SmsModule, type SmsModuleOptions, SmsService } from 'nestjs-sms';
import { SmsOutbox } from 'nestjs-sms/testing';
import {
  RedisIdempotencyStore,
  RedisRateLimitStore,
  SmsQueue,
  SmsQueueModule,
  type SmsQueueModuleForRootOptions,
} from 'nestjs-sms/queue';
import { firstValueFrom } from 'rxjs';
import { LineLogger, REDIS_URL, testPrefix, waitFor } from './queue-test-kit';
import { closedPort } from '../fakes/closed-port';

/**
 * A TCP pass-through to the test Redis on `port`, to switch Redis "on" for a client of that port;
 * `freeze()` keeps the connections open but stops passing what clients send (a Redis that took a
 * command and never answers).
 */
async function redisProxy(port: number): Promise<{ freeze(): void; close(): Promise<void> }> {
  const target = new URL(REDIS_URL);
  const sockets = new Set<Socket>();
  let frozen = false;
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 6379), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.on('data', (chunk) => frozen || upstream.write(chunk));
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    freeze: () => (frozen = true),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A port of 127.0.0.1 that nothing listens on, below the ephemeral range, so that no outgoing
 * connection of a test running in parallel takes it before `redisProxy` listens on it.
 */

/** How long `run` took to reject, and with what. */
async function rejection(run: () => Promise<unknown>): Promise<{ ms: number; error: unknown }> {
  const started = Date.now();
  const error = await run().then(
    () => new Error('resolved'),
    (e: unknown) => e,
  );
  return { ms: Date.now() - started, error };
}

describe('Redis unreachable: typed and fast failures', () => {
  let port: number;
  let url: string;
  let logger: LineLogger;
  const apps = new Set<TestingModule>();
  const clients = new Set<Redis>();

  async function start(queue: Partial<SmsQueueModuleForRootOptions>, sms: Partial<SmsModuleOptions> = {}) {
    const app = await Test.createTestingModule({
      imports: [
        SmsModule.forRoot({ providers: { main: { driver: 'memory' } }, ...sms }),
        SmsQueueModule.forRoot({ connection: url, prefix: testPrefix('down'), ...queue }),
      ],
    })
      .setLogger(logger)
      .compile();
    await app.init();
    apps.add(app);
    return { app, queue: app.get(SmsQueue) };
  }

  /** A client as the docs create one for the stores (`maxRetriesPerRequest: null`: it waits for Redis). */
  function client(): Redis {
    const redis = new Redis(url, { maxRetriesPerRequest: null });
    redis.on('error', () => undefined);
    clients.add(redis);
    return redis;
  }

  beforeEach(async () => {
    port = await closedPort();
    url = `redis://127.0.0.1:${port}`;
    logger = new LineLogger();
  });
  afterEach(async () => {
    for (const redis of clients) redis.disconnect();
    clients.clear();
    await Promise.all([...apps].map((app) => app.close()));
    apps.clear();
  });

  it.each([
    ['worker off', false],
    ['worker on', true],
  ])(
    '%s: enqueue, enqueueBatch, getJob and events$ reject with SmsError UNAVAILABLE not_sent within the default 2 000 ms',
    async (_, worker) => {
      const { queue } = await start({ worker });
      const results = await Promise.all(
        [
          () => queue.enqueue({ to: '79255070602', text: 'x' }),
          () => queue.enqueueBatch([{ to: '79255070602', text: 'x' }]),
          () => queue.getJob('some-job'),
          () => firstValueFrom(queue.events$),
        ].map((call) => rejection(call)),
      );
      for (const { ms, error } of results) {
        expect(error).toBeInstanceOf(SmsError);
        expect(error).toMatchObject({ code: 'UNAVAILABLE', outcome: 'not_sent', failure: 'unavailable' });
        expect((error as Error).message).toMatch(/nothing was (queued|read)|no events are read/);
        expect(ms).toBeGreaterThanOrEqual(1_900);
        expect(ms).toBeLessThan(3_500);
      }
    },
    20_000,
  );

  it('commandTimeoutMs bounds the calls; a Redis that comes up afterwards gets no job from them', async () => {
    const { queue } = await start({ worker: false, commandTimeoutMs: 300 });
    const { ms, error } = await rejection(() => queue.enqueue({ to: '79255070602', text: 'late' }));
    expect(error).toMatchObject({ code: 'UNAVAILABLE', outcome: 'not_sent' });
    expect(ms).toBeLessThan(1_300);
    const proxy = await redisProxy(port);
    try {
      await waitFor(async () => (await queue.checkRedis()).up, 'the queue to connect', 10_000, 100);
      await new Promise((r) => setTimeout(r, 300));
      expect(await queue.queue.getJobCounts()).toEqual(
        expect.objectContaining({ waiting: 0, prioritized: 0 }),
      );
      const { jobId } = await queue.enqueue({ to: '79255070602', text: 'now' });
      expect(await queue.getJob(jobId)).toMatchObject({ state: 'waiting' });
      await queue.queue.obliterate({ force: true });
    } finally {
      await proxy.close();
    }
  }, 20_000);

  it('a Redis that takes the job and never answers: enqueue rejects unknown within commandTimeoutMs, getJob not_sent', async () => {
    const proxy = await redisProxy(port);
    try {
      const { queue } = await start({ worker: false, commandTimeoutMs: 500 });
      await waitFor(async () => (await queue.checkRedis()).up, 'the queue to connect', 10_000, 100);
      proxy.freeze();
      const sent = await rejection(() =>
        queue.enqueue({ to: '79255070602', text: 'x' }, { idempotencyKey: 'k' }),
      );
      expect(sent.error).toBeInstanceOf(SmsError);
      expect(sent.error).toMatchObject({ code: 'UNAVAILABLE', outcome: 'unknown', failure: 'unknown' });
      expect((sent.error as Error).message).toMatch(/\(no answer within 500 ms\); it may have taken effect/);
      expect(sent.ms).toBeLessThan(1_500);
      const read = await rejection(() => queue.getJob('k'));
      expect(read.error).toMatchObject({ code: 'UNAVAILABLE', outcome: 'not_sent' });
      expect(read.ms).toBeLessThan(1_500);
    } finally {
      await Promise.all([...apps].map((app) => app.close()));
      apps.clear();
      await proxy.close();
    }
  }, 20_000);

  it('the Redis stores fail with a typed SmsError within commandTimeoutMs: not_sent before a send, unknown after it', async () => {
    const redis = client();
    const idempotency = new RedisIdempotencyStore(redis, { commandTimeoutMs: 300 });
    const rate = new RedisRateLimitStore(redis, { commandTimeoutMs: 300 });
    const calls: Array<[() => Promise<unknown>, string]> = [
      [() => idempotency.reserve('k', 60_000), 'not_sent'],
      [() => idempotency.release('k'), 'not_sent'],
      [() => idempotency.get('k'), 'unknown'],
      [
        () =>
          idempotency.settle(
            'k',
            {
              state: 'failed',
              error: {
                name: 'SmsError',
                message: 'x',
                code: 'TIMEOUT',
                outcome: 'unknown',
                retryable: false,
              },
            },
            60_000,
          ),
        'unknown',
      ],
      [() => rate.hit('79255070602', 60_000), 'not_sent'],
    ];
    for (const [call, outcome] of calls) {
      const { ms, error } = await rejection(call);
      expect(error).toBeInstanceOf(SmsError);
      expect(error).toMatchObject({ code: 'UNAVAILABLE', outcome });
      expect(ms).toBeLessThan(1_300);
    }
  });

  it('SmsService.send with an idempotencyKey on the Redis store: a typed SmsError, nothing sent', async () => {
    const app = await Test.createTestingModule({
      imports: [
        SmsModule.forRoot({
          providers: { main: { driver: 'memory' } },
          idempotency: { store: new RedisIdempotencyStore(client(), { commandTimeoutMs: 300 }) },
        }),
      ],
    })
      .setLogger(logger)
      .compile();
    await app.init();
    apps.add(app);
    const { ms, error } = await rejection(() =>
      app.get(SmsService).send({ to: '79255070602', text: 'once', idempotencyKey: 'order-1' }),
    );
    expect(error).toBeInstanceOf(SmsError);
    expect(error).toMatchObject({ code: 'UNAVAILABLE', outcome: 'not_sent', retryable: true });
    expect(ms).toBeLessThan(1_300);
    expect(SmsOutbox.from(app).size).toBe(0);
  });

  it('an outage is logged with backoff: a handful of lines over 5 s, then one "connected again" line', async () => {
    const { queue } = await start({ worker: true });
    const sub = queue.events$.subscribe({ error: () => undefined });
    await new Promise((r) => setTimeout(r, 5_000));
    const outage = logger.lines.filter((l) => l.level !== 'log');
    expect(outage.length).toBeGreaterThanOrEqual(1);
    expect(outage.length).toBeLessThanOrEqual(5);
    expect(outage[0].message).toContain(`Redis of queue "sms": connect ECONNREFUSED 127.0.0.1:${port}`);
    const proxy = await redisProxy(port);
    try {
      await waitFor(
        () => logger.lines.some((l) => l.level === 'log' && /connected again after/.test(l.message)),
        'the recovered line',
        15_000,
        100,
      );
      expect(logger.lines.filter((l) => /connected again/.test(l.message))).toHaveLength(1);
    } finally {
      sub.unsubscribe();
      await Promise.all([...apps].map((app) => app.close()));
      apps.clear();
      await proxy.close();
    }
  }, 40_000);
});
