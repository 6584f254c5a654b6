import { setTimeout as sleep } from 'node:timers/promises';
import { RECONCILE_HINT, SmsError } from '../errors';
import { type SendResult } from '../interfaces';
import {
  type IdempotencyEntry,
  type SmsIdempotencyStore,
  type StoredSmsError,
} from './idempotency-store.interface';

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
    await this.store.settle(key, { state: 'done', result }, this.ttlMs);
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
    return structuredClone(current.result);
  }
}
