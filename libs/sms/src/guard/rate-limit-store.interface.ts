/** The count of one key in its current window. */
export interface RateLimitHit {
  /** Hits in the current window, this one included. */
  count: number;
  /** Milliseconds until the window ends. */
  resetInMs: number;
}

/**
 * Fixed-window counters for the anti-flood limiter. The in-memory default serves one process;
 * `nestjs-sms/queue` adds a Redis store so that every instance shares the counts.
 */
export interface SmsRateLimitStore {
  /** Counts one hit of `key` in a window of `windowMs` that starts with the key's first hit. */
  hit(key: string, windowMs: number): Promise<RateLimitHit>;
}
