import { type BackoffOptions, type KeepJobs } from 'bullmq';
import { type Cluster, type Redis, type RedisOptions } from 'ioredis';

/** A rate limit shared by every worker of the queue: at most `max` sends in any `duration` ms. */
export interface SmsQueueLimiter {
  max: number;
  duration: number;
}

/** Options of `SmsQueueModule.forRoot` / the factory of `forRootAsync`. */
export interface SmsQueueModuleOptions {
  /**
   * Redis: a URL (`redis://127.0.0.1:6379/0`), ioredis options, or an ioredis instance (shared, never
   * closed by the module; a worker needs it created with `maxRetriesPerRequest: null`). Besides
   * BullMQ's connections the module opens one of its own with the same settings (a duplicate of a
   * given instance), for its send marks, limiter and events, and closes it on shutdown.
   */
  connection: string | RedisOptions | Redis | Cluster;
  /** Prefix of every BullMQ key. Default `bull` (what dashboards look for). */
  prefix?: string;
  /** Jobs one worker process sends at once. Default 10. */
  concurrency?: number;
  /**
   * Sends of the whole queue in any `duration` ms, across every instance: BullMQ's limiter, made exact
   * for any window as the provider counts it (a send holds its slot until one window after it ended).
   * None by default.
   */
  limiter?: SmsQueueLimiter;
  /**
   * Limits per configured provider (the job's `provider`, or the default one), e.g. `{ main: { max: 30,
   * duration: 1000 } }`. A job over its provider's limit waits in `delayed` without holding up jobs for
   * other providers. None by default.
   */
  providerLimiters?: Record<string, SmsQueueLimiter>;
  /**
   * Runs per job at most, the first included, for *not sent* failures. Default 13: with the default
   * backoff, 68 minutes of retries.
   */
  attempts?: number;
  /** Delay between runs of a *not sent* job. Default `{ type: 'exponential', delay: 1000 }`. */
  backoff?: BackoffOptions;
  /**
   * Bound of every Redis call of `enqueue`, `enqueueBatch`, `getJob` and of the worker's own commands
   * (send marks, limiter): past it the call fails with an `SmsError` `UNAVAILABLE` (`not_sent` when
   * nothing was sent to Redis, `unknown` when an enqueue was sent and got no answer). Default 2 000 ms.
   */
  commandTimeoutMs?: number;
  /** Run a worker in this process. Default `true`; `false` for an instance that only enqueues. */
  worker?: boolean;
  /** How long shutdown waits for the jobs in flight before it lets them go. Default 25 000 ms. */
  shutdownTimeoutMs?: number;
  /** How long a worker's lock on a job lasts before it is renewed (BullMQ). Default 30 000 ms. */
  lockDuration?: number;
  /** How often jobs of dead workers are looked for (BullMQ). Default 30 000 ms. */
  stalledInterval?: number;
  /** How many times a job may be picked up again after its worker died. Default 1. */
  maxStalledCount?: number;
  /** Completed jobs kept (BullMQ `KeepJobs`, or `true` to drop at once). Default 24 h and at most 100 000. */
  removeOnComplete?: KeepJobs | boolean;
  /** Failed jobs kept (BullMQ `KeepJobs`, or `true` to drop at once). Default 7 days. */
  removeOnFail?: KeepJobs | boolean;
}

/** Options of one `SmsQueue.enqueue`. */
export interface SmsEnqueueOptions {
  /**
   * The same key enqueued again is the same job (its id is derived from the key), and the worker passes
   * it on to `SmsService.send`, whose idempotency store then refuses to send it twice.
   */
  idempotencyKey?: string;
  /** Wait this many ms before the job may run. */
  delay?: number;
  /** 1 (highest) to 2 097 152; a job without a priority goes before every prioritized job (BullMQ). */
  priority?: number;
}

/** Options of `SmsQueue.enqueueBatch`; each input may carry its own `idempotencyKey`. */
export type SmsEnqueueBatchOptions = Omit<SmsEnqueueOptions, 'idempotencyKey'>;

/** What `enqueue` returns. */
export interface SmsEnqueueResult {
  /** The BullMQ job id: random, or derived from the idempotency key. */
  jobId: string;
}
