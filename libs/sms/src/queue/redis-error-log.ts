import { type LoggerService } from '@nestjs/common';

/** Longest silence between two lines of one outage. */
const MAX_INTERVAL_MS = 300_000;
const FIRST_INTERVAL_MS = 1_000;

/**
 * Logs a Redis connection's errors with backoff: the first error of an outage at once, then one line
 * (with the number of errors in between) after 1, 2, 4, 8 … s, at most every 5 minutes, and one
 * "recovered" line when the connection is back. ioredis reports an error per reconnection attempt;
 * this keeps an outage to a handful of lines.
 *
 * @example
 * const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
 * const log = new RedisErrorLog(new Logger('Redis'), 'Redis of the shared stores');
 * redis.on('error', (e) => log.failed(e));
 * redis.on('ready', () => log.recovered());
 */
export class RedisErrorLog {
  private downSince?: number;
  private errors = 0;
  private unlogged = 0;
  private nextLineAt = 0;
  private intervalMs = FIRST_INTERVAL_MS;

  constructor(
    private readonly logger: Pick<LoggerService, 'error' | 'log'>,
    private readonly what: string,
  ) {}

  /** Whether an outage is going on (an error since the last recovery). */
  get down(): boolean {
    return this.downSince !== undefined;
  }

  /** One connection error. */
  failed(error: unknown): void {
    const now = Date.now();
    const message = messageOf(error);
    this.errors++;
    if (this.downSince === undefined) {
      this.downSince = now;
      this.intervalMs = FIRST_INTERVAL_MS;
      this.nextLineAt = now + this.intervalMs;
      this.unlogged = 0;
      this.logger.error(`${this.what}: ${message}`);
      return;
    }
    if (now < this.nextLineAt) {
      this.unlogged++;
      return;
    }
    const more = this.unlogged > 0 ? `, ${this.unlogged} more error(s) since the last line` : '';
    this.logger.error(`${this.what}: ${message} (down for ${seconds(now - this.downSince)}${more})`);
    this.unlogged = 0;
    this.intervalMs = Math.min(this.intervalMs * 2, MAX_INTERVAL_MS);
    this.nextLineAt = now + this.intervalMs;
  }

  /** The connection is ready again; logs once if it was down. */
  recovered(): void {
    if (this.downSince === undefined) return;
    this.logger.log(
      `${this.what}: connected again after ${seconds(Date.now() - this.downSince)} (${this.errors} error(s))`,
    );
    this.downSince = undefined;
    this.errors = 0;
  }
}

function seconds(ms: number): string {
  return `${(ms / 1_000).toFixed(1)} s`;
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/**
 * Whether an error is a lost or refused Redis connection (internal). Duck-typed: socket errors come
 * from Node's own realm, where `instanceof Error` may not hold.
 */
export function isConnectionError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return (
    (typeof code === 'string' && CONNECTION_CODES.has(code)) ||
    /Connection is closed|connect ETIMEDOUT|MaxRetriesPerRequest/i.test(messageOf(error))
  );
}

function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}
