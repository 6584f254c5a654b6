import { randomBytes } from 'node:crypto';
import {
  ConsoleLogger,
  type DynamicModule,
  type FactoryProvider,
  Logger,
  type Type,
  type ValueProvider,
} from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { type Redis } from 'ioredis';
import { SmsService, type SendResult } from 'nestjs-sms';
import { SmsQueue, type SmsQueueJobError } from 'nestjs-sms/queue';
import { SMS_MODULE_OPTIONS } from '../../libs/sms/src/sms.constants';
import { SMS_QUEUE_MODULE_OPTIONS } from '../../libs/sms/src/queue/sms-queue.constants';
import { SmsRuFake } from '../fakes/smsru-fake.server';
import { closedPort } from '../health/health-app';
import {
  connectRedis,
  LineLogger,
  REDIS_URL,
  removeKeys,
  testPrefix,
  waitFor,
} from '../queue/queue-test-kit';
import { type Audit, auditJobs } from './queue/audit';
import { jobStatus } from './queue/job-status';
import { Notifier } from './queue/notifier';
import { storesRedis } from './queue/redis-error-log';

type Options = Record<string, unknown>;

/** The provider of `token` that `root`'s imports register: what the example configured. */
function optionsProvider(root: Type, token: string): ValueProvider | FactoryProvider {
  const imports = (Reflect.getMetadata('imports', root) ?? []) as DynamicModule[];
  for (const module of imports) {
    for (const provider of module.providers ?? []) {
      if (typeof provider === 'object' && 'provide' in provider && provider.provide === token) {
        return provider as ValueProvider | FactoryProvider;
      }
    }
  }
  throw new Error(`${root.name} registers no ${token}`);
}

/**
 * Compiles the example's module with its own options changed only where a test must: the SMS.ru
 * driver pointed at the fake, the queue under a key prefix of this run.
 */
async function compile(root: Type, fake: SmsRuFake, prefix: string): Promise<TestingModule> {
  let builder = Test.createTestingModule({ imports: [root] });
  const changes: Array<[string, (options: Options) => Options]> = [
    [
      SMS_MODULE_OPTIONS,
      (options) => {
        const providers = options.providers as Record<string, Options>;
        return { ...options, providers: { main: { ...providers.main, baseUrl: fake.url } } };
      },
    ],
    [SMS_QUEUE_MODULE_OPTIONS, (options) => ({ ...options, prefix })],
  ];
  for (const [token, change] of changes) {
    const provider = optionsProvider(root, token);
    builder =
      'useValue' in provider
        ? builder.overrideProvider(token).useValue(change(provider.useValue as Options))
        : builder.overrideProvider(token).useFactory({
            factory: async (...args: unknown[]) => change((await provider.useFactory(...args)) as Options),
            inject: provider.inject,
          });
  }
  return builder.compile();
}

/** A Russian mobile number of this run alone (the stores' keys are under their default prefixes). */
function freshNumber(): string {
  return `7925${(parseInt(randomBytes(4).toString('hex'), 16) % 10_000_000).toString().padStart(7, '0')}`;
}

describe('docs/queue.md', () => {
  const env = { ...process.env };
  const prefix = testPrefix('docs');
  let redis: Redis;
  let fake: SmsRuFake;
  let app: TestingModule | undefined;

  beforeAll(async () => {
    redis = await connectRedis();
    fake = await SmsRuFake.start();
  });
  beforeEach(() => {
    process.env.REDIS_URL = REDIS_URL;
    process.env.SMSRU_API_ID = fake.apiId;
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    process.env = { ...env };
    fake.reset();
  });
  afterAll(async () => {
    await removeKeys(redis, prefix);
    redis.disconnect();
    await fake.close();
  });

  // First: a client stopped while it reconnects keeps a timer of ioredis for a moment.
  it('RedisErrorLog: an outage of the stores’ client is one line at once, not one per attempt', async () => {
    const lines = new LineLogger();
    Logger.overrideLogger(lines);
    const client = storesRedis(`redis://127.0.0.1:${await closedPort()}`);
    try {
      let errors = 0;
      client.on('error', () => errors++);
      await waitFor(() => errors >= 3, 'three connection errors', 10_000);
      const logged = lines.lines.filter((l) => l.level === 'error');
      expect(logged.length).toBeGreaterThanOrEqual(1);
      expect(logged.length).toBeLessThan(errors);
      expect(logged[0].message).toMatch(/^Redis of the shared stores: connect ECONNREFUSED/);
    } finally {
      client.disconnect();
      Logger.overrideLogger(new ConsoleLogger());
    }
  });

  it('set-up: the limited queue sends a Notifier job through SMS.ru once; the same order again is the same job', async () => {
    const { AppModule } = await import('./queue/app.module');
    app = await compile(AppModule, fake, prefix);
    await app.init();
    const smsQueue = app.get(SmsQueue);
    expect(smsQueue.queue.opts.prefix).toBe(prefix);
    const seen: string[] = [];
    const audit: Audit = {
      sent: (jobId: string, result: SendResult) => seen.push(`sent ${jobId} ${result.messages[0].to}`),
      notSent: (jobId: string, error: SmsQueueJobError) => seen.push(`not sent ${jobId} ${error.code}`),
      reconcile: (jobId: string, error: SmsQueueJobError) => seen.push(`reconcile ${jobId} ${error.code}`),
      stalled: (jobId: string) => seen.push(`stalled ${jobId}`),
      unreachable: (error) => seen.push(`unreachable ${error.message}`),
    };
    const subscription = auditJobs(smsQueue, audit);
    await new Promise((resolve) => setTimeout(resolve, 300));

    const notifier = app.get(Notifier);
    const order = { id: '1001', phone: '+7 925 507-06-02' };
    const jobId = await notifier.orderShipped(order);
    const job = await waitFor(async () => {
      const read = await jobStatus(smsQueue, jobId);
      return read?.state === 'completed' && read;
    }, 'the job to complete');
    expect(job).toMatchObject({ jobId, attempts: 1, possibleDuplicate: false });
    expect(job.result?.messages[0]).toMatchObject({ to: '79255070602', accepted: true });
    await expect(notifier.orderShipped(order)).resolves.toBe(jobId);
    await waitFor(() => seen.length > 0, 'the completed event');
    subscription.unsubscribe();

    expect(seen).toEqual([`sent ${jobId} 79255070602`]);
    expect([...fake.messages.values()].map((m) => m.text)).toEqual(['Order 1001 is on its way']);
    expect(fake.requestsTo('sms/send')).toHaveLength(1);
    await expect(jobStatus(smsQueue, 'no-such-job')).resolves.toBeNull();
  });

  it('forRootAsync from ConfigService: with ROLE=api the global queue "sms" only enqueues', async () => {
    process.env.ROLE = 'api';
    const { AppModule } = await import('./queue/config.module');
    app = await compile(AppModule, fake, prefix);
    await app.init();
    const smsQueue = app.get(SmsQueue);
    expect(smsQueue.name).toBe('sms');
    expect(smsQueue.queue.opts.prefix).toBe(prefix);
    const { jobId } = await smsQueue.enqueue({ to: '+79255070603', text: 'enqueued by the API' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await expect(smsQueue.getJob(jobId)).resolves.toMatchObject({ state: 'waiting' });
    expect(fake.requests).toHaveLength(0);
    await smsQueue.queue.obliterate({ force: true });
  });

  it('the Redis stores write the documented keys, and the queue shares their ioredis instance', async () => {
    const { AppModule, redis: shared } = await import('./queue/stores.module');
    try {
      app = await compile(AppModule, fake, prefix);
      await app.init();
      const sms = app.get(SmsService);
      const to = freshNumber();
      const key = `docs-${randomBytes(8).toString('hex')}`;
      await sms.send({ to, text: 'once', idempotencyKey: key });
      const entry = JSON.parse((await redis.get(`sms:idempotency:${key}`))!) as { state: string };
      expect(entry.state).toBe('done');
      const counter = `sms:rate:60000:n:${to}:60000`;
      expect(await redis.get(counter)).toBe('1');
      expect(await redis.pttl(counter)).toBeGreaterThan(55_000);
      await expect(sms.send({ to, text: 'again', idempotencyKey: `${key}-2` })).rejects.toMatchObject({
        code: 'RATE_LIMITED',
      });
      await redis.del(`sms:idempotency:${key}`, `sms:idempotency:${key}-2`, counter);

      const smsQueue = app.get(SmsQueue);
      const { jobId } = await smsQueue.enqueue({ to: freshNumber(), text: 'through the queue' });
      await waitFor(async () => (await smsQueue.getJob(jobId))?.state === 'completed', 'the job');
      expect(fake.requestsTo('sms/send')).toHaveLength(2);
      await app.close();
      app = undefined;
      // The module never closes the application's instance.
      expect(shared.status).toBe('ready');
    } finally {
      await shared.quit();
    }
  });
});
