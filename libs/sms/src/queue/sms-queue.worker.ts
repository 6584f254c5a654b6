import {
  type BeforeApplicationShutdown,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { type ModuleRef } from '@nestjs/core';
import { DelayedError, type Job, type Queue, RateLimitError, UnrecoverableError, Worker } from 'bullmq';
import { SmsConfigurationError, SmsError } from '../errors';
import { type SendResult } from '../interfaces';
import { SmsService } from '../sms.service';
import { type RedisClient } from './redis-script';
import { type RedisCall, withinDeadline } from './redis-deadline';
import { isConnectionError, type RedisErrorLog } from './redis-error-log';
import { AttributeCache } from '../telemetry/attribute-cache';
import { instruments } from '../telemetry/metrics';
import { linksFrom } from '../telemetry/propagation';
import { SpanKinds, type SmsSpan, activate, failSpan, recording, startSpan } from '../telemetry/spans';
import {
  type SmsJobData,
  fromJobData,
  parseJobError,
  provablyNotSent,
  toJobFailure,
  unknownRecipients,
} from './sms-job.codec';
import { SMS_QUEUE_LOGGER_CONTEXT } from './sms-queue.constants';
import { type SmsQueueSettings } from './sms-queue-options';
import { SmsSendLimiter, type SmsSendSlot } from './sms-send-limiter';
import { SmsSendMark, type SmsSendMarkHandle } from './sms-send-mark';
import { type SmsQueueRedis } from './sms-queue-redis';

const MARK_CALL: RedisCall = {
  what: 'marking the send as started',
  sentFailure: 'unavailable',
  notSent: 'nothing was sent',
};
const LIMIT_CALL: RedisCall = {
  what: 'taking a send slot',
  sentFailure: 'unavailable',
  notSent: 'nothing was sent',
};

/**
 * The worker of this process (unless `worker: false`): takes jobs and sends each through
 * `SmsService.send`, so failover, breakers, idempotency and anti-flood apply (internal).
 *
 * A failure of the `unavailable` class (provably not sent, temporary) is retried with the job's
 * backoff; an *unknown* outcome or any other failure ends the job at once. Before a run's request goes
 * out it marks the job's send as started in Redis; a run that finds an earlier run's mark (its worker
 * died or lost the job mid-send) ends `unknown` without a request. On shutdown it stops taking jobs and
 * waits for those in flight, at most `shutdownTimeoutMs`.
 */
export class SmsQueueWorker
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger(SMS_QUEUE_LOGGER_CONTEXT);
  private readonly limiter: SmsSendLimiter;
  private readonly mark: SmsSendMark;
  private worker?: Worker<SmsJobData, SendResult>;
  private inFlight = 0;
  private stopping?: Promise<void>;

  constructor(
    private readonly settings: SmsQueueSettings,
    private readonly queue: Queue,
    private readonly moduleRef: ModuleRef,
    private readonly redisLog: RedisErrorLog,
    private readonly redis: SmsQueueRedis,
  ) {
    this.limiter = new SmsSendLimiter(
      `${settings.prefix}:${settings.queueName}`,
      settings.limiter,
      settings.providerLimiters,
    );
    this.mark = new SmsSendMark(`${settings.prefix}:${settings.queueName}`, settings.sendMarkTtlMs);
  }

  /** Jobs this process is sending now. */
  get active(): number {
    return this.inFlight;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.settings.worker) return;
    let sms: SmsService;
    try {
      sms = this.moduleRef.get(SmsService, { strict: false });
    } catch {
      return this.refuse('SmsQueueModule needs SmsModule: import SmsModule.forRoot(…) in the application');
    }
    for (const name of Object.keys(this.settings.providerLimiters)) {
      if (!sms.providers.includes(name)) {
        return this.refuse(`SmsQueueModule: "providerLimiters" names "${name}", which is not configured`);
      }
    }
    const s = this.settings;
    const worker = new Worker<SmsJobData, SendResult>(
      s.queueName,
      (job, token) => this.process(job, token, sms),
      {
        connection: s.connection,
        prefix: s.prefix,
        concurrency: s.concurrency,
        limiter: s.limiter,
        lockDuration: s.lockDuration,
        stalledInterval: s.stalledInterval,
        maxStalledCount: s.maxStalledCount,
        autorun: false,
      },
    );
    worker.on('error', (e) => {
      if (this.stopping) return;
      if (isConnectionError(e)) this.redisLog.failed(e);
      else this.logger.error(`Worker of "${s.queueName}": ${e.message}`);
    });
    worker.on('ready', () => this.redisLog.recovered());
    worker.on('completed', (job) => void this.forgetMark(job.id!));
    this.worker = worker;
    worker.run().catch((e: unknown) => {
      if (!this.stopping)
        this.logger.error(`Worker of "${s.queueName}" stopped: ${e instanceof Error ? e.message : e}`);
    });
  }

  /**
   * Fails the start-up. Nest cannot close an application whose start failed, so the queue's
   * connection is closed here first.
   */
  private async refuse(message: string): Promise<never> {
    await this.queue.close().catch(() => undefined);
    await this.redis.close(this.settings.commandTimeoutMs);
    throw new SmsConfigurationError(message);
  }

  /** Stops taking jobs and waits for the ones in flight (bounded), before the SMS providers close. */
  beforeApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  /** Stops taking jobs and waits, at most `shutdownTimeoutMs`, for the jobs in flight. */
  stop(): Promise<void> {
    this.stopping ??= this.drain();
    return this.stopping;
  }

  private async drain(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    const timeoutMs = this.settings.shutdownTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const closed = worker.close().then(() => true);
    const expired = new Promise<false>((resolve) => (timer = setTimeout(resolve, timeoutMs, false)));
    const finished = await Promise.race([closed, expired]);
    clearTimeout(timer);
    if (!finished) {
      this.logger.warn(
        `${this.inFlight} job(s) still in flight after ${timeoutMs} ms: no longer waiting for them; if the ` +
          `process ends first, another worker runs them again once their lock expires (see stalled jobs)`,
      );
    }
  }

  /**
   * One run of a job, in an `sms.queue.job` CONSUMER span linked to the enqueue's trace context, its
   * outcome counted in `sms.queue.jobs`.
   */
  private async process(
    job: Job<SmsJobData, SendResult>,
    token: string | undefined,
    sms: SmsService,
  ): Promise<SendResult> {
    const span = startSpan('sms.queue.job', SpanKinds.CONSUMER, linksFrom(job.data?.trace));
    if (recording(span)) {
      span.setAttribute('sms.queue.name', this.settings.queueName);
      span.setAttribute('sms.queue.run', job.attemptsMade + 1);
    }
    let outcome: SmsJobOutcome = 'failed';
    try {
      const result = await activate(span, () => this.run(job, token, sms));
      outcome = unknownRecipients(result) ? 'unknown' : 'sent';
      return result;
    } catch (e) {
      outcome = runOutcome(job, e);
      // A job put back by a limiter did not fail.
      if (outcome !== 'delayed') failSpan(span, e);
      throw e;
    } finally {
      countJob(span, outcome);
      span?.end();
    }
  }

  private async run(
    job: Job<SmsJobData, SendResult>,
    token: string | undefined,
    sms: SmsService,
  ): Promise<SendResult> {
    let input;
    try {
      input = fromJobData(job.data);
    } catch (e) {
      throw toJobFailure(e);
    }
    let slot: SmsSendSlot | undefined;
    try {
      if (this.limiter.enabled) {
        slot = await this.takeSlot(job, token, input.provider ?? sms.defaultProvider, sms.sendTimeoutMs);
      }
    } catch (e) {
      // Redis did not answer: nothing was sent, retried as `unavailable` (BullMQ's own errors pass)
      throw e instanceof SmsError ? toJobFailure(e) : e;
    }
    this.inFlight++;
    const mark = this.mark.handle(job.id!);
    let marked = false;
    try {
      marked = await this.startSend(mark);
      if (!marked) throw startedBefore(job.id!);
      return await sms.send(input);
    } catch (e) {
      if (marked && provablyNotSent(e)) await this.clearMark(mark);
      const failure = toJobFailure(e);
      const line = `Job ${job.id} run ${job.attemptsMade + 1}: ${failure.message}`;
      if (failure instanceof UnrecoverableError) this.logger.warn(line);
      else this.logger.debug(line);
      throw failure;
    } finally {
      this.inFlight--;
      if (slot) await this.giveBack(slot);
    }
  }

  /**
   * Marks the job's send as started: `false` when an earlier run's mark is there. When Redis does not
   * answer, nothing is sent (`unavailable`, retried) and the mark is cleared after the set, should the
   * set still reach Redis (one connection keeps their order).
   */
  private async startSend(mark: SmsSendMarkHandle): Promise<boolean> {
    try {
      return await this.call(MARK_CALL, (redis) => this.mark.start(redis, mark));
    } catch (e) {
      this.mark.clear(this.redis.client, mark).catch(() => undefined);
      throw e;
    }
  }

  /** Clears a run's mark after a provably-not-sent end; if that fails, a retry ends `unknown` (never twice). */
  private clearMark(mark: SmsSendMarkHandle): Promise<void> {
    return this.tryCall(
      MARK_CALL,
      (redis) => this.mark.clear(redis, mark),
      `Could not clear the send mark of ${mark.key}: a retry of its job ends unknown without sending`,
    );
  }

  private async forgetMark(jobId: string): Promise<void> {
    try {
      await this.mark.forget(this.redis.client, jobId);
    } catch {
      // the mark of a completed job expires by itself
    }
  }

  /**
   * Takes a send slot, or puts the job back: over the queue's limit every worker pauses until a slot
   * may free (BullMQ's rate limit; the job keeps its attempts); over its provider's limit the job alone
   * waits in `delayed`.
   */
  private async takeSlot(
    job: Job<SmsJobData, SendResult>,
    token: string | undefined,
    provider: string,
    sendTimeoutMs: number,
  ): Promise<SmsSendSlot | undefined> {
    const taken = await this.call(LIMIT_CALL, (redis) =>
      this.limiter.take(redis, provider, sendTimeoutMs + this.settings.lockDuration),
    );
    if (!taken) return undefined;
    if ('slot' in taken) return taken.slot;
    if (taken.wait.scope === 'queue') {
      await this.queue.rateLimit(taken.wait.waitMs);
      throw new RateLimitError();
    }
    await job.moveToDelayed(Date.now() + taken.wait.waitMs, token);
    throw new DelayedError();
  }

  private giveBack(slot: SmsSendSlot): Promise<void> {
    return this.tryCall(
      LIMIT_CALL,
      (redis) => this.limiter.release(redis, slot),
      'Could not give back a send slot (it frees itself later)',
    );
  }

  /** A Redis call of the worker within `commandTimeoutMs`. */
  private call<T>(call: RedisCall, send: (redis: RedisClient) => Promise<T>): Promise<T> {
    return withinDeadline(this.redis.client, this.settings.commandTimeoutMs, call, send);
  }

  /** A call whose failure is only logged, with what it means. */
  private async tryCall(
    call: RedisCall,
    send: (redis: RedisClient) => Promise<unknown>,
    meaning: string,
  ): Promise<void> {
    try {
      await this.call(call, send);
    } catch (e) {
      this.logger.warn(`${meaning}: ${e instanceof Error ? e.message : e}`);
    }
  }
}

/** The end of a run that found an earlier run's send mark. */
function startedBefore(jobId: string): SmsError {
  return new SmsError(
    `Job ${jobId}: an earlier run started sending it and stopped before its end was recorded (its worker ` +
      'died or lost the job); it may have gone out, so it is not sent again. Reconcile it with getStatus',
    { code: 'UNKNOWN', failure: 'unknown' },
  );
}

/** What became of one run of a job (`sms.queue.outcome`). */
type SmsJobOutcome = 'sent' | 'retried' | 'failed' | 'unknown' | 'delayed';

const OUTCOME = new AttributeCache(['sms.queue.outcome']);

/**
 * The outcome of a run that threw: put back by a limiter (`delayed`), ended for good (`failed`, or
 * `unknown` when it may have sent), or retried by BullMQ while it has attempts left.
 */
function runOutcome(job: Job<SmsJobData, SendResult>, error: unknown): SmsJobOutcome {
  if (error instanceof DelayedError || error instanceof RateLimitError) return 'delayed';
  if (error instanceof UnrecoverableError || !(error instanceof Error)) {
    return error instanceof Error && parseJobError(error.message).outcome !== 'unknown'
      ? 'failed'
      : 'unknown';
  }
  return job.attemptsMade + 1 < (job.opts.attempts ?? 1) ? 'retried' : 'failed';
}

function countJob(span: SmsSpan, outcome: SmsJobOutcome): void {
  if (recording(span)) span.setAttribute('sms.queue.outcome', outcome);
  instruments()?.queueJobs.add(1, OUTCOME.get(outcome));
}
