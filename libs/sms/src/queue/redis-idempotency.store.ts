import { type IdempotencyEntry, type SmsIdempotencyStore } from '../guard/idempotency-store.interface';
import { DEFAULT_COMMAND_TIMEOUT_MS, type RedisCall, withinDeadline } from './redis-deadline';
import { type RedisClient, RedisScript, wholeMs } from './redis-script';

/** Options of the Redis stores. */
export interface RedisStoreOptions {
  /** Prefix of every key the store writes. */
  prefix?: string;
  /**
   * Bound of each store call: past it (or at once, when Redis refuses the command) the call fails with
   * an `SmsError` `UNAVAILABLE`. Default 2 000 ms.
   */
  commandTimeoutMs?: number;
}

/** `commandTimeoutMs` checked, or the default (internal). */
export function storeTimeout(options: RedisStoreOptions): number {
  const ms = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) {
    throw new RangeError('commandTimeoutMs must be a positive number of ms');
  }
  return ms;
}

const NOTHING_SENT = 'nothing was sent';
/** Before the send: the send does not go out. */
const RESERVE_CALL: RedisCall = {
  what: 'idempotency reserve',
  sentFailure: 'unavailable',
  notSent: NOTHING_SENT,
};
const RELEASE_CALL: RedisCall = {
  what: 'idempotency release',
  sentFailure: 'unavailable',
  notSent: NOTHING_SENT,
};
/** While another call's send may be under way: its outcome is not known here. */
const GET_CALL: RedisCall = {
  unsentFailure: 'unknown',
  what: 'idempotency read',
  sentFailure: 'unknown',
  notSent: 'the first send’s outcome is not known',
};
/** After the send went out (or may have): its record is lost. */
const SETTLE_CALL: RedisCall = {
  unsentFailure: 'unknown',
  what: 'idempotency settle',
  sentFailure: 'unknown',
  notSent: 'the send’s outcome was not recorded',
};

/** Returns what is stored, or stores the reservation and returns nil: one atomic step. */
const RESERVE = new RedisScript(`
local stored = redis.call('GET', KEYS[1])
if stored then return stored end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false
`);

const PENDING = JSON.stringify({ state: 'pending' } satisfies IdempotencyEntry);

/**
 * Idempotency keys in Redis, shared by every instance: give it to `SmsModule` as
 * `idempotency: { store }`. One key is one Redis string (`<prefix><key>`, JSON, expiring with its TTL);
 * `reserve` is a Lua script, so of many concurrent calls for one key exactly one gets `null`.
 *
 * Redis down: each call fails within `commandTimeoutMs` with an `SmsError` `UNAVAILABLE`: `not_sent`
 * before the send (`reserve`, `release`), `unknown` after it (`settle`) or while another call's send
 * may be under way (`get`).
 *
 * The client is the application's: the store never closes it.
 *
 * @example
 * const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
 * SmsModule.forRoot({
 *   providers: { main: { driver: 'memory' } },
 *   idempotency: { store: new RedisIdempotencyStore(redis) },
 * });
 */
export class RedisIdempotencyStore implements SmsIdempotencyStore {
  private readonly prefix: string;
  private readonly timeoutMs: number;

  /** @param options.prefix default `sms:idempotency:`; `commandTimeoutMs` default 2 000 */
  constructor(
    private readonly redis: RedisClient,
    options: RedisStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? 'sms:idempotency:';
    this.timeoutMs = storeTimeout(options);
  }

  async reserve(key: string, ttlMs: number): Promise<IdempotencyEntry | null> {
    const ttl = wholeMs(ttlMs, 'ttlMs');
    const stored = await this.call(RESERVE_CALL, (redis) =>
      RESERVE.run(redis, [this.prefix + key], [PENDING, ttl]),
    );
    return stored === null || stored === undefined ? null : this.parse(stored as string);
  }

  async get(key: string): Promise<IdempotencyEntry | null> {
    const stored = await this.call(GET_CALL, (redis) => redis.get(this.prefix + key));
    return stored === null ? null : this.parse(stored);
  }

  async settle(
    key: string,
    entry: Exclude<IdempotencyEntry, { state: 'pending' }>,
    ttlMs: number,
  ): Promise<void> {
    const ttl = wholeMs(ttlMs, 'ttlMs');
    await this.call(SETTLE_CALL, (redis) => redis.set(this.prefix + key, JSON.stringify(entry), 'PX', ttl));
  }

  async release(key: string): Promise<void> {
    await this.call(RELEASE_CALL, (redis) => redis.del(this.prefix + key));
  }

  private call<T>(call: RedisCall, send: (redis: RedisClient) => Promise<T>): Promise<T> {
    return withinDeadline(this.redis, this.timeoutMs, call, send);
  }

  private parse(stored: string): IdempotencyEntry {
    const entry = JSON.parse(stored) as IdempotencyEntry;
    if (!entry || !['pending', 'done', 'failed'].includes(entry.state)) {
      throw new Error(`Redis key under "${this.prefix}" does not hold an idempotency entry`);
    }
    return entry;
  }
}
