import { type RateLimitHit, type SmsRateLimitStore } from './rate-limit-store.interface';

interface Window {
  count: number;
  endsAt: number;
}

/**
 * The in-process anti-flood counters: fixed windows in a bounded map (expired windows are swept as
 * new keys arrive). Enough for one instance; a fleet needs a shared store (`RedisRateLimitStore`).
 */
export class MemoryRateLimitStore implements SmsRateLimitStore {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly maxEntries = 100_000) {}

  async hit(key: string, windowMs: number): Promise<RateLimitHit> {
    const now = Date.now();
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      if (window) this.windows.delete(key);
      window = { count: 0, endsAt: now + windowMs };
      this.windows.set(key, window);
      if (this.windows.size > this.maxEntries) this.sweep(now);
    }
    window.count++;
    return { count: window.count, resetInMs: window.endsAt - now };
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
    while (this.windows.size > this.maxEntries) {
      this.windows.delete(this.windows.keys().next().value as string);
    }
  }
}
