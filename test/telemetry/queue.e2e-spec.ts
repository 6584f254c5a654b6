import { Logger } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { type Redis } from 'ioredis';
import { SmsError, SmsModule } from 'nestjs-sms';
import { SmsQueue, SmsQueueModule, type SmsQueueJob } from 'nestjs-sms/queue';
import { closedPort } from '../fakes/closed-port';
import { connectRedis, REDIS_URL, removeKeys, testPrefix, waitFor } from '../queue/queue-test-kit';
import { ScriptedProvider } from '../queue/scripted.provider';
import { OtelKit } from './otel-kit';

const prefix = testPrefix('otel');

async function start(connection: string, queueName: string, worker = true): Promise<TestingModule> {
  const app = await Test.createTestingModule({
    imports: [
      SmsModule.forRoot({
        providers: { main: { driver: 'memory' }, scripted: { driver: ScriptedProvider } },
        retry: false,
        circuitBreaker: false,
      }),
      SmsQueueModule.forRoot({
        connection,
        prefix,
        queueName,
        worker,
        attempts: 2,
        backoff: { type: 'fixed', delay: 50 },
        commandTimeoutMs: 300,
      }),
    ],
  })
    .setLogger(false as never)
    .compile();
  await app.init();
  return app;
}

function settled(queue: SmsQueue, jobId: string): Promise<SmsQueueJob> {
  return waitFor(async () => {
    const job = await queue.getJob(jobId);
    return job && ['completed', 'failed', 'unknown'].includes(job.state) ? job : undefined;
  }, `job ${jobId} to end`);
}

describe('telemetry of the queue (real Redis)', () => {
  const otel = new OtelKit();
  let redis: Redis;
  let app: TestingModule;
  let queue: SmsQueue;

  beforeAll(async () => {
    otel.start();
    Logger.overrideLogger(['fatal']);
    redis = await connectRedis();
    app = await start(REDIS_URL, 'traced');
    queue = app.get(SmsQueue);
  });

  afterAll(async () => {
    await app.close();
    await removeKeys(redis, prefix);
    redis.disconnect();
    Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose', 'fatal']);
    await otel.stop();
  });

  beforeEach(() => otel.reset());

  it('the enqueue span (PRODUCER) is carried in the job and linked from the job span (CONSUMER)', async () => {
    const { jobId } = await queue.enqueue({ to: '+79255070602', text: 'Hello' });
    expect((await settled(queue, jobId)).state).toBe('completed');
    const stored = await queue.queue.getJob(jobId);
    expect(Object.keys(stored!.data.trace ?? {})).toEqual(['traceparent']);

    await waitFor(() => otel.spans().some((s) => s.name === 'sms.queue.job'), 'the job span');
    const enqueue = otel.spans().find((s) => s.name === 'sms.queue.enqueue')!;
    const job = otel.spans().find((s) => s.name === 'sms.queue.job')!;
    expect(enqueue.kind).toBe(3);
    expect(job.kind).toBe(4);
    expect(stored!.data.trace!.traceparent).toBe(
      `00-${enqueue.spanContext().traceId}-${enqueue.spanContext().spanId}-01`,
    );
    expect(job.links.map((l) => l.context.spanId)).toEqual([enqueue.spanContext().spanId]);
    expect(job.links[0].context.traceId).toBe(enqueue.spanContext().traceId);
    expect(job.attributes).toMatchObject({ 'sms.queue.name': 'traced', 'sms.queue.outcome': 'sent' });
    const send = otel.spans().find((s) => s.name === 'sms.send')!;
    expect(send.parentSpanContext?.spanId).toBe(job.spanContext().spanId);
    expect(await otel.value('sms.queue.jobs', { 'sms.queue.outcome': 'sent' })).toBe(1);
  });

  it('a run not sent is retried, then failed; both counted', async () => {
    const notSent = () =>
      new SmsError('scripted: cannot connect', { code: 'UNAVAILABLE', provider: 'scripted' });
    ScriptedProvider.script('79255070610', notSent(), notSent());
    const { jobId } = await queue.enqueue({ to: '+79255070610', text: 'Hello', provider: 'scripted' });
    expect((await settled(queue, jobId)).state).toBe('failed');
    expect(await otel.value('sms.queue.jobs', { 'sms.queue.outcome': 'retried' })).toBe(1);
    expect(await otel.value('sms.queue.jobs', { 'sms.queue.outcome': 'failed' })).toBe(1);
    ScriptedProvider.reset();
  });

  it('sms.queue.depth reports the queue; a queue whose Redis is down is skipped, without waiting', async () => {
    const down = await start(`redis://127.0.0.1:${await closedPort()}`, 'down', false);
    try {
      const started = Date.now();
      const depth = await otel.points('sms.queue.depth');
      expect(Date.now() - started).toBeLessThan(250);
      expect(depth.filter((p) => p.attributes['sms.queue.name'] === 'down')).toEqual([]);
      expect(
        depth
          .filter((p) => p.attributes['sms.queue.name'] === 'traced')
          .map((p) => p.attributes['sms.queue.state'])
          .sort(),
      ).toEqual(['active', 'delayed', 'waiting']);
    } finally {
      await down.close();
    }
  });
});
