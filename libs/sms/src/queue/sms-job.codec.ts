import { createHash } from 'node:crypto';
import { UnrecoverableError } from 'bullmq';
import { SmsError, SmsValidationError } from '../errors';
import { type SmsErrorCode, type SmsFailureClass, type SmsOutcome } from '../errors/sms-error-code';
import { type SendResult } from '../interfaces/results.interface';
import { type SendInput } from '../interfaces/send-input.interface';
import { type TraceCarrier } from '../telemetry/propagation';
import { type SmsQueueJobError } from './sms-queue-job.interface';

/** A `SendInput` as kept in Redis: JSON, with `sendAt` as an ISO string. */
export type StoredSendInput = Omit<SendInput, 'sendAt'> & { sendAt?: string };

/**
 * The data of one job (internal). `v` is the layout's version; `trace` the W3C trace context of the
 * enqueue, when there was one (jobs without it are read alike).
 */
export interface SmsJobData {
  v: 1;
  input: StoredSendInput;
  trace?: TraceCarrier;
}

const INPUT_FIELDS = [
  'to',
  'text',
  'sender',
  'ttlMinutes',
  'test',
  'clientIp',
  'translit',
  'daytime',
  'provider',
  'idempotencyKey',
] as const satisfies ReadonlyArray<keyof SendInput>;

/** Longest error message kept with a job. */
const MAX_REASON_LENGTH = 1_000;
/**
 * `CODE outcome class: message`; a reason written before the class was kept has ` retryable` or
 * nothing in its place (read as `unavailable`, or `refused` / `unknown` by its outcome).
 */
const REASON_PATTERN =
  /^([A-Z_]+) (not_sent|unknown)(?: (unavailable|account|refused|no_route|unknown)| (retryable))?: ([\s\S]*)$/;

/**
 * The job id for an idempotency key: a hash, so that any key is a valid id (BullMQ ids cannot hold
 * `:`) and the same key is always the same job.
 */
export function jobIdForKey(idempotencyKey: string): string {
  return `idem-${createHash('sha256').update(idempotencyKey).digest('hex')}`;
}

/** The job data for a validated input: only the known fields, `sendAt` as an ISO string. */
export function toJobData(input: SendInput, idempotencyKey?: string, trace?: TraceCarrier): SmsJobData {
  const stored: Record<string, unknown> = {};
  for (const field of INPUT_FIELDS) if (input[field] !== undefined) stored[field] = input[field];
  if (input.sendAt !== undefined) stored.sendAt = input.sendAt.toISOString();
  if (idempotencyKey !== undefined) stored.idempotencyKey = idempotencyKey;
  const data: SmsJobData = { v: 1, input: stored as StoredSendInput };
  if (trace) data.trace = trace;
  return data;
}

/**
 * The `SendInput` of a job: `sendAt` back to a `Date`, dropped when it has passed (the job waited or
 * was retried past it, so it goes out now rather than being refused as "in the past").
 */
export function fromJobData(data: unknown, now = Date.now()): SendInput {
  const input = (data as Partial<SmsJobData> | null)?.input;
  if ((data as Partial<SmsJobData> | null)?.v !== 1 || !input || typeof input !== 'object') {
    throw new SmsValidationError([{ field: 'job', message: 'holds no send input this version can read' }]);
  }
  const { sendAt, ...rest } = input;
  if (sendAt === undefined) return rest;
  const at = new Date(sendAt);
  return at.getTime() > now ? { ...rest, sendAt: at } : rest;
}

/**
 * Whether a run's error proves that nothing went out, so the job's send mark may be cleared: an
 * `SmsError` of any class but `unknown`. Anything else may have sent.
 */
export function provablyNotSent(error: unknown): boolean {
  return error instanceof SmsError && error.failure !== 'unknown';
}

/**
 * The error a job run throws for what `SmsService.send` threw: only the `unavailable` class (provably
 * not sent, temporary) is retried with backoff; an *unknown* outcome or any other class is an
 * `UnrecoverableError` (no retry). Anything that is not an `SmsError` is treated as an unknown outcome.
 */
export function toJobFailure(error: unknown): Error {
  if (error instanceof SmsError) {
    const reason = formatReason(error.code, error.outcome, error.failure, error.message);
    return error.failure === 'unavailable' ? new Error(reason) : new UnrecoverableError(reason);
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new UnrecoverableError(formatReason('UNKNOWN', 'unknown', 'unknown', message));
}

function formatReason(
  code: SmsErrorCode,
  outcome: SmsOutcome,
  failure: SmsFailureClass,
  message: string,
): string {
  const text = message.length > MAX_REASON_LENGTH ? `${message.slice(0, MAX_REASON_LENGTH)}…` : message;
  return `${code} ${outcome} ${failure}: ${text}`;
}

/**
 * The unknown part of a completed send: the recipients whose outcome is unknown (the provider may
 * have taken them), as the error of a job that ends `unknown`; `undefined` when every recipient's
 * outcome is known.
 */
export function unknownRecipients(result: SendResult | undefined): SmsQueueJobError | undefined {
  const unknown = (result?.messages ?? []).filter(
    (m) => m.error && (m.error.outcome === 'unknown' || m.error.failure === 'unknown'),
  );
  if (unknown.length === 0) return undefined;
  const first = unknown[0].error!;
  return {
    code: first.code,
    outcome: 'unknown',
    failure: 'unknown',
    retryable: false,
    message:
      `${unknown.length} of ${result!.messages.length} recipient(s) may have been sent (${first.message}); ` +
      'reconcile them with getStatus, never enqueue them again',
  };
}

/**
 * The error kept with a job (BullMQ's `failedReason`). A reason the queue did not write (a job
 * failed by BullMQ itself, e.g. stalled too many times) is an unknown outcome.
 */
export function parseJobError(failedReason: string): SmsQueueJobError {
  const match = REASON_PATTERN.exec(failedReason);
  if (!match) {
    return {
      code: 'UNKNOWN',
      outcome: 'unknown',
      failure: 'unknown',
      retryable: false,
      message: failedReason,
    };
  }
  const outcome = match[2] as SmsOutcome;
  const failure =
    (match[3] as SmsFailureClass | undefined) ??
    (match[4] !== undefined ? 'unavailable' : outcome === 'unknown' ? 'unknown' : 'refused');
  return {
    code: match[1] as SmsErrorCode,
    outcome,
    failure,
    retryable: failure === 'unavailable',
    message: match[5],
  };
}
