import { Logger } from '@nestjs/common';
import { SmsError } from '../errors';
import { SMS_LOGGER_CONTEXT } from '../sms.constants';
import { ExpiryQueue } from './expiry-queue';
import { type IdempotencyEntry, type SmsIdempotencyStore } from './idempotency-store.interface';

interface Slot {
  key: string;
  entry: IdempotencyEntry;
  expiresAt: number;
}

/**
 * The in-process idempotency store: at most `maxEntries` keys, each until its TTL. Enough for one
 * instance; a fleet needs a shared store (`RedisIdempotencyStore`).
 *
 * It never forgets a key that keeps a message from going out twice: a reservation (its send is in
 * flight) and a send that ended with an unknown outcome stay until their TTL. When it is full, a new
 * key first pushes out the oldest completed one (a repeat of that key would then send again: size
 * `maxEntries` for the keys of one TTL); when every key held is in flight or unknown, a new key is
 * refused with `RATE_LIMITED` (`retryAfterSeconds`: until the first of them expires), nothing sent.
 * Expired keys are swept in expiry order, amortized O(1) a call. Entries are the compact records the
 * guard stores (see `IdempotencyRecord`).
 */
export class MemoryIdempotencyStore implements SmsIdempotencyStore {
  private readonly logger = new Logger(SMS_LOGGER_CONTEXT);
  private readonly slots = new Map<string, Slot>();
  /** Completed keys, oldest first: the only ones forgotten before their TTL, when the store is full. */
  private readonly done = new Set<Slot>();
  private readonly expiries = new ExpiryQueue<Slot>((slot) => this.slots.get(slot.key) === slot);
  private warned: 'evicting' | 'refusing' | undefined;

  /** @param maxEntries keys held at most, default 10 000 */
  constructor(private readonly maxEntries = 10_000) {}

  /** Keys held now. */
  get size(): number {
    this.sweep(Date.now());
    return this.slots.size;
  }

  async reserve(key: string, ttlMs: number): Promise<IdempotencyEntry | null> {
    const now = Date.now();
    this.sweep(now);
    const existing = this.live(key, now);
    if (existing) return existing.entry;
    if (this.slots.size >= this.maxEntries) this.makeRoom(now);
    this.put(key, { state: 'pending' }, ttlMs, now);
    return null;
  }

  async get(key: string): Promise<IdempotencyEntry | null> {
    const now = Date.now();
    this.sweep(now);
    return this.live(key, now)?.entry ?? null;
  }

  async settle(
    key: string,
    entry: Exclude<IdempotencyEntry, { state: 'pending' }>,
    ttlMs: number,
  ): Promise<void> {
    const now = Date.now();
    this.sweep(now);
    // Never refused: the send is over. Only a reservation that outlived its TTL can make it a key more.
    if (!this.slots.has(key) && this.slots.size >= this.maxEntries && this.done.size > 0) this.makeRoom(now);
    this.put(key, entry, ttlMs, now);
  }

  async release(key: string): Promise<void> {
    const slot = this.slots.get(key);
    if (slot) this.remove(slot);
  }

  /** The slot of a key, unless its TTL is over (a clock set back can leave one unswept). */
  private live(key: string, now: number): Slot | undefined {
    const slot = this.slots.get(key);
    if (slot && slot.expiresAt <= now) {
      this.remove(slot);
      return undefined;
    }
    return slot;
  }

  private put(key: string, entry: IdempotencyEntry, ttlMs: number, now: number): void {
    const previous = this.slots.get(key);
    if (previous) this.done.delete(previous);
    const slot: Slot = { key, entry, expiresAt: now + ttlMs };
    this.slots.set(key, slot);
    if (entry.state === 'done') this.done.add(slot);
    this.expiries.push(ttlMs, slot, this.slots.size);
  }

  private remove(slot: Slot): void {
    this.slots.delete(slot.key);
    this.done.delete(slot);
  }

  private sweep(now: number): void {
    this.expiries.sweep(now, (slot) => this.remove(slot));
    if (this.warned && this.slots.size < this.maxEntries * 0.9) this.warned = undefined;
  }

  /** Forgets the oldest completed key, or refuses the new one when every key held must stay. */
  private makeRoom(now: number): void {
    const oldest = this.done.values().next().value;
    if (oldest) {
      this.remove(oldest);
      if (!this.warned) {
        this.warned = 'evicting';
        this.logger.warn(
          `Idempotency store full (${this.maxEntries} keys): completed keys are forgotten before their TTL, oldest first; raise idempotency.maxEntries`,
        );
      }
      return;
    }
    const retryAfterMs = (this.expiries.earliest() ?? now) - now;
    if (this.warned !== 'refusing') {
      this.warned = 'refusing';
      this.logger.warn(
        `Idempotency store full (${this.maxEntries} keys) of sends in flight or with an unknown outcome: new keys are refused until the first expires`,
      );
    }
    throw new SmsError(
      `The idempotency store is full: its ${this.maxEntries} keys are all sends in flight or with an unknown outcome, which are kept until their TTL. Nothing was sent; try again later or raise idempotency.maxEntries.`,
      { code: 'RATE_LIMITED', retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) },
    );
  }
}
