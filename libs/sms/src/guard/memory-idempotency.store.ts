import { Logger } from '@nestjs/common';
import { SmsError } from '../errors';
import { SMS_LOGGER_CONTEXT } from '../sms.constants';
import { ExpiryQueue } from './expiry-queue';
import { type IdempotencyEntry, type SmsIdempotencyStore } from './idempotency-store.interface';

interface Slot {
  key: string;
  /** A reservation as is; a settled entry as JSON (see `pack`). */
  value: IdempotencyEntry | string;
  expiresAt: number;
}

const WARN_INTERVAL_MS = 600_000;
const PENDING: IdempotencyEntry = Object.freeze({ state: 'pending' });
const NON_ASCII = /[\u0080-\uffff]/g;

/**
 * A settled entry as JSON with every non-ASCII character escaped: a string of one byte a character,
 * about 90 bytes a recipient, which also makes what `get` returns a copy of its own.
 */
function pack(entry: IdempotencyEntry): string {
  return JSON.stringify(entry).replace(
    NON_ASCII,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function unpack(value: IdempotencyEntry | string): IdempotencyEntry {
  return typeof value === 'string' ? (JSON.parse(value) as IdempotencyEntry) : value;
}

/**
 * The in-process idempotency store: at most `maxEntries` keys, each until its TTL, and at most
 * `maxBytes` of completed records. Enough for one instance; a fleet needs a shared store
 * (`RedisIdempotencyStore`).
 *
 * It never forgets a key that keeps a message from going out twice: a reservation (its send is in
 * flight) and a send that ended with an unknown outcome stay until their TTL. When a bound is reached,
 * the oldest completed keys are forgotten first (a repeat of one would send again: size the bounds for
 * the keys of one TTL); when every key held is in flight or unknown, a new key is refused with
 * `RATE_LIMITED` (`retryAfterSeconds`: until the first of them expires), nothing sent. Either is
 * logged, once in ten minutes at most. Expired keys are swept in expiry order, amortized O(1) a call.
 *
 * A settled entry is held as one-byte JSON of the guard's compact record (`IdempotencyRecord`):
 * about 600 bytes of heap a one-recipient key in all, about 100 a further recipient.
 */
export class MemoryIdempotencyStore implements SmsIdempotencyStore {
  private readonly logger = new Logger(SMS_LOGGER_CONTEXT);
  private readonly slots = new Map<string, Slot>();
  /** Completed keys, oldest first: the only ones forgotten before their TTL. */
  private readonly done = new Set<Slot>();
  private readonly expiries = new ExpiryQueue<Slot>((slot) => this.slots.get(slot.key) === slot);
  /** Characters (bytes) of the settled entries held. */
  private bytes = 0;
  /** When each condition was last logged: at most once in `WARN_INTERVAL_MS`. */
  private readonly warnedAt = { evicting: -Infinity, refusing: -Infinity };

  /**
   * @param maxEntries keys held at most, default 10 000
   * @param maxBytes bytes of settled entries held at most, default 64 MiB (about 700 000 recipients)
   */
  constructor(
    private readonly maxEntries = 10_000,
    private readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  /** Keys held now. */
  get size(): number {
    this.sweep(Date.now());
    return this.slots.size;
  }

  async reserve(key: string, ttlMs: number): Promise<IdempotencyEntry | null> {
    const now = Date.now();
    this.sweep(now);
    const existing = this.live(key, now);
    if (existing) return unpack(existing.value);
    if (this.slots.size >= this.maxEntries) this.makeRoom(now);
    this.put(key, PENDING, ttlMs, now);
    return null;
  }

  async get(key: string): Promise<IdempotencyEntry | null> {
    const now = Date.now();
    this.sweep(now);
    const slot = this.live(key, now);
    return slot ? unpack(slot.value) : null;
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
    const slot = this.put(key, entry, ttlMs, now);
    while (this.bytes > this.maxBytes && this.done.size > 1) this.forgetOldestDone(slot);
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

  private put(key: string, entry: IdempotencyEntry, ttlMs: number, now: number): Slot {
    const value = entry.state === 'pending' ? entry : pack(entry);
    let slot = this.slots.get(key);
    if (slot) {
      this.forgetValue(slot);
      slot.value = value;
      slot.expiresAt = now + ttlMs;
    } else {
      slot = { key, value, expiresAt: now + ttlMs };
      this.slots.set(key, slot);
    }
    if (typeof value === 'string') this.bytes += value.length;
    if (entry.state === 'done') this.done.add(slot);
    this.expiries.push(ttlMs, slot, this.slots.size);
    return slot;
  }

  private remove(slot: Slot): void {
    this.slots.delete(slot.key);
    this.forgetValue(slot);
  }

  private forgetValue(slot: Slot): void {
    this.done.delete(slot);
    if (typeof slot.value === 'string') this.bytes -= slot.value.length;
  }

  private sweep(now: number): void {
    this.expiries.sweep(now, (slot) => this.remove(slot));
  }

  private warn(condition: 'evicting' | 'refusing', message: string): void {
    const now = Date.now();
    if (now - this.warnedAt[condition] < WARN_INTERVAL_MS) return;
    this.warnedAt[condition] = now;
    this.logger.warn(message);
  }

  /** Forgets the oldest completed key but `keep`. */
  private forgetOldestDone(keep?: Slot): void {
    const [oldest, next] = this.done;
    this.remove(oldest === keep ? next : oldest);
    this.warn(
      'evicting',
      `Idempotency store full (${this.maxEntries} keys or ${this.maxBytes} bytes): completed keys are forgotten before their TTL, oldest first; raise idempotency.maxEntries`,
    );
  }

  /** Forgets the oldest completed key, or refuses the new one when every key held must stay. */
  private makeRoom(now: number): void {
    if (this.done.size > 0) return this.forgetOldestDone();
    const retryAfterMs = (this.expiries.earliest() ?? now) - now;
    this.warn(
      'refusing',
      `Idempotency store full (${this.maxEntries} keys) of sends in flight or with an unknown outcome: new keys are refused until the first expires`,
    );
    throw new SmsError(
      `The idempotency store is full: its ${this.maxEntries} keys are all sends in flight or with an unknown outcome, which are kept until their TTL. Nothing was sent; try again later or raise idempotency.maxEntries.`,
      { code: 'RATE_LIMITED', retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) },
    );
  }
}
