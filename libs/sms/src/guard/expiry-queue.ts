/** Something that expires at a time (ms since the epoch). */
export interface Expiring {
  expiresAt: number;
}

interface Fifo<T> {
  items: T[];
  /** The expiry of each item when it was pushed (an item pushed again later has moved on). */
  times: number[];
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
 * Items deleted from the store stay queued until they come up (the store tells them apart with
 * `isLive`), and so does the earlier place of an item pushed again with a new expiry; `push` compacts
 * the queues when such dead places outnumber the live items, so the queues stay within twice the
 * store's size.
 */
export class ExpiryQueue<T extends Expiring> {
  private readonly fifos = new Map<number, Fifo<T>>();
  private queued = 0;

  constructor(private readonly isLive: (item: T) => boolean) {}

  /** Items queued, dead ones included. */
  get length(): number {
    return this.queued;
  }

  /**
   * Queues an item at its `expiresAt`, `durationMs` from now (an item already queued moves there);
   * `live` is the store's size, for compaction.
   */
  push(durationMs: number, item: T, live: number): void {
    let fifo = this.fifos.get(durationMs);
    if (!fifo) {
      fifo = { items: [], times: [], head: 0 };
      this.fifos.set(durationMs, fifo);
    }
    fifo.items.push(item);
    fifo.times.push(item.expiresAt);
    this.queued++;
    if (this.queued > 2 * live + COMPACT_SLACK) this.compact();
  }

  /** Takes every live item whose time has come, calling `expire` with each. */
  sweep(now: number, expire: (item: T) => void): void {
    for (const [duration, fifo] of this.fifos) {
      while (fifo.head < fifo.items.length && fifo.times[fifo.head] <= now) {
        const at = fifo.head++;
        this.queued--;
        if (this.holds(fifo, at)) expire(fifo.items[at]);
      }
      this.trim(duration, fifo);
    }
  }

  /** The earliest expiry of a live item, or `undefined` when none is held. */
  earliest(): number | undefined {
    let earliest: number | undefined;
    for (const [duration, fifo] of this.fifos) {
      while (fifo.head < fifo.items.length && !this.holds(fifo, fifo.head)) {
        fifo.head++;
        this.queued--;
      }
      this.trim(duration, fifo);
      if (fifo.head < fifo.items.length && (earliest === undefined || fifo.times[fifo.head] < earliest)) {
        earliest = fifo.times[fifo.head];
      }
    }
    return earliest;
  }

  /** Whether the place `at` of a FIFO is where a live item is queued now. */
  private holds(fifo: Fifo<T>, at: number): boolean {
    const item = fifo.items[at];
    return item.expiresAt === fifo.times[at] && this.isLive(item);
  }

  private compact(): void {
    this.queued = 0;
    for (const [duration, fifo] of this.fifos) {
      const items: T[] = [];
      const times: number[] = [];
      for (let at = fifo.head; at < fifo.items.length; at++) {
        if (!this.holds(fifo, at)) continue;
        items.push(fifo.items[at]);
        times.push(fifo.times[at]);
      }
      Object.assign(fifo, { items, times, head: 0 });
      this.queued += items.length;
      this.trim(duration, fifo);
    }
  }

  /** Gives back the taken front of a FIFO once it is half of it, and drops an empty one. */
  private trim(duration: number, fifo: Fifo<T>): void {
    if (fifo.head === fifo.items.length) this.fifos.delete(duration);
    else if (fifo.head > COMPACT_SLACK && fifo.head * 2 > fifo.items.length) {
      fifo.items = fifo.items.slice(fifo.head);
      fifo.times = fifo.times.slice(fifo.head);
      fifo.head = 0;
    }
  }
}
