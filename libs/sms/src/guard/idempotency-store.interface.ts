import { type SendResult } from '../interfaces/results.interface';
import { type SmsErrorCode, type SmsOutcome } from '../errors/sms-error-code';

/** An error as kept by an idempotency store (plain data, so it survives JSON). */
export interface StoredSmsError {
  name: string;
  message: string;
  code: SmsErrorCode;
  outcome: SmsOutcome;
  retryable: boolean;
  provider?: string;
  providerCode?: string | number;
  providerMessage?: string;
  httpStatus?: number;
  retryAfterSeconds?: number;
}

/** What a store knows of one idempotency key. */
export type IdempotencyEntry =
  | { state: 'pending' }
  | { state: 'done'; result: SendResult }
  /** A call that ended with an outcome-unknown error: repeating it must not send again. */
  | { state: 'failed'; error: StoredSmsError };

/**
 * Where idempotency keys live. The in-memory default serves one process; `nestjs-sms/queue` adds a
 * Redis store for a fleet. Every method must be atomic with respect to the others for one key.
 */
export interface SmsIdempotencyStore {
  /**
   * Reserves `key` for the caller (stored as `pending` for `ttlMs`) and returns `null`, or, when the
   * key is already known, changes nothing and returns what is stored.
   */
  reserve(key: string, ttlMs: number): Promise<IdempotencyEntry | null>;
  /** What is stored for `key`, or `null`. */
  get(key: string): Promise<IdempotencyEntry | null>;
  /** Replaces the reservation with the final entry, kept for `ttlMs`. */
  settle(key: string, entry: Exclude<IdempotencyEntry, { state: 'pending' }>, ttlMs: number): Promise<void>;
  /** Forgets `key` (the call ended provably not sent, so it may be made again). */
  release(key: string): Promise<void>;
}

/** Injection token of the idempotency store. */
export const SMS_IDEMPOTENCY_STORE = 'SMS:IDEMPOTENCY_STORE';
