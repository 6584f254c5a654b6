import { Logger } from '@nestjs/common';
import { SmsError } from '../errors';
import { SMS_LOGGER_CONTEXT } from '../sms.constants';
import { ExpiryQueue } from './expiry-queue';
import { type RateLimitHit, type SmsRateLimitStore } from './rate-limit-store.interface';

interface Window {
  key: string;
  count: number;
  expiresAt: number;
}

/**
 * The in-process anti-flood counters: one fixed window a key, at most `maxEntries` windows. Enough for
 * one instance; a fleet needs a shared store (`RedisRateLimitStore`).
 *
 * A live window is never dropped: that would let its number be sent to again. Expired windows are
 * swept in expiry order (one queue a window length), amortized O(1) a hit. When the store is full of
 * live windows it fails closed: a hit on a new key throws `RATE_LIMITED` (`retryAfterSeconds`: until
 * the first window ends), nothing is sent, and the condition is logged once; keys that have a window
 * keep being counted.
 */
export class MemoryRateLimitStore implements SmsRateLimitStore {
  private readonly logger = new Logger(SMS_LOGGER_CONTEXT);
  private readonly windows = new Map<string, Window>();
  private readonly expiries = new ExpiryQueue<Window>((window) => this.windows.get(window.key) === window);
  private warned = false;

  /** @param maxEntries windows held at most, default 100 000 (`antiFlood.maxEntries`) */
  constructor(private readonly maxEntries = 100_000) {}

  /** Live windows held now. */
  get size(): number {
    this.sweep(Date.now());
    return this.windows.size;
  }

  async hit(key: string, windowMs: number): Promise<RateLimitHit> {
    const now = Date.now();
    this.sweep(now);
    let window = this.windows.get(key);
    if (window && window.expiresAt <= now) {
      this.windows.delete(key);
      window = undefined;
    }
    if (!window) {
      if (this.windows.size >= this.maxEntries) this.refuse(now);
      window = { key, count: 0, expiresAt: now + windowMs };
      this.windows.set(key, window);
      this.expiries.push(windowMs, window, this.windows.size);
    }
    window.count++;
    return { count: window.count, resetInMs: window.expiresAt - now };
  }

  private sweep(now: number): void {
    this.expiries.sweep(now, (window) => this.windows.delete(window.key));
    if (this.warned && this.windows.size < this.maxEntries * 0.9) this.warned = false;
  }

  private refuse(now: number): never {
    if (!this.warned) {
      this.warned = true;
      this.logger.warn(
        `Anti-flood store full (${this.maxEntries} live windows): sends to new numbers and IPs are refused until windows end; raise antiFlood.maxEntries`,
      );
    }
    const retryAfterMs = (this.expiries.earliest() ?? now) - now;
    throw new SmsError(
      `Anti-flood limit: the store of counters is full (${this.maxEntries} live windows), so a new number or IP cannot be counted. Nothing was sent; try again later.`,
      { code: 'RATE_LIMITED', retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) },
    );
  }
}
