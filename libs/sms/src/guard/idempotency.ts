import { setTimeout as sleep } from 'node:timers/promises';
import { RECONCILE_HINT, SmsError } from '../errors';
import { type SendResult, type SentMessage } from '../interfaces';
import {
  type IdempotencyEntry,
  type IdempotencyRecord,
  type IdempotencyRecordMessage,
  type SmsIdempotencyStore,
  type StoredSmsError,
} from './idempotency-store.interface';

/** The longest idempotency key a send takes. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

/** Whether a value is an acceptable idempotency key (a non-empty text of at most 200 characters). */
export function isIdempotencyKey(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '' && value.length <= MAX_IDEMPOTENCY_KEY_LENGTH;
}

const POLL_MIN_MS = 20;
const POLL_MAX_MS = 500;

/** Plain data of an error, for a store. */
export function storeError(error: SmsError): StoredSmsError {
  const {
    name,
    message,
    code,
    outcome,
    retryable,
    failure,
    provider,
    providerCode,
    providerMessage,
    httpStatus,
    retryAfterSeconds,
  } = error;
  return {
    name,
    message,
    code,
    outcome,
    retryable,
    failure,
    provider,
    providerCode,
    providerMessage,
    httpStatus,
    retryAfterSeconds,
  };
}

function restoreError(stored: StoredSmsError): SmsError {
  return new SmsError(stored.message, stored);
}

/** The compact record of a result: each distinct text once, the provider only where it differs. */
export function recordOf(result: SendResult): IdempotencyRecord {
  const texts: string[] = [];
  const textIndex = new Map<string, number>();
  const messages = result.messages.map((m): IdempotencyRecordMessage => {
    let index = textIndex.get(m.text);
    if (index === undefined) {
      index = texts.push(m.text) - 1;
      textIndex.set(m.text, index);
    }
    const kept: IdempotencyRecordMessage = {
      to: m.to,
      accepted: m.accepted,
      status: m.status,
      segments: m.segments,
    };
    if (index > 0) kept.text = index;
    if (m.id !== undefined) kept.id = m.id;
    if (m.price !== undefined) kept.price = m.price;
    if (m.error !== undefined) kept.error = { ...m.error };
    if (m.provider !== undefined && m.provider !== result.provider) kept.provider = m.provider;
    return kept;
  });
  const record: IdempotencyRecord = {
    provider: result.provider,
    texts,
    messages,
    attempts: result.attempts.map((a) => ({ ...a, ...(a.error && { error: { ...a.error } }) })),
  };
  if (result.cost !== undefined) record.cost = result.cost;
  if (result.balance !== undefined) record.balance = result.balance;
  return record;
}

/** The result a record was made of (a new object every time). */
export function resultOf(record: IdempotencyRecord): SendResult {
  const messages = record.messages.map((m): SentMessage => {
    const message: SentMessage = {
      to: m.to,
      text: record.texts[m.text ?? 0],
      accepted: m.accepted,
      status: m.status,
      segments: m.segments,
    };
    if (m.id !== undefined) message.id = m.id;
    if (m.price !== undefined) message.price = m.price;
    if (m.error !== undefined) message.error = { ...m.error };
    message.provider = m.provider ?? record.provider;
    return message;
  });
  const result: SendResult = {
    provider: record.provider,
    messages,
    attempts: record.attempts.map((a) => ({ ...a, ...(a.error && { error: { ...a.error } }) })),
  };
  if (record.cost !== undefined) result.cost = record.cost;
  if (record.balance !== undefined) result.balance = record.balance;
  return result;
}

/**
 * Runs a send at most once per idempotency key within the window: a repeat returns the first result
 * (or waits for it while it is in flight, in this process or another sharing the store); a first call
 * that ended with an outcome-unknown error makes every repeat fail the same way (never a second send);
 * one that ended provably not sent frees the key.
 */
export class IdempotencyGuard {
  private readonly inFlight = new Map<string, Promise<SendResult>>();

  constructor(
    private readonly store: SmsIdempotencyStore,
    private readonly ttlMs: number,
  ) {}

  async run(key: string, deadlineAt: number, send: () => Promise<SendResult>): Promise<SendResult> {
    const local = this.inFlight.get(key);
    if (local) return local;
    const existing = await this.store.reserve(key, this.ttlMs);
    if (existing) return this.settled(key, existing, deadlineAt, send);
    const running = this.execute(key, send);
    this.inFlight.set(key, running);
    try {
      return await running;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async execute(key: string, send: () => Promise<SendResult>): Promise<SendResult> {
    let result: SendResult;
    try {
      result = await send();
    } catch (e) {
      if (e instanceof SmsError && e.outcome === 'not_sent') await this.store.release(key);
      else {
        const error =
          e instanceof SmsError
            ? e
            : new SmsError(`Send failed: ${e instanceof Error ? e.message : String(e)}. ${RECONCILE_HINT}`, {
                code: 'UNKNOWN',
                outcome: 'unknown',
              });
        await this.store.settle(key, { state: 'failed', error: storeError(error) }, this.ttlMs);
      }
      throw e;
    }
    await this.store.settle(key, { state: 'done', record: recordOf(result) }, this.ttlMs);
    return result;
  }

  private async settled(
    key: string,
    entry: IdempotencyEntry,
    deadlineAt: number,
    send: () => Promise<SendResult>,
  ): Promise<SendResult> {
    let current: IdempotencyEntry | null = entry;
    let delay = POLL_MIN_MS;
    while (current?.state === 'pending') {
      if (Date.now() + delay > deadlineAt) {
        throw new SmsError(
          `A send with idempotency key "${key}" is still in progress elsewhere. ${RECONCILE_HINT}`,
          { code: 'TIMEOUT', outcome: 'unknown' },
        );
      }
      await sleep(delay);
      delay = Math.min(delay * 2, POLL_MAX_MS);
      current = await this.store.get(key);
    }
    if (current === null) return this.run(key, deadlineAt, send);
    if (current.state === 'failed') throw restoreError(current.error);
    return resultOf(current.record);
  }
}
