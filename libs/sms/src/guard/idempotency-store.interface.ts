import { type SendAttempt, type SentMessage } from '../interfaces/results.interface';
import { type SmsErrorCode, type SmsFailureClass, type SmsOutcome } from '../errors/sms-error-code';

/** An error as kept by an idempotency store (plain data, so it survives JSON). */
export interface StoredSmsError {
  name: string;
  message: string;
  code: SmsErrorCode;
  outcome: SmsOutcome;
  retryable: boolean;
  /** The failure class; derived from `outcome`, `retryable` and `code` when absent. */
  failure?: SmsFailureClass;
  provider?: string;
  providerCode?: string | number;
  providerMessage?: string;
  httpStatus?: number;
  retryAfterSeconds?: number;
}

/**
 * One recipient of a completed send, as a repeat of its key returns it: its `SentMessage` with the
 * text by index, and `provider` absent when it is the record's.
 */
export interface IdempotencyRecordMessage extends Omit<SentMessage, 'text'> {
  /** Index of its text in `IdempotencyRecord.texts`; absent for the first. */
  text?: number;
}

/**
 * What a store keeps of a completed send: exactly what a repeat of its idempotency key returns (the
 * `SendResult`), each distinct text once. A few hundred bytes, plus the text, plus about 100 bytes a
 * recipient in JSON.
 */
export interface IdempotencyRecord {
  provider: string;
  texts: string[];
  messages: IdempotencyRecordMessage[];
  cost?: number;
  balance?: number;
  attempts: SendAttempt[];
}

/** What a store knows of one idempotency key. */
export type IdempotencyEntry =
  | { state: 'pending' }
  | { state: 'done'; record: IdempotencyRecord }
  /** A call that ended with an outcome-unknown error: repeating it must not send again. */
  | { state: 'failed'; error: StoredSmsError };

/**
 * Where idempotency keys live. The in-memory default serves one process; `nestjs-sms/queue` adds a
 * Redis store for a fleet. Every method must be atomic with respect to the others for one key, and a
 * store must never forget a `pending` or `failed` entry before its TTL (that is what keeps a message
 * from going out twice): a store that has no room for a new key refuses it instead (`reserve`
 * throws an `SmsError`, outcome `not_sent`, and nothing is sent).
 */
export interface SmsIdempotencyStore {
  /**
   * Reserves `key` for the caller (stored as `pending` for `ttlMs`) and returns `null`, or, when the
   * key is already known, changes nothing and returns what is stored. May throw an `SmsError` when
   * the store cannot take a new key (the in-memory store: `RATE_LIMITED` when it is full).
   */
  reserve(key: string, ttlMs: number): Promise<IdempotencyEntry | null>;
  /** What is stored for `key`, or `null`. */
  get(key: string): Promise<IdempotencyEntry | null>;
  /** Replaces the reservation with the final entry, kept for `ttlMs`. */
  settle(key: string, entry: Exclude<IdempotencyEntry, { state: 'pending' }>, ttlMs: number): Promise<void>;
  /** Forgets `key` (the call ended provably not sent, so it may be made again). */
  release(key: string): Promise<void>;
}
