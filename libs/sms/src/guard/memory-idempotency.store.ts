import { type IdempotencyEntry, type SmsIdempotencyStore } from './idempotency-store.interface';

interface Slot {
  entry: IdempotencyEntry;
  expiresAt: number;
}

/**
 * The in-process idempotency store: a bounded map with expiry (the oldest keys go first when it is
 * full). Enough for one instance; a fleet needs a shared store (`RedisIdempotencyStore`).
 */
export class MemoryIdempotencyStore implements SmsIdempotencyStore {
  private readonly slots = new Map<string, Slot>();

  constructor(private readonly maxEntries = 10_000) {}

  /** Keys held now (expired ones included until they are touched or pushed out). */
  get size(): number {
    return this.slots.size;
  }

  async reserve(key: string, ttlMs: number): Promise<IdempotencyEntry | null> {
    const existing = this.live(key);
    if (existing) return existing.entry;
    this.put(key, { state: 'pending' }, ttlMs);
    return null;
  }

  async get(key: string): Promise<IdempotencyEntry | null> {
    return this.live(key)?.entry ?? null;
  }

  async settle(
    key: string,
    entry: Exclude<IdempotencyEntry, { state: 'pending' }>,
    ttlMs: number,
  ): Promise<void> {
    this.put(key, entry, ttlMs);
  }

  async release(key: string): Promise<void> {
    this.slots.delete(key);
  }

  private live(key: string): Slot | undefined {
    const slot = this.slots.get(key);
    if (slot && slot.expiresAt <= Date.now()) {
      this.slots.delete(key);
      return undefined;
    }
    return slot;
  }

  private put(key: string, entry: IdempotencyEntry, ttlMs: number): void {
    this.slots.delete(key);
    this.slots.set(key, { entry, expiresAt: Date.now() + ttlMs });
    while (this.slots.size > this.maxEntries) {
      const oldest = this.slots.keys().next().value as string;
      this.slots.delete(oldest);
    }
  }
}
