import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { type ModuleRef } from '@nestjs/core';
import { type Job, type JobsOptions, type Queue, QueueEvents } from 'bullmq';
import { Observable, share, Subject, takeUntil } from 'rxjs';
import { SmsConfigurationError, SmsValidationError, type SmsValidationDetail } from '../errors';
import { type SendInput, type SendResult } from '../interfaces';
import { isIdempotencyKey, MAX_IDEMPOTENCY_KEY_LENGTH } from '../guard/idempotency';
import { SmsService } from '../sms.service';
import { closeWithin, type RedisCall, withinDeadline } from './redis-deadline';
import { isConnectionError, type RedisErrorLog } from './redis-error-log';
import { type RedisClient } from './redis-script';
import { isRedisInstance, type SmsQueueRedis } from './sms-queue-redis';
import { type SmsJobData, jobIdForKey, parseJobError, toJobData, unknownRecipients } from './sms-job.codec';
import { SMS_JOB_NAME, SMS_QUEUE_LOGGER_CONTEXT } from './sms-queue.constants';
import {
  type SmsQueueEvent,
  type SmsQueueJob,
  type SmsQueueJobState,
  type SmsQueueRedisCheck,
} from './sms-queue-job.interface';
import {
  type SmsEnqueueBatchOptions,
  type SmsEnqueueOptions,
  type SmsEnqueueResult,
} from './sms-queue-options.interface';
import { type SmsQueueSettings } from './sms-queue-options';
import { AttributeCache } from '../telemetry/attribute-cache';
import { type GaugeSource, forgetQueue, observeQueue } from '../telemetry/metrics';
import { injectContext } from '../telemetry/propagation';
import { SpanKinds, type SmsSpan, inSpan, recording } from '../telemetry/spans';

/** BullMQ's highest priority number. */
const MAX_PRIORITY = 2_097_152;

/** BullMQ job states as the queue reports them (`failed` is split by outcome later). */
const STATES: Readonly<Record<string, SmsQueueJobState>> = {
  waiting: 'waiting',
  prioritized: 'waiting',
  'waiting-children': 'waiting',
  delayed: 'delayed',
  active: 'active',
  completed: 'completed',
  failed: 'failed',
};

const ENQUEUE: RedisCall = { what: 'enqueue', sentFailure: 'unknown', notSent: 'nothing was queued' };
const READ: RedisCall = { what: 'getJob', sentFailure: 'unavailable', notSent: 'nothing was read' };
const EVENTS: RedisCall = { what: 'events$', sentFailure: 'unavailable', notSent: 'no events are read' };
const PING: RedisCall = { what: 'ping', sentFailure: 'unavailable', notSent: 'nothing was asked' };
const DEPTH: RedisCall = { what: 'job counts', sentFailure: 'unavailable', notSent: 'nothing was read' };
const DEPTH_ATTRIBUTES = new AttributeCache(['sms.queue.name', 'sms.queue.state']);

/**
 * Puts SMS on a BullMQ queue shared by every instance of the application, and tells what became of
 * them. Workers (in this process or others) send each job through `SmsService.send`.
 *
 * @example
 * @Injectable()
 * export class Notifier {
 *   constructor(private readonly queue: SmsQueue) {}
 *   async orderShipped(order: Order) {
 *     const { jobId } = await this.queue.enqueue(
 *       { to: order.phone, text: `Order ${order.id} is on its way` },
 *       { idempotencyKey: `shipped:${order.id}` },
 *     );
 *     return jobId;
 *   }
 * }
 */
export class SmsQueue implements OnApplicationShutdown {
  /**
   * Jobs' end, failures and stalls, from every instance of the queue, as they happen. Subscribing while
   * Redis is unreachable errors with an `SmsError` `UNAVAILABLE` after `commandTimeoutMs`.
   */
  readonly events$: Observable<SmsQueueEvent>;
  private readonly logger = new Logger(SMS_QUEUE_LOGGER_CONTEXT);
  private readonly shutdown$ = new Subject<void>();
  private readonly listeners = new Set<QueueEvents>();
  private smsRef?: SmsService;

  constructor(
    private readonly settings: SmsQueueSettings,
    /** The BullMQ queue itself, for dashboards, metrics and maintenance. */
    readonly queue: Queue<SmsJobData, SendResult>,
    private readonly moduleRef: ModuleRef,
    private readonly redisLog: RedisErrorLog,
    private readonly redis: SmsQueueRedis,
  ) {
    queue.on('error', (e) => this.logError(e, 'Queue'));
    observeQueue(this.observeDepth);
    this.events$ = new Observable<SmsQueueEvent>((subscriber) => {
      let listener: QueueEvents | undefined;
      let closed = false;
      this.listen((event) => subscriber.next(event))
        .then((started) => {
          if (closed) void this.stopListening(started);
          else listener = started;
        })
        .catch((e: unknown) => subscriber.error(e));
      return () => {
        closed = true;
        if (listener) void this.stopListening(listener);
      };
    }).pipe(takeUntil(this.shutdown$), share());
  }

  /** The queue's name. */
  get name(): string {
    return this.settings.queueName;
  }

  /**
   * Validates `input` exactly as `SmsService.send` does (invalid input throws `SmsValidationError`
   * and nothing is queued) and queues it. With an `idempotencyKey` (here or in the input) the job id
   * is derived from the key: the same key enqueued again is the same job.
   *
   * Redis down: it fails within `commandTimeoutMs` with an `SmsError` `UNAVAILABLE`, `not_sent` when
   * nothing reached Redis, `unknown` when the job was sent and no answer came (it may be queued; with
   * an idempotency key, enqueueing again is safe: the same key is the same job).
   */
  async enqueue(input: SendInput, options: SmsEnqueueOptions = {}): Promise<SmsEnqueueResult> {
    return inSpan('sms.queue.enqueue', SpanKinds.PRODUCER, async (span) => {
      this.describe(span, 1);
      const { job } = this.prepare(input, options, '');
      const added = await this.redisCall(ENQUEUE, () => this.queue.add(SMS_JOB_NAME, job.data, job.opts));
      return { jobId: added.id! };
    });
  }

  /**
   * Queues many sends at once, each input with its own `idempotencyKey` if any. Every input is
   * validated first: one invalid input throws `SmsValidationError` (fields `[i].to`, …) and nothing is
   * queued.
   */
  async enqueueBatch(inputs: SendInput[], options: SmsEnqueueBatchOptions = {}): Promise<SmsEnqueueResult[]> {
    return inSpan('sms.queue.enqueue', SpanKinds.PRODUCER, (span) => this.addBatch(inputs, options, span));
  }

  private async addBatch(
    inputs: SendInput[],
    options: SmsEnqueueBatchOptions,
    span: SmsSpan,
  ): Promise<SmsEnqueueResult[]> {
    if (!Array.isArray(inputs) || inputs.length === 0) {
      throw new SmsValidationError([{ field: 'inputs', message: 'must hold at least one send' }]);
    }
    this.describe(span, inputs.length);
    const jobs: Array<{ name: string; data: SmsJobData; opts: JobsOptions }> = [];
    const details: SmsValidationDetail[] = [];
    inputs.forEach((input, i) => {
      try {
        jobs.push({ name: SMS_JOB_NAME, ...this.prepare(input, options, `[${i}].`).job });
      } catch (e) {
        if (!(e instanceof SmsValidationError)) throw e;
        details.push(...e.details);
      }
    });
    if (details.length > 0) throw new SmsValidationError(details);
    const added = await this.redisCall(ENQUEUE, () => this.queue.addBulk(jobs));
    return added.map((job) => ({ jobId: job.id! }));
  }

  /**
   * What became of a job, or `null` when the queue does not know the id (never queued, or removed).
   * Redis down: an `SmsError` `UNAVAILABLE` within `commandTimeoutMs`.
   */
  async getJob(jobId: string): Promise<SmsQueueJob | null> {
    if (typeof jobId !== 'string' || jobId === '') return null;
    const read = await this.redisCall(READ, () => this.readConsistently(jobId));
    if (!read) return null;
    const { job, bullState } = read;
    const base = STATES[bullState];
    if (!base) return null;
    const result = base === 'completed' ? (job.returnvalue ?? undefined) : undefined;
    const error =
      base === 'completed'
        ? unknownRecipients(result)
        : job.failedReason
          ? parseJobError(job.failedReason)
          : undefined;
    const state: SmsQueueJobState =
      (base === 'failed' || base === 'completed') && error?.outcome === 'unknown' ? 'unknown' : base;
    const stalls = job.stalledCounter ?? 0;
    const view: SmsQueueJob = {
      jobId,
      state,
      attempts: (job.attemptsMade ?? 0) + stalls + (state === 'active' ? 1 : 0),
      stalls,
      possibleDuplicate: state === 'unknown',
      createdAt: new Date(job.timestamp),
    };
    if (result) view.result = result;
    if (error) view.error = error;
    if (job.finishedOn) view.finishedAt = new Date(job.finishedOn);
    return view;
  }

  /**
   * The job and its state as of one moment: a job moves between states and its fields in one atomic
   * step, so a state that is the same before and after reading the fields is theirs.
   */
  private async readConsistently(jobId: string) {
    let before = await this.queue.getJobState(jobId);
    for (;;) {
      const job = (await this.queue.getJob(jobId)) as Job<SmsJobData, SendResult> | undefined;
      if (!job) return null;
      const after = await this.queue.getJobState(jobId);
      if (after === before) return { job, bullState: after };
      before = after;
    }
  }

  /**
   * Whether the queue's Redis answers a `PING` within `timeoutMs` (default `commandTimeoutMs`), for
   * readiness checks; it never throws.
   */
  async checkRedis(timeoutMs = this.settings.commandTimeoutMs): Promise<SmsQueueRedisCheck> {
    const started = Date.now();
    try {
      await withinDeadline(this.redis.client, timeoutMs, PING, (client) => client.ping());
      return { up: true, latencyMs: Date.now() - started };
    } catch (e) {
      return { up: false, latencyMs: Date.now() - started, message: (e as Error).message };
    }
  }

  private describe(span: SmsSpan, jobs: number): void {
    if (!recording(span)) return;
    span.setAttribute('sms.queue.name', this.name);
    span.setAttribute('sms.queue.jobs', jobs);
  }

  /**
   * `sms.queue.depth`: waiting (prioritized included), delayed and active jobs. Skipped while the
   * queue's Redis is not connected, and when it does not answer within `commandTimeoutMs`.
   */
  private readonly observeDepth: GaugeSource = async (observe) => {
    if (this.redis.client.status !== 'ready') return;
    try {
      const counts = await this.redisCall(DEPTH, () =>
        this.queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active'),
      );
      observe((counts.waiting ?? 0) + (counts.prioritized ?? 0), DEPTH_ATTRIBUTES.get(this.name, 'waiting'));
      observe(counts.delayed ?? 0, DEPTH_ATTRIBUTES.get(this.name, 'delayed'));
      observe(counts.active ?? 0, DEPTH_ATTRIBUTES.get(this.name, 'active'));
    } catch {
      // no observation this time
    }
  };

  /** Connection errors with backoff (shared with the worker); others as they come. */
  private logError(error: Error, what: string): void {
    if (isConnectionError(error)) this.redisLog.failed(error);
    else this.logger.warn(`${what} of "${this.name}": ${error.message}`);
  }

  /**
   * A queue call within `commandTimeoutMs`; see `withinDeadline`. It waits for the module's own
   * connection, to the same Redis as BullMQ's, before handing BullMQ the call.
   */
  private redisCall<T>(call: RedisCall, send: (client: RedisClient) => Promise<T>): Promise<T> {
    return withinDeadline(this.redis.client, this.settings.commandTimeoutMs, call, send);
  }

  /** Closes the events readers and the queue, then the module's own connection (the worker has stopped). */
  async onApplicationShutdown(): Promise<void> {
    forgetQueue(this.observeDepth);
    this.shutdown$.next();
    this.shutdown$.complete();
    await Promise.allSettled([...this.listeners].map((listener) => this.stopListening(listener)));
    await closeWithin(this.queue, this.settings.commandTimeoutMs, this.sharedConnection());
    await this.redis.close(this.settings.commandTimeoutMs);
  }

  /** Whether the connection is the application's ioredis instance (never closed by the module). */
  private sharedConnection(): boolean {
    return isRedisInstance(this.settings.connection);
  }

  private prepare(input: SendInput, options: SmsEnqueueOptions, field: string) {
    const details: SmsValidationDetail[] = [];
    const key = this.checkOptions(input, options, field, details);
    try {
      // The keys are checked above, with their own field names.
      this.sms().validate(
        input && typeof input === 'object' ? { ...input, idempotencyKey: undefined } : input,
      );
    } catch (e) {
      if (!(e instanceof SmsValidationError)) throw e;
      details.push(...e.details.map((d) => ({ field: `${field}${d.field}`, message: d.message })));
    }
    if (details.length > 0) throw new SmsValidationError(details);
    const opts: JobsOptions = {};
    if (key !== undefined) opts.jobId = jobIdForKey(key);
    if (options.delay !== undefined && options.delay > 0) opts.delay = options.delay;
    if (options.priority !== undefined) opts.priority = options.priority;
    return { job: { data: toJobData(input, key, injectContext()), opts } };
  }

  private checkOptions(
    input: SendInput,
    options: SmsEnqueueOptions,
    field: string,
    details: SmsValidationDetail[],
  ): string | undefined {
    const own = options?.idempotencyKey;
    const inInput = input && typeof input === 'object' ? input.idempotencyKey : undefined;
    for (const [name, value] of [
      ['idempotencyKey', own],
      [`${field}idempotencyKey`, inInput],
    ] as const) {
      if (value !== undefined && !isIdempotencyKey(value)) {
        details.push({
          field: name,
          message: `must be a non-empty text of at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`,
        });
      }
    }
    if (own !== undefined && inInput !== undefined && own !== inInput) {
      details.push({ field: 'idempotencyKey', message: 'differs from the input’s idempotencyKey' });
    }
    const { delay, priority } = options ?? {};
    if (delay !== undefined && (typeof delay !== 'number' || !Number.isInteger(delay) || delay < 0)) {
      details.push({ field: 'delay', message: 'must be a whole number of ms, 0 or more' });
    }
    if (
      priority !== undefined &&
      (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 1 || priority > MAX_PRIORITY)
    ) {
      details.push({ field: 'priority', message: `must be a whole number from 1 to ${MAX_PRIORITY}` });
    }
    return own ?? inInput;
  }

  private sms(): SmsService {
    if (!this.smsRef) {
      try {
        this.smsRef = this.moduleRef.get(SmsService, { strict: false });
      } catch {
        throw new SmsConfigurationError(
          'SmsQueueModule needs SmsModule: import SmsModule.forRoot(…) in the application',
        );
      }
    }
    return this.smsRef;
  }

  /** Starts a `QueueEvents` reader from the end of the events stream as it is now. */
  private async listen(emit: (event: SmsQueueEvent) => void): Promise<QueueEvents> {
    const [last] = await this.redisCall(EVENTS, (client) =>
      client.xrevrange(this.queue.keys.events, '+', '-', 'COUNT', 1),
    );
    const listener = new QueueEvents(this.settings.queueName, {
      connection: this.settings.connection,
      prefix: this.settings.prefix,
      autorun: false,
      lastEventId: last?.[0] ?? '0-0',
    });
    this.listeners.add(listener);
    listener.on('completed', ({ jobId, returnvalue }) => {
      const result = returnvalue as unknown as SendResult;
      const error = unknownRecipients(result);
      emit(error ? { type: 'unknown', jobId, error, result } : { type: 'completed', jobId, result });
    });
    listener.on('failed', ({ jobId, failedReason }) => {
      const error = parseJobError(failedReason);
      emit({ type: error.outcome === 'unknown' ? 'unknown' : 'failed', jobId, error });
    });
    listener.on('stalled', ({ jobId }) => emit({ type: 'stalled', jobId }));
    listener.on('error', (e) => this.logError(e, 'Queue events'));
    listener.run().catch((e: unknown) => {
      if (this.listeners.has(listener)) {
        this.logger.warn(
          `Queue events of "${this.name}" stopped: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
    });
    return listener;
  }

  private async stopListening(listener: QueueEvents): Promise<void> {
    if (!this.listeners.delete(listener)) return;
    await closeWithin(listener, this.settings.commandTimeoutMs, this.sharedConnection());
  }
}
