/** Something that expires at a time (ms since the epoch). */
export interface Expiring {
  expiresAt: number;
}

interface Fifo<T> {
  items: T[];
  head: number;
}

/** Dead items a queue may hold beyond its live ones before it is compacted. */
const COMPACT_SLACK = 1024;

/**
 * Items in the order they expire, for a store whose items live for one of a few fixed durations (a
 * TTL, the windows of the anti-flood limits): one FIFO a duration, since items pushed with the same
 * duration expire in the order they were pushed. Taking the expired items is amortized O(1) an item,
 * however many are held.
 *
 * Items replaced or deleted in the store stay queued until they come up (the store tells them apart
 * with `isLive`); `push` compacts the queues when such dead items outnumber the live ones, so the
 * queues stay within twice the store's size.
 */
export class ExpiryQueue<T extends Expiring> {
  private readonly fifos = new Map<number, Fifo<T>>();
  private queued = 0;

  constructor(private readonly isLive: (item: T) => boolean) {}

  /** Items queued, dead ones included. */
  get length(): number {
    return this.queued;
  }

  /** Queues an item that lives `durationMs`; `live` is the store's size, for compaction. */
  push(durationMs: number, item: T, live: number): void {
    let fifo = this.fifos.get(durationMs);
    if (!fifo) {
      fifo = { items: [], head: 0 };
      this.fifos.set(durationMs, fifo);
    }
    fifo.items.push(item);
    this.queued++;
    if (this.queued > 2 * live + COMPACT_SLACK) this.compact();
  }

  /** Takes every live item whose time has come, calling `expire` with each. */
  sweep(now: number, expire: (item: T) => void): void {
    for (const [duration, fifo] of this.fifos) {
      while (fifo.head < fifo.items.length && fifo.items[fifo.head].expiresAt <= now) {
        const item = fifo.items[fifo.head++];
        this.queued--;
        if (this.isLive(item)) expire(item);
      }
      this.trim(duration, fifo);
    }
  }

  /** The earliest expiry of a live item, or `undefined` when none is held. */
  earliest(): number | undefined {
    let earliest: number | undefined;
    for (const [duration, fifo] of this.fifos) {
      while (fifo.head < fifo.items.length && !this.isLive(fifo.items[fifo.head])) {
        fifo.head++;
        this.queued--;
      }
      this.trim(duration, fifo);
      const first = fifo.items[fifo.head];
      if (first && (earliest === undefined || first.expiresAt < earliest)) earliest = first.expiresAt;
    }
    return earliest;
  }

  private compact(): void {
    this.queued = 0;
    for (const [duration, fifo] of this.fifos) {
      fifo.items = fifo.items.slice(fifo.head).filter(this.isLive);
      fifo.head = 0;
      this.queued += fifo.items.length;
      this.trim(duration, fifo);
    }
  }

  /** Gives back the taken front of a FIFO once it is half of it, and drops an empty one. */
  private trim(duration: number, fifo: Fifo<T>): void {
    if (fifo.head === fifo.items.length) this.fifos.delete(duration);
    else if (fifo.head > COMPACT_SLACK && fifo.head * 2 > fifo.items.length) {
      fifo.items = fifo.items.slice(fifo.head);
      fifo.head = 0;
    }
  }
}
