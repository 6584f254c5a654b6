import { randomBytes } from 'node:crypto';
import { type LoggerService } from '@nestjs/common';
import { Redis } from 'ioredis';

/** The Redis the queue tests use. */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A client of the test Redis, after checking it answers. A missing Redis fails the test (in CI and
 * everywhere else): the queue tests never skip.
 */
export async function connectRedis(): Promise<Redis> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2_000 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    redis.disconnect();
    throw new Error(
      `The queue tests need Redis at ${REDIS_URL} (${e instanceof Error ? e.message : e}). Start it with: ` +
        'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no',
    );
  }
  return redis;
}

/** A key prefix of this test run alone. */
export function testPrefix(name: string): string {
  return `smsq-test-${name}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Deletes every key under `prefix`. */
export async function removeKeys(redis: Redis, prefix: string): Promise<number> {
  let removed = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) removed += await redis.del(...keys);
  } while (cursor !== '0');
  return removed;
}

/** Waits until `check` returns a value other than `undefined`/`false`, polling every `everyMs`. */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 20_000,
  everyMs = 50,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** The most timestamps that fall in any window `[t, t + windowMs)`. */
export function maxInWindow(timestamps: number[], windowMs: number): number {
  const sorted = [...timestamps].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end] - sorted[start] >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

/** A Nest logger that keeps every line (`log`, `warn`, `error`) with its level; objects as JSON. */
export class LineLogger implements LoggerService {
  readonly lines: Array<{ level: string; message: string }> = [];
  log = (message: unknown) => this.add('log', message);
  error = (message: unknown) => this.add('error', message);
  warn = (message: unknown) => this.add('warn', message);
  debug = () => undefined;
  verbose = () => undefined;
  private add(level: string, message: unknown) {
    this.lines.push({ level, message: typeof message === 'string' ? message : JSON.stringify(message) });
  }
}
