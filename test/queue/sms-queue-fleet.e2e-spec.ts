import { Logger } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { type Redis } from 'ioredis';
import { SmsModule, type SmsModuleOptions } from 'nestjs-sms';
import {
  type SmsQueueEvent,
  type SmsQueueJob,
  SmsQueue,
  SmsQueueModule,
  type SmsQueueModuleForRootOptions,
} from 'nestjs-sms/queue';
import { type RecordedRequest } from '../fakes/fake-http-server';
import { SmsRuFake } from '../fakes/smsru-fake.server';
import { messageFor } from './processes/messages';
import { type QueueNodeConfig } from './processes/sms-queue-node';
import { connectRedis, maxInWindow, REDIS_URL, removeKeys, testPrefix, waitFor } from './queue-test-kit';
import { QueueNode } from './queue-nodes';

/**
 * The queue across processes: producers and workers are child processes sharing one Redis, sending
 * to one fake SMS.ru that counts what it accepted.
 */
describe('SmsQueue across processes (real Redis, fake SMS.ru)', () => {
  const prefix = testPrefix('fleet');
  const FINAL = ['completed', 'failed', 'unknown'];
  let redis: Redis;
  let fake: SmsRuFake;
  let queueName: string;
  let queueNumber = 0;
  let producer: TestingModule | undefined;

  /** Settings that keep stalled-job detection fast in tests (production defaults: 30 s, 30 s). */
  const fastStalls = { lockDuration: 2_000, stalledInterval: 1_000 };

  function config(
    role: QueueNodeConfig['role'],
    queue: Partial<SmsQueueModuleForRootOptions> = {},
    sms: Partial<SmsModuleOptions> & { sender?: string } = {},
  ): QueueNodeConfig {
    const { sender, ...smsRest } = sms;
    return {
      role,
      sms: {
        providers: { main: { driver: 'smsru', apiId: fake.apiId, baseUrl: fake.url, sender } },
        ...smsRest,
      },
      queue: { connection: REDIS_URL, prefix, queueName, ...queue },
    };
  }

  /** A producer in this process (`worker: false`), for enqueueing and reading jobs and events. */
  async function localProducer(): Promise<SmsQueue> {
    producer = await Test.createTestingModule({
      imports: [
        SmsModule.forRoot({ providers: { main: { driver: 'smsru', apiId: fake.apiId, baseUrl: fake.url } } }),
        SmsQueueModule.forRoot({ connection: REDIS_URL, prefix, queueName, worker: false }),
      ],
    }).compile();
    await producer.init();
    return producer.get(SmsQueue);
  }

  async function enqueueRange(queue: SmsQueue, from: number, count: number): Promise<string[]> {
    const inputs = Array.from({ length: count }, (_, i) => messageFor(from + i));
    return (await queue.enqueueBatch(inputs)).map((j) => j.jobId);
  }

  /** Every job's final view, once all of them have ended. */
  async function allEnded(queue: SmsQueue, jobIds: string[], timeoutMs: number): Promise<SmsQueueJob[]> {
    await waitFor(
      async () => {
        const counts = await queue.queue.getJobCounts('completed', 'failed');
        return counts.completed + counts.failed >= jobIds.length;
      },
      `${jobIds.length} jobs to end`,
      timeoutMs,
      100,
    );
    const jobs = await Promise.all(jobIds.map((id) => queue.getJob(id)));
    return jobs.map((job, i) => {
      if (!job || !FINAL.includes(job.state))
        throw new Error(`job ${jobIds[i]} is ${job?.state ?? 'missing'}`);
      return job;
    });
  }

  /** Accepted messages at the fake per number. */
  function acceptedPerNumber(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const m of fake.messages.values()) counts.set(m.to, (counts.get(m.to) ?? 0) + 1);
    return counts;
  }

  /** How many jobs are in each state. */
  function states(jobs: SmsQueueJob[]): Record<string, number> {
    const count: Record<string, number> = {};
    for (const j of jobs) count[j.state] = (count[j.state] ?? 0) + 1;
    return count;
  }

  const sends = (): RecordedRequest[] => fake.requestsTo('sms/send');
  const numberOf = (i: number) => messageFor(i).to as string;

  beforeAll(async () => {
    redis = await connectRedis();
    Logger.overrideLogger(['error']);
  });
  beforeEach(async () => {
    queueName = `fleet${++queueNumber}`;
    fake = await SmsRuFake.start({ balance: 1_000_000 });
  });
  afterEach(async () => {
    await QueueNode.stopAll();
    await producer?.close();
    producer = undefined;
    await fake.close();
  });
  afterAll(async () => {
    await removeKeys(redis, prefix);
    redis.disconnect();
    Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose', 'fatal']);
  });

  it('2 000 messages from two producers, two worker processes: 2 000 accepted requests, none twice, none lost', async () => {
    await Promise.all([
      QueueNode.start(config('worker', { concurrency: 25 }, { sender: 'WorkerA' })),
      QueueNode.start(config('worker', { concurrency: 25 }, { sender: 'WorkerB' })),
    ]);
    const producers = await Promise.all([
      QueueNode.start({ ...config('producer'), produce: { from: 0, count: 1_000, parallel: 50 } }),
      QueueNode.start({ ...config('producer'), produce: { from: 1_000, count: 1_000, parallel: 50 } }),
    ]);
    const jobIds = (await Promise.all(producers.map((p) => p.next('enqueued')))).flatMap((m) => m.jobIds);
    expect(new Set(jobIds).size).toBe(2_000);

    const queue = await localProducer();
    const jobs = await allEnded(queue, jobIds, 90_000);
    await new Promise((r) => setTimeout(r, 300));

    expect(states(jobs)).toEqual({ completed: 2_000 });
    expect(sends()).toHaveLength(2_000);
    const accepted = acceptedPerNumber();
    expect(fake.messages.size).toBe(2_000);
    expect(accepted.size).toBe(2_000);
    expect([...accepted.values()].every((n) => n === 1)).toBe(true);
    expect([...accepted.keys()].sort()).toEqual(Array.from({ length: 2_000 }, (_, i) => numberOf(i)).sort());
    const bySender = new Map<string, number>();
    for (const r of sends()) bySender.set(r.form.get('from')!, (bySender.get(r.form.get('from')!) ?? 0) + 1);
    expect(bySender.get('WorkerA')).toBeGreaterThan(0);
    expect(bySender.get('WorkerB')).toBeGreaterThan(0);
    expect(
      maxInWindow(
        sends().map((r) => r.at),
        1_000,
      ),
    ).toBeGreaterThan(50);
  }, 120_000);

  /** Requests at the fake per number (whatever their answer, hanging ones included). */
  function requestsPerNumber(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const r of sends()) for (const to of fake.recipientsOf(r)) counts.set(to, (counts.get(to) ?? 0) + 1);
    return counts;
  }

  it('SIGKILL while 5 sends hang at the provider, no idempotency keys: every text reaches it once, the 5 end unknown', async () => {
    const workerOptions = { concurrency: 5, ...fastStalls };
    const victim = await QueueNode.start(config('worker', workerOptions, { sender: 'Victim' }));
    const queue = await localProducer();
    fake.server.script(...Array.from({ length: 5 }, () => ({ fault: 'hang' as const })));
    const jobIds = await enqueueRange(queue, 0, 20);
    await waitFor(() => sends().length === 5, 'five sends hanging at the fake');
    await new Promise((r) => setTimeout(r, 300));
    expect(sends()).toHaveLength(5);
    const hung = new Set(sends().flatMap((r) => fake.recipientsOf(r)));
    victim.child.kill('SIGKILL');
    await victim.exited;
    await QueueNode.start(config('worker', workerOptions, { sender: 'Survivor' }));

    const jobs = await allEnded(queue, jobIds, 60_000);
    await new Promise((r) => setTimeout(r, 300));
    const perNumber = requestsPerNumber();
    expect(perNumber.size).toBe(20);
    expect([...perNumber.values()].every((n) => n === 1)).toBe(true);
    expect(sends()).toHaveLength(20);
    jobs.forEach((job, i) => {
      if (hung.has(numberOf(i))) {
        expect(job).toMatchObject({
          state: 'unknown',
          possibleDuplicate: true,
          error: { outcome: 'unknown' },
        });
        expect(job.stalls).toBeGreaterThanOrEqual(1);
      } else {
        expect(job).toMatchObject({ state: 'completed', possibleDuplicate: false });
      }
    });
    expect(states(jobs)).toEqual({ unknown: 5, completed: 15 });
    expect(sends().filter((r) => r.form.get('from') === 'Survivor')).toHaveLength(15);
  }, 90_000);

  it('a worker killed with SIGKILL mid-flight among two: every job ends, none is sent twice, the stalled ones are reported', async () => {
    fake.latencyMs = 150;
    const workerOptions = { concurrency: 10, ...fastStalls };
    const [victim] = await Promise.all([
      QueueNode.start(config('worker', workerOptions, { sender: 'Victim' })),
      QueueNode.start(config('worker', workerOptions, { sender: 'Survivor' })),
    ]);
    const queue = await localProducer();
    const events: SmsQueueEvent[] = [];
    const subscription = queue.events$.subscribe((e) => events.push(e));
    await new Promise((r) => setTimeout(r, 200));
    const jobIds = await enqueueRange(queue, 0, 300);

    await waitFor(
      () => sends().filter((r) => r.form.get('from') === 'Victim').length >= 60,
      'the victim at work',
    );
    victim.child.kill('SIGKILL');
    await victim.exited;

    const jobs = await allEnded(queue, jobIds, 60_000);
    await waitFor(
      () => events.filter((e) => e.type !== 'stalled').length >= 300,
      'an event for every job',
      10_000,
    );
    subscription.unsubscribe();

    const stalled = jobs.filter((j) => j.stalls > 0);
    const stalledEvents = new Set(events.filter((e) => e.type === 'stalled').map((e) => e.jobId));
    expect(stalled.length).toBeGreaterThanOrEqual(1);
    expect(stalled.length).toBeLessThanOrEqual(workerOptions.concurrency);
    const perNumber = requestsPerNumber();
    expect([...perNumber.values()].every((n) => n === 1)).toBe(true);
    // a stalled job's request may not have left the victim yet; it ends unknown all the same
    expect(perNumber.size).toBeGreaterThanOrEqual(300 - stalled.length);
    expect(perNumber.size).toBeLessThanOrEqual(300);
    for (const job of stalled) {
      expect(stalledEvents).toContain(job.jobId);
      expectStalledOutcome(job);
    }
    expect(stalled.some((j) => j.state === 'unknown')).toBe(true);
    expect(jobs.filter((j) => j.stalls === 0).every((j) => j.state === 'completed')).toBe(true);
    expect(fake.messages.size).toBeLessThanOrEqual(300);
  }, 90_000);

  it('SIGKILL with idempotency keys in Redis: a stalled job is never sent twice; it ends unknown, or completed when its send had not started', async () => {
    fake.latencyMs = 150;
    const worker = (sender: string): QueueNodeConfig => ({
      ...config('worker', { concurrency: 10, ...fastStalls }, { sender, sendTimeoutMs: 3_000 }),
      idempotencyPrefix: `${prefix}:idem:`,
    });
    const [victim] = await Promise.all([
      QueueNode.start(worker('Victim')),
      QueueNode.start(worker('Survivor')),
    ]);
    const queue = await localProducer();
    const inputs = Array.from({ length: 200 }, (_, i) => ({
      ...messageFor(i),
      idempotencyKey: `order:${i}`,
    }));
    const jobIds = (await queue.enqueueBatch(inputs)).map((j) => j.jobId);

    await waitFor(
      () => sends().filter((r) => r.form.get('from') === 'Victim').length >= 40,
      'the victim at work',
    );
    victim.child.kill('SIGKILL');
    await victim.exited;

    const jobs = await allEnded(queue, jobIds, 60_000);
    const stalled = jobs.filter((j) => j.stalls > 0);
    expect(stalled.length).toBeGreaterThanOrEqual(1);
    expect(stalled.length).toBeLessThanOrEqual(10);
    expect([...acceptedPerNumber().values()].every((n) => n === 1)).toBe(true);
    const unknown = stalled.filter((j) => j.state === 'unknown');
    expect(unknown.length).toBeGreaterThanOrEqual(1);
    // an unknown job's request may not have left the victim yet: at most those are missing
    expect(fake.messages.size).toBeGreaterThanOrEqual(200 - unknown.length);
    expect(fake.messages.size).toBeLessThanOrEqual(200);
    for (const job of stalled) expectStalledOutcome(job);
    for (const job of unknown) expect(job).toMatchObject({ error: { outcome: 'unknown' } });
    expect(jobs.filter((j) => j.stalls === 0).every((j) => j.state === 'completed')).toBe(true);
  }, 90_000);

  it('a 5 s provider outage: jobs retried with backoff, all delivered once after recovery', async () => {
    const backoff = { type: 'exponential', delay: 200 } as const;
    const smsOptions = { retry: false as const, circuitBreaker: { threshold: 5, halfOpenAfterMs: 1_000 } };
    await Promise.all([
      QueueNode.start(config('worker', { concurrency: 10 }, smsOptions)),
      QueueNode.start(config('worker', { concurrency: 10 }, smsOptions)),
    ]);
    const queue = await localProducer();
    fake.failRequests('sms/send', 220);
    const outageStart = Date.now();
    const jobIds = await enqueueRange(queue, 0, 100);
    await new Promise((r) => setTimeout(r, 5_000 - (Date.now() - outageStart)));
    expect(fake.messages.size).toBe(0);
    const failedDuringOutage = sends().length;
    fake.failRequests('sms/send', 220, 0);

    const jobs = await allEnded(queue, jobIds, 60_000);
    expect(states(jobs)).toEqual({ completed: 100 });
    expect(failedDuringOutage).toBeGreaterThan(0);
    expect(jobs.every((j) => j.attempts >= 2)).toBe(true);
    const accepted = acceptedPerNumber();
    expect(accepted.size).toBe(100);
    expect([...accepted.values()].every((n) => n === 1)).toBe(true);
    for (let i = 0; i < 100; i++) {
      const times = sends()
        .filter((r) => fake.recipientsOf(r).includes(numberOf(i)))
        .map((r) => r.at);
      const gaps = times.slice(1).map((t, k) => t - times[k]);
      gaps.forEach((gap, k) => expect(gap).toBeGreaterThanOrEqual(backoff.delay * 2 ** k * 0.9));
    }
  }, 90_000);

  it('limiter { max: 50, duration: 1000 } over two workers: never more than 50 requests in any second at the server', async () => {
    const limiter = { max: 50, duration: 1_000 };
    await Promise.all([
      QueueNode.start(config('worker', { concurrency: 20, limiter })),
      QueueNode.start(config('worker', { concurrency: 20, limiter })),
    ]);
    const queue = await localProducer();
    const jobIds = await enqueueRange(queue, 0, 200);
    const jobs = await allEnded(queue, jobIds, 60_000);

    expect(states(jobs)).toEqual({ completed: 200 });
    const times = sends().map((r) => r.at);
    expect(times).toHaveLength(200);
    expect(maxInWindow(times, 1_000)).toBeLessThanOrEqual(50);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(2_900);
  }, 90_000);

  it('SIGTERM: the worker stops taking jobs, finishes those in flight and exits; nothing is lost or doubled', async () => {
    fake.latencyMs = 800;
    const worker = await QueueNode.start(config('worker', { concurrency: 4, shutdownTimeoutMs: 10_000 }));
    const queue = await localProducer();
    const jobIds = await enqueueRange(queue, 0, 12);
    await waitFor(() => sends().length >= 4, 'four sends in flight');
    worker.child.kill('SIGTERM');
    const exit = await worker.exited;
    expect(exit.signal === 'SIGTERM' || exit.code === 0).toBe(true);
    const finished = await Promise.all(jobIds.map((id) => queue.getJob(id)));
    const completed = finished.filter((j) => j?.state === 'completed');
    expect(completed.length).toBe(sends().length);
    expect(finished.filter((j) => j?.state === 'active')).toHaveLength(0);
    expect(finished.filter((j) => j?.state === 'waiting').length).toBe(12 - completed.length);

    await QueueNode.start(config('worker', { concurrency: 4 }));
    const jobs = await allEnded(queue, jobIds, 30_000);
    expect(jobs.every((j) => j.state === 'completed' && j.stalls === 0)).toBe(true);
    expect(acceptedPerNumber().size).toBe(12);
    expect(fake.messages.size).toBe(12);
  }, 60_000);
});

/**
 * A job the dead worker held ends `unknown` (its send had started: the mark was set) or, when the
 * worker died before its send started, `completed` by the other worker: never a second send.
 */
function expectStalledOutcome(job: { state: string; possibleDuplicate?: boolean }): void {
  if (job.state === 'completed') expect(job.possibleDuplicate).toBe(false);
  else expect(job).toMatchObject({ state: 'unknown', possibleDuplicate: true });
}
