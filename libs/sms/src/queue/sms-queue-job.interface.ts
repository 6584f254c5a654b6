import { type SmsErrorCode, type SmsFailureClass, type SmsOutcome } from '../errors/sms-error-code';
import { type SendResult } from '../interfaces/results.interface';

/**
 * Where a job is:
 * - `waiting`: queued (`prioritized` in BullMQ terms included);
 * - `delayed`: waiting for its `delay`, or for the backoff before the next run;
 * - `active`: a worker is sending it;
 * - `completed`: the provider answered for every recipient (`result`; a recipient may still be
 *   `accepted: false`);
 * - `failed`: it ended *not sent* (`error`), or was refused for good;
 * - `unknown`: it ended with an outcome that may have reached the provider (`error`; with `result`
 *   when the provider answered for some recipients only): reconcile, never enqueue it again.
 */
export type SmsQueueJobState = 'waiting' | 'delayed' | 'active' | 'completed' | 'failed' | 'unknown';

/** Why a job run failed, as kept with the job. */
export interface SmsQueueJobError {
  code: SmsErrorCode;
  outcome: SmsOutcome;
  /** The failure class of the error, as `SmsError.failure`: what decided the job's next step. */
  failure: SmsFailureClass;
  /** Whether the failure was one the queue retries (class `unavailable`: provably not sent, temporary). */
  retryable: boolean;
  message: string;
}

/** What `SmsQueue.getJob` tells of one job. */
export interface SmsQueueJob {
  jobId: string;
  state: SmsQueueJobState;
  /** Runs started so far, a run cut off by a dead worker included. */
  attempts: number;
  /** Times the job was taken back from a worker that died while it was active. */
  stalls: number;
  /**
   * True when the job ended `unknown`: the message may have gone out, so sending it again may make a
   * duplicate. Reconcile these with `getStatus`.
   */
  possibleDuplicate: boolean;
  /** The send's result, once `completed` (or `unknown` with the provider's answer for some recipients). */
  result?: SendResult;
  /** The last run's error: the reason of a `failed` or `unknown` job, or why a `delayed` one is retried. */
  error?: SmsQueueJobError;
  createdAt: Date;
  finishedAt?: Date;
}

/** A job ended with the provider's answer. */
export interface SmsQueueCompletedEvent {
  type: 'completed';
  jobId: string;
  result: SendResult;
}

/** A job ended *not sent* or refused for good (`failed`), or with an outcome that may have reached the provider (`unknown`). */
export interface SmsQueueFailedEvent {
  type: 'failed' | 'unknown';
  jobId: string;
  error: SmsQueueJobError;
  /** For `unknown`: the provider's answer, when it answered for some recipients only. */
  result?: SendResult;
}

/**
 * A job was taken back from a worker that died while the job was active; it runs again (or fails as
 * `unknown` past `maxStalledCount`). If its send had started, the run again ends `unknown` without
 * sending.
 */
export interface SmsQueueStalledEvent {
  type: 'stalled';
  jobId: string;
}

/** Everything `SmsQueue.events$` emits, from every instance of the queue. */
export type SmsQueueEvent = SmsQueueCompletedEvent | SmsQueueFailedEvent | SmsQueueStalledEvent;

/** What `SmsQueue.checkRedis` found. */
export interface SmsQueueRedisCheck {
  /** Redis answered a `PING` in time. */
  up: boolean;
  latencyMs: number;
  /** Why not, when down (never a URL or a password). */
  message?: string;
}
