import { Injectable, Logger, Module } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { Test, type TestingModule } from '@nestjs/testing';
import { type Queue } from 'bullmq';
import { type Redis } from 'ioredis';
import {
  MemoryProvider,
  SmsError,
  SmsModule,
  type SmsModuleOptions,
  SmsService,
  SmsValidationError,
} from 'nestjs-sms';
import {
  type SmsQueueEvent,
  type SmsQueueJob,
  SmsQueue,
  SmsQueueModule,
  type SmsQueueModuleForRootOptions,
  type SmsQueueModuleOptions,
  type SmsQueueOptionsFactory,
} from 'nestjs-sms/queue';
import { firstValueFrom, filter, take, toArray } from 'rxjs';
import { SMS_QUEUE_REDIS } from '../../libs/sms/src/queue/sms-queue.constants';
import { type SmsQueueRedis } from '../../libs/sms/src/queue/sms-queue-redis';
import { SmsQueueWorker } from '../../libs/sms/src/queue/sms-queue.worker';
import { SmsRuFake } from '../fakes/smsru-fake.server';
import { connectRedis, maxInWindow, REDIS_URL, removeKeys, testPrefix, waitFor } from './queue-test-kit';
import { ScriptedProvider } from './scripted.provider';

const prefix = testPrefix('inproc');
let queueNumber = 0;
const FINAL = ['completed', 'failed', 'unknown'];

const smsOptions: SmsModuleOptions = {
  providers: { main: { driver: 'memory' }, scripted: { driver: ScriptedProvider } },
  retry: false,
  circuitBreaker: false,
};

interface Running {
  app: TestingModule;
  queue: SmsQueue;
  sms: SmsService;
  close(): Promise<void>;
}

const running = new Set<Running>();

/** An application with SmsModule and SmsQueueModule on a queue of its own (unless `queueName` is given). */
async function start(
  options: Partial<SmsQueueModuleForRootOptions> = {},
  sms: SmsModuleOptions = smsOptions,
): Promise<Running> {
  const app = await Test.createTestingModule({
    imports: [
      SmsModule.forRoot(sms),
      SmsQueueModule.forRoot({
        connection: REDIS_URL,
        prefix,
        queueName: `q${++queueNumber}`,
        backoff: { type: 'fixed', delay: 100 },
        attempts: 4,
        ...options,
      }),
    ],
  }).compile();
  await app.init();
  let closed = false;
  const handle: Running = {
    app,
    queue: app.get(SmsQueue),
    sms: app.get(SmsService),
    close: async () => {
      if (closed) return;
      closed = true;
      running.delete(handle);
      await app.close();
    },
  };
  running.add(handle);
  return handle;
}

async function settled(queue: SmsQueue, jobId: string): Promise<SmsQueueJob> {
  return waitFor(async () => {
    const job = await queue.getJob(jobId);
    return job && FINAL.includes(job.state) ? job : undefined;
  }, `job ${jobId} to end`);
}

/** The Redis key of a job's "send started" mark. */
const markKey = (queue: SmsQueue, jobId: string) => `${prefix}:${queue.name}:send-started:${jobId}`;

async function counts(queue: SmsQueue): Promise<number> {
  const all = await queue.queue.getJobCounts(
    'waiting',
    'delayed',
    'active',
    'completed',
    'failed',
    'prioritized',
  );
  return Object.values(all).reduce((a, b) => a + b, 0);
}

describe('SmsQueue in one process (real Redis)', () => {
  let redis: Redis;

  beforeAll(async () => {
    redis = await connectRedis();
    Logger.overrideLogger(['error']);
  });
  afterEach(async () => {
    await Promise.all([...running].map((r) => r.close()));
    ScriptedProvider.reset();
  });
  afterAll(async () => {
    await removeKeys(redis, prefix);
    redis.disconnect();
    Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose', 'fatal']);
  });

  describe('enqueue', () => {
    it('queues a send that the worker sends through SmsService, and reports the result', async () => {
      const { queue, sms } = await start();
      const { jobId } = await queue.enqueue({ to: '+7 925 507-06-02', text: 'Your code: 1234' });
      const job = await settled(queue, jobId);
      expect(job).toMatchObject({
        jobId,
        state: 'completed',
        attempts: 1,
        stalls: 0,
        possibleDuplicate: false,
      });
      expect(job.result?.provider).toBe('main');
      expect(job.result?.messages).toEqual([
        expect.objectContaining({ to: '79255070602', text: 'Your code: 1234', accepted: true }),
      ]);
      expect(job.finishedAt!.getTime()).toBeGreaterThanOrEqual(job.createdAt.getTime());
      const outbox = sms.driver('main', MemoryProvider).outbox;
      expect(outbox.messages.map((m) => m.to)).toEqual(['79255070602']);
    });

    it('throws SmsValidationError for invalid input and queues nothing', async () => {
      const { queue } = await start({ worker: false });
      const error = await queue.enqueue({ to: 'not a phone', text: '' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SmsValidationError);
      expect((error as SmsValidationError).details.map((d) => d.field).sort()).toEqual(['text', 'to']);
      await expect(queue.enqueue({ to: '79255070602', text: 'x', provider: 'nope' })).rejects.toThrow(
        SmsValidationError,
      );
      await expect(
        queue.enqueue({ to: '79255070602', text: 'x', sendAt: new Date(Date.now() - 3_600_000) }),
      ).rejects.toThrow(SmsValidationError);
      await expect(queue.enqueue({ to: '79255070602', text: 'x' }, { delay: -1 })).rejects.toThrow(
        SmsValidationError,
      );
      await expect(queue.enqueue({ to: '79255070602', text: 'x' }, { priority: 0 })).rejects.toThrow(
        SmsValidationError,
      );
      await expect(queue.enqueue({ to: '79255070602', text: 'x' }, { idempotencyKey: '' })).rejects.toThrow(
        SmsValidationError,
      );
      await expect(
        queue.enqueue({ to: '79255070602', text: 'x', idempotencyKey: 'a' }, { idempotencyKey: 'b' }),
      ).rejects.toThrow(SmsValidationError);
      await expect(
        queue.enqueue({ to: '79255070602', text: 'x' }, { idempotencyKey: 'k'.repeat(201) }),
      ).rejects.toThrow(SmsValidationError);
      await expect(
        queue.enqueue({ to: '79255070602', text: 'x', provider: 'scripted', ttlMinutes: 60 }),
      ).rejects.toMatchObject({ code: 'UNSUPPORTED' });
      expect(await counts(queue)).toBe(0);
    });

    it('keeps sendAt a Date through Redis and delivers it to the provider', async () => {
      const { queue, sms } = await start();
      const sendAt = new Date(Date.now() + 3_600_000);
      const { jobId } = await queue.enqueue({ to: '79255070602', text: 'later', sendAt });
      const stored = await queue.queue.getJob(jobId);
      expect(stored?.data.input.sendAt).toBe(sendAt.toISOString());
      expect((await settled(queue, jobId)).state).toBe('completed');
      const [message] = sms.driver('main', MemoryProvider).outbox.messages;
      expect(message.sendAt).toBeInstanceOf(Date);
      expect(message.sendAt!.getTime()).toBe(sendAt.getTime());
      expect(message.status).toBe('scheduled');
    });

    it('makes one job of one idempotency key, however often it is enqueued, and passes the key on', async () => {
      const { queue, sms } = await start({ worker: false });
      const send = jest.spyOn(sms, 'send');
      const input = { to: '79255070602', text: 'Order 42 shipped' };
      const [a, b] = await Promise.all([
        queue.enqueue(input, { idempotencyKey: 'order:42:shipped' }),
        queue.enqueue(input, { idempotencyKey: 'order:42:shipped' }),
      ]);
      const c = await queue.enqueue({ ...input, idempotencyKey: 'order:42:shipped' });
      expect(a.jobId).toBe(b.jobId);
      expect(c.jobId).toBe(a.jobId);
      expect(a.jobId).not.toContain(':');
      expect(await counts(queue)).toBe(1);
      const worker = await start({ queueName: queue.name });
      const workerSend = jest.spyOn(worker.sms, 'send');
      expect((await settled(queue, a.jobId)).state).toBe('completed');
      expect(workerSend).toHaveBeenCalledTimes(1);
      expect(workerSend.mock.calls[0][0]).toMatchObject({ idempotencyKey: 'order:42:shipped' });
      expect(send).not.toHaveBeenCalled();
      expect(worker.sms.driver('main', MemoryProvider).outbox.size).toBe(1);
    });

    it('honours delay and priority', async () => {
      const { queue } = await start({ worker: false });
      const { jobId } = await queue.enqueue({ to: '79255070602', text: 'x' }, { delay: 60_000, priority: 5 });
      await expect(queue.getJob(jobId)).resolves.toMatchObject({ state: 'delayed', attempts: 0 });
      const stored = await queue.queue.getJob(jobId);
      expect(stored?.opts).toMatchObject({ delay: 60_000, priority: 5 });
    });
  });

  describe('enqueueBatch', () => {
    it('queues every send, with per-input idempotency keys', async () => {
      const { queue, sms } = await start();
      const jobs = await queue.enqueueBatch([
        { to: '79255070601', text: 'one' },
        { to: '79255070602', text: 'two', idempotencyKey: 'k-2' },
        { to: '79255070602', text: 'two', idempotencyKey: 'k-2' },
      ]);
      expect(jobs).toHaveLength(3);
      expect(jobs[1].jobId).toBe(jobs[2].jobId);
      const ends = await Promise.all(jobs.map((j) => settled(queue, j.jobId)));
      expect(ends.map((j) => j.state)).toEqual(['completed', 'completed', 'completed']);
      expect(sms.driver('main', MemoryProvider).outbox.size).toBe(2);
    });

    it('queues nothing when one input is invalid, and names it', async () => {
      const { queue } = await start({ worker: false });
      const error = (await queue
        .enqueueBatch([
          { to: '79255070601', text: 'ok' },
          { to: '123', text: 'bad number' },
        ])
        .catch((e: unknown) => e)) as SmsValidationError;
      expect(error).toBeInstanceOf(SmsValidationError);
      expect(error.details).toEqual([{ field: '[1].to', message: expect.any(String) }]);
      await expect(queue.enqueueBatch([])).rejects.toThrow(SmsValidationError);
      expect(await counts(queue)).toBe(0);
    });
  });

  describe('retry rule', () => {
    const scripted = (to: string) => ({ to, text: 'hello', provider: 'scripted' });
    const notSent = () =>
      new SmsError('scripted: cannot connect', {
        code: 'UNAVAILABLE',
        retryable: true,
        provider: 'scripted',
      });

    it('retries a not-sent failure with backoff until it goes out; each run clears its send mark', async () => {
      const { queue } = await start();
      ScriptedProvider.script('79255070610', notSent(), notSent());
      const { jobId } = await queue.enqueue(scripted('79255070610'));
      const job = await settled(queue, jobId);
      expect(job).toMatchObject({ state: 'completed', attempts: 3, possibleDuplicate: false });
      expect(job.error).toBeUndefined();
      expect(ScriptedProvider.calls.get('79255070610')).toBe(3);
      expect(ScriptedProvider.accepted.get('79255070610')).toBe(1);
      expect(job.finishedAt!.getTime() - job.createdAt.getTime()).toBeGreaterThanOrEqual(200);
      await waitFor(async () => (await redis.exists(markKey(queue, jobId))) === 0, 'the mark to go');
    });

    it("failure 'unknown' (a transport that lost the answer): 1 run, 1 request, ends unknown, possibleDuplicate, mark kept", async () => {
      const { queue } = await start();
      ScriptedProvider.script(
        '79255070611',
        new SmsError('scripted: connection reset after the request was written', {
          code: 'UNAVAILABLE',
          failure: 'unknown',
          provider: 'scripted',
        }),
      );
      const { jobId } = await queue.enqueue(scripted('79255070611'));
      const job = await settled(queue, jobId);
      expect(job).toMatchObject({
        state: 'unknown',
        attempts: 1,
        possibleDuplicate: true,
        error: { code: 'UNAVAILABLE', outcome: 'unknown', retryable: false },
      });
      await new Promise((r) => setTimeout(r, 400));
      expect(ScriptedProvider.calls.get('79255070611')).toBe(1);
      expect((await queue.getJob(jobId))?.state).toBe('unknown');
      expect(await redis.pttl(markKey(queue, jobId))).toBeGreaterThan(7 * 86_400_000 - 60_000);
    });

    it.each([
      ['refused', 'STOP_LIST'],
      ['account', 'AUTH'],
      ['no_route', 'NO_ROUTE'],
    ] as const)('fails a %s failure (%s) without retry and clears its mark', async (failure, code) => {
      const { queue } = await start();
      ScriptedProvider.script(
        '79255070612',
        new SmsError(`scripted: ${code}`, { code, failure, provider: 'scripted' }),
      );
      const { jobId } = await queue.enqueue(scripted('79255070612'));
      const job = await settled(queue, jobId);
      expect(job).toMatchObject({
        state: 'failed',
        attempts: 1,
        possibleDuplicate: false,
        error: { code, outcome: 'not_sent', failure, retryable: false },
      });
      await new Promise((r) => setTimeout(r, 400));
      expect(ScriptedProvider.calls.get('79255070612')).toBe(1);
      expect(await redis.exists(markKey(queue, jobId))).toBe(0);
    });

    it('a run that finds the send mark of an earlier run ends unknown without a request', async () => {
      const producer = await start({ worker: false });
      const { jobId } = await producer.queue.enqueue(scripted('79255070616'));
      await redis.set(markKey(producer.queue, jobId), 'an-earlier-run', 'PX', 60_000);
      await start({ queueName: producer.queue.name });
      const job = await settled(producer.queue, jobId);
      expect(job).toMatchObject({
        state: 'unknown',
        possibleDuplicate: true,
        error: { code: 'UNKNOWN', outcome: 'unknown', retryable: false },
      });
      expect(job.error?.message).toMatch(/earlier run started sending it/);
      expect(ScriptedProvider.calls.get('79255070616')).toBeUndefined();
      expect(await redis.get(markKey(producer.queue, jobId))).toBe('an-earlier-run');
    });

    it('a send answered with a recipient of unknown outcome ends unknown, with its result, and is not run again', async () => {
      const { queue } = await start();
      ScriptedProvider.script('79255070617', {
        recipientError: { code: 'UNKNOWN', message: 'system error', outcome: 'unknown', failure: 'unknown' },
      });
      const { jobId } = await queue.enqueue(scripted('79255070617'));
      const job = await settled(queue, jobId);
      expect(job).toMatchObject({
        state: 'unknown',
        attempts: 1,
        possibleDuplicate: true,
        error: { code: 'UNKNOWN', outcome: 'unknown', retryable: false },
        result: {
          provider: 'scripted',
          messages: [expect.objectContaining({ to: '79255070617', accepted: false })],
        },
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(ScriptedProvider.calls.get('79255070617')).toBe(1);
    });

    it('fails a not-sent job once its attempts are used up', async () => {
      const { queue } = await start({ attempts: 3 });
      ScriptedProvider.script('79255070613', notSent(), notSent(), notSent(), notSent());
      const { jobId } = await queue.enqueue(scripted('79255070613'));
      const job = await settled(queue, jobId);
      expect(job).toMatchObject({
        state: 'failed',
        attempts: 3,
        error: { code: 'UNAVAILABLE', outcome: 'not_sent', failure: 'unavailable', retryable: true },
      });
      expect(ScriptedProvider.calls.get('79255070613')).toBe(3);
    });

    it('treats an error that is not an SmsError as an unknown outcome', async () => {
      const { queue } = await start();
      ScriptedProvider.script('79255070614', new TypeError('driver bug'));
      const { jobId } = await queue.enqueue(scripted('79255070614'));
      const job = await settled(queue, jobId);
      expect(job).toMatchObject({
        state: 'unknown',
        attempts: 1,
        error: { code: 'UNKNOWN', outcome: 'unknown' },
      });
      expect(job.error?.message).toContain('driver bug');
      expect(ScriptedProvider.calls.get('79255070614')).toBe(1);
    });

    it('shows a job waiting for its next run as delayed, with the last error', async () => {
      const { queue } = await start({ backoff: { type: 'fixed', delay: 60_000 } });
      ScriptedProvider.script('79255070615', notSent());
      const { jobId } = await queue.enqueue(scripted('79255070615'));
      const job = await waitFor(async () => {
        const j = await queue.getJob(jobId);
        return j?.state === 'delayed' ? j : undefined;
      }, 'the retry to be scheduled');
      expect(job).toMatchObject({ attempts: 1, error: { code: 'UNAVAILABLE', retryable: true } });
    });
  });

  describe('providerLimiters', () => {
    it('holds sends of a limited provider to its limit without holding up the others', async () => {
      const { queue, sms } = await start({
        providerLimiters: { scripted: { max: 3, duration: 500 } },
        concurrency: 10,
      });
      const limited = Array.from({ length: 9 }, (_, i) => ({
        to: `7925507065${i}`,
        text: 'l',
        provider: 'scripted',
      }));
      const free = Array.from({ length: 9 }, (_, i) => ({
        to: `7925507066${i}`,
        text: 'f',
        provider: 'main',
      }));
      const started = Date.now();
      const jobs = await queue.enqueueBatch([...limited, ...free]);
      const ends = await Promise.all(jobs.map((j) => settled(queue, j.jobId)));
      expect(ends.every((j) => j.state === 'completed' && j.attempts === 1)).toBe(true);
      expect(ScriptedProvider.times).toHaveLength(9);
      expect(maxInWindow(ScriptedProvider.times, 500)).toBeLessThanOrEqual(3);
      expect(Math.max(...ScriptedProvider.times) - started).toBeGreaterThanOrEqual(1_000);
      const outbox = sms.driver('main', MemoryProvider).outbox.messages;
      expect(outbox).toHaveLength(9);
      expect(Math.max(...outbox.map((m) => m.createdAt.getTime())) - started).toBeLessThan(500);
    });

    it('refuses a limit for a provider that is not configured', async () => {
      await expect(start({ providerLimiters: { nope: { max: 1, duration: 1000 } } })).rejects.toThrow(/nope/);
    });
  });

  describe('events$', () => {
    it('reports completed, failed and unknown jobs (an unknown recipient included) of every instance', async () => {
      const producer = await start({ worker: false });
      const seen = firstValueFrom(
        producer.queue.events$.pipe(
          filter((e) => e.type !== 'stalled'),
          take(4),
          toArray(),
        ),
      );
      await new Promise((r) => setTimeout(r, 100));
      await start({ queueName: producer.queue.name });
      ScriptedProvider.script(
        '79255070621',
        new SmsError('refused', { code: 'STOP_LIST', provider: 'scripted' }),
      );
      ScriptedProvider.script(
        '79255070622',
        new SmsError('lost', { code: 'BAD_RESPONSE', outcome: 'unknown', provider: 'scripted' }),
      );
      const ok = await producer.queue.enqueue({ to: '79255070620', text: 'a', provider: 'scripted' });
      const failed = await producer.queue.enqueue({ to: '79255070621', text: 'b', provider: 'scripted' });
      ScriptedProvider.script('79255070623', {
        recipientError: { code: 'UNKNOWN', message: 'system error', outcome: 'unknown' },
      });
      const unknown = await producer.queue.enqueue({ to: '79255070622', text: 'c', provider: 'scripted' });
      const partly = await producer.queue.enqueue({ to: '79255070623', text: 'd', provider: 'scripted' });
      const events = await seen;
      const byJob = new Map<string, SmsQueueEvent>(events.map((e) => [e.jobId, e]));
      expect(byJob.get(ok.jobId)).toMatchObject({
        type: 'completed',
        result: {
          provider: 'scripted',
          messages: [expect.objectContaining({ to: '79255070620', accepted: true })],
        },
      });
      expect(byJob.get(failed.jobId)).toMatchObject({ type: 'failed', error: { code: 'STOP_LIST' } });
      expect(byJob.get(unknown.jobId)).toMatchObject({
        type: 'unknown',
        error: { code: 'BAD_RESPONSE', outcome: 'unknown' },
      });
      expect(byJob.get(partly.jobId)).toMatchObject({
        type: 'unknown',
        error: { code: 'UNKNOWN', outcome: 'unknown' },
        result: {
          provider: 'scripted',
          messages: [expect.objectContaining({ to: '79255070623', accepted: false })],
        },
      });
    });
  });

  describe('worker option and shutdown', () => {
    it('takes no jobs with worker: false', async () => {
      const { queue } = await start({ worker: false });
      const { jobId } = await queue.enqueue({ to: '79255070602', text: 'x' });
      await new Promise((r) => setTimeout(r, 300));
      await expect(queue.getJob(jobId)).resolves.toMatchObject({ state: 'waiting', attempts: 0 });
    });

    it('on shutdown stops taking jobs and finishes those in flight', async () => {
      const app = await start({ concurrency: 3 });
      const phones = ['79255070630', '79255070631', '79255070632', '79255070633', '79255070634'];
      phones.forEach((p) => ScriptedProvider.script(p, { waitMs: 600 }));
      const jobs = await app.queue.enqueueBatch(
        phones.map((to) => ({ to, text: 'slow', provider: 'scripted' })),
      );
      const worker = app.app.get(SmsQueueWorker);
      await waitFor(() => worker.active === 3, 'three jobs in flight');
      const observer = await start({ worker: false, queueName: app.queue.name });
      await app.close();
      expect(worker.active).toBe(0);
      const states = await Promise.all(jobs.map(async (j) => (await observer.queue.getJob(j.jobId))?.state));
      expect(states.filter((s) => s === 'completed')).toHaveLength(3);
      expect(states.filter((s) => s === 'waiting')).toHaveLength(2);
      expect([...ScriptedProvider.accepted.values()].reduce((a, b) => a + b, 0)).toBe(3);
    });

    it('waits at most shutdownTimeoutMs for the jobs in flight', async () => {
      const app = await start({ shutdownTimeoutMs: 300 });
      ScriptedProvider.script('79255070640', { waitMs: 1_500 });
      const { jobId } = await app.queue.enqueue({
        to: '79255070640',
        text: 'very slow',
        provider: 'scripted',
      });
      const worker = app.app.get(SmsQueueWorker);
      await waitFor(() => worker.active === 1, 'the job in flight');
      const started = Date.now();
      await app.close();
      expect(Date.now() - started).toBeLessThan(1_200);
      const observer = await start({ worker: false, queueName: app.queue.name });
      await expect(observer.queue.getJob(jobId)).resolves.toMatchObject({ state: 'active' });
    });
  });

  describe('with the SMS.ru driver and its fake', () => {
    let fake: SmsRuFake;
    beforeAll(async () => {
      fake = await SmsRuFake.start();
    });
    beforeEach(() => fake.reset());
    afterAll(() => fake.close());

    it('the provider took the send, then the reused keep-alive socket reset: the job ends unknown, 1 request in all', async () => {
      const sms: SmsModuleOptions = {
        providers: { main: { driver: 'smsru', apiId: fake.apiId, baseUrl: fake.url } },
      };
      const worker = await start({ attempts: 3, backoff: { type: 'fixed', delay: 50 } }, sms);
      await worker.sms.getBalance();
      fake.server.script({ fault: 'reset' });
      const { jobId } = await worker.queue.enqueue({ to: '79255070650', text: 'Taken, then reset' });
      const job = await settled(worker.queue, jobId);
      await new Promise((r) => setTimeout(r, 300));
      expect(fake.requestsTo('my/balance')).toHaveLength(1);
      expect(fake.requestsTo('sms/send')).toHaveLength(1);
      expect(job).toMatchObject({
        state: 'unknown',
        attempts: 1,
        possibleDuplicate: true,
        error: { outcome: 'unknown' },
      });
    });

    it('requests for one job never exceed attempts × retry.maxAttempts × providers, all provably not sent', async () => {
      const sms: SmsModuleOptions = {
        providers: { main: { driver: 'smsru', apiId: fake.apiId, baseUrl: fake.url } },
        retry: { maxAttempts: 2, initialDelayMs: 10, maxDelayMs: 10 },
        circuitBreaker: false,
      };
      const worker = await start({ attempts: 3, backoff: { type: 'fixed', delay: 50 } }, sms);
      fake.failRequests('sms/send', 220);
      const { jobId } = await worker.queue.enqueue({ to: '79255070651', text: 'Always unavailable' });
      const job = await settled(worker.queue, jobId);
      await new Promise((r) => setTimeout(r, 300));
      expect(job).toMatchObject({
        state: 'failed',
        attempts: 3,
        error: { outcome: 'not_sent', retryable: true },
      });
      expect(fake.requestsTo('sms/send')).toHaveLength(3 * 2);
    });

    it('same idempotencyKey enqueued 3 times: 1 job, 1 request', async () => {
      const sms: SmsModuleOptions = {
        providers: { main: { driver: 'smsru', apiId: fake.apiId, baseUrl: fake.url } },
      };
      const producer = await start({ worker: false }, sms);
      const input = { to: '+7 925 507-06-02', text: 'Payment received' };
      const first = await Promise.all([
        producer.queue.enqueue(input, { idempotencyKey: 'payment:77' }),
        producer.queue.enqueue(input, { idempotencyKey: 'payment:77' }),
      ]);
      const worker = await start({ queueName: producer.queue.name }, sms);
      const job = await settled(producer.queue, first[0].jobId);
      const third = await worker.queue.enqueue(input, { idempotencyKey: 'payment:77' });
      await new Promise((r) => setTimeout(r, 300));
      expect(new Set([...first, third].map((j) => j.jobId)).size).toBe(1);
      expect(job.state).toBe('completed');
      expect(await counts(producer.queue)).toBe(1);
      expect(fake.requestsTo('sms/send')).toHaveLength(1);
      expect(job.result?.messages[0]).toMatchObject({
        to: '79255070602',
        accepted: true,
        id: expect.any(String),
      });
    });
  });
});

describe('SmsQueueModule registration (real Redis)', () => {
  let redis: Redis;
  const regPrefix = testPrefix('reg');
  const options: SmsQueueModuleOptions = { connection: REDIS_URL, prefix: regPrefix, worker: false };

  @Injectable()
  class QueueConfig implements SmsQueueOptionsFactory {
    createSmsQueueOptions(): SmsQueueModuleOptions {
      return options;
    }
  }

  @Module({ providers: [QueueConfig], exports: [QueueConfig] })
  class QueueConfigModule {}

  beforeAll(async () => {
    redis = await connectRedis();
  });
  afterAll(async () => {
    await removeKeys(redis, regPrefix);
    redis.disconnect();
  });

  /**
   * Boots the module, enqueues and reads a job; the module's own connection (never a given instance)
   * is up while it runs and closed after.
   */
  async function works(imports: unknown[], queueName = 'sms', given?: Redis): Promise<void> {
    const app = await Test.createTestingModule({
      imports: [SmsModule.forRoot({ providers: { main: { driver: 'memory' } } }), ...(imports as never[])],
    }).compile();
    await app.init();
    const own = app.get<SmsQueueRedis>(SMS_QUEUE_REDIS).client;
    try {
      const queue = app.get(SmsQueue);
      expect(queue.name).toBe(queueName);
      expect(app.get<Queue>(getQueueToken(queueName))).toBe(queue.queue);
      const { jobId } = await queue.enqueue({ to: '79255070602', text: 'registered' });
      await expect(queue.getJob(jobId)).resolves.toMatchObject({ state: 'waiting' });
      expect(own.status).toBe('ready');
      expect(own).not.toBe(given);
      await queue.queue.obliterate({ force: true });
    } finally {
      await app.close();
    }
    expect(own.status).toBe('end');
  }

  it('forRoot', () => works([SmsQueueModule.forRoot(options)]));

  it('forRoot with a queue name and an ioredis instance (shared, not closed by the module)', async () => {
    const connection = redis.duplicate({ maxRetriesPerRequest: null });
    await works(
      [SmsQueueModule.forRoot({ ...options, connection, queueName: 'notifications' })],
      'notifications',
      connection,
    );
    await expect(connection.ping()).resolves.toBe('PONG');
    connection.disconnect();
  });

  it('forRootAsync with useFactory, imports and inject', () =>
    works([
      SmsQueueModule.forRootAsync({
        imports: [QueueConfigModule],
        inject: [QueueConfig],
        useFactory: async (config: QueueConfig) => config.createSmsQueueOptions(),
      }),
    ]));

  it('forRootAsync with useClass', () => works([SmsQueueModule.forRootAsync({ useClass: QueueConfig })]));

  it('forRootAsync with useExisting and a queue name', () =>
    works(
      [
        SmsQueueModule.forRootAsync({
          imports: [QueueConfigModule],
          useExisting: QueueConfig,
          queueName: 'otp',
        }),
      ],
      'otp',
    ));

  it('isGlobal makes SmsQueue injectable everywhere', async () => {
    @Injectable()
    class Notifier {
      constructor(readonly queue: SmsQueue) {}
    }
    @Module({ providers: [Notifier] })
    class FeatureModule {}
    const app = await Test.createTestingModule({
      imports: [
        SmsModule.forRoot({ providers: { main: { driver: 'memory' } } }),
        SmsQueueModule.forRoot({ ...options, isGlobal: true }),
        FeatureModule,
      ],
    }).compile();
    await app.init();
    expect(app.get(Notifier).queue).toBe(app.get(SmsQueue));
    await app.close();
  });

  it('refuses bad options at start, without repeating a password', async () => {
    const build = (o: SmsQueueModuleOptions) =>
      Test.createTestingModule({
        imports: [
          SmsModule.forRoot({ providers: { main: { driver: 'memory' } } }),
          SmsQueueModule.forRoot(o),
        ],
      }).compile();
    await expect(build({ ...options, concurrency: 0 })).rejects.toThrow(/concurrency/);
    await expect(build({ ...options, limiter: { max: 0, duration: 1000 } })).rejects.toThrow(/limiter\.max/);
    const error = (await build({ ...options, connection: 'http://user:s3cret@127.0.0.1:6379' }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(error.message).toMatch(/redis:\/\//);
    expect(error.message).not.toContain('s3cret');
  });

  it('says so when SmsModule is missing', async () => {
    const app = await Test.createTestingModule({ imports: [SmsQueueModule.forRoot(options)] }).compile();
    await app.init();
    await expect(app.get(SmsQueue).enqueue({ to: '79255070602', text: 'x' })).rejects.toThrow(
      /needs SmsModule/,
    );
    await app.close();
  });
});
