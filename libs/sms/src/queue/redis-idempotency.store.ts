import { type IdempotencyEntry, type SmsIdempotencyStore } from '../guard/idempotency-store.interface';
import { type RedisClient, RedisScript, wholeMs } from './redis-script';

/** Options of the Redis stores. */
export interface RedisStoreOptions {
  /** Prefix of every key the store writes. */
  prefix?: string;
}

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
 * The client is the application's: the store never closes it.
 *
 * @example
 * const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
 * SmsModule.forRoot({
 *   providers: { main: { driver: 'smsru', apiId } },
 *   idempotency: { store: new RedisIdempotencyStore(redis) },
 * });
 */
export class RedisIdempotencyStore implements SmsIdempotencyStore {
  private readonly prefix: string;

  /** @param options.prefix default `sms:idempotency:` */
  constructor(
    private readonly redis: RedisClient,
    options: RedisStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? 'sms:idempotency:';
  }

  async reserve(key: string, ttlMs: number): Promise<IdempotencyEntry | null> {
    const stored = await RESERVE.run(this.redis, [this.prefix + key], [PENDING, wholeMs(ttlMs, 'ttlMs')]);
    return stored === null || stored === undefined ? null : this.parse(stored as string);
  }

  async get(key: string): Promise<IdempotencyEntry | null> {
    const stored = await this.redis.get(this.prefix + key);
    return stored === null ? null : this.parse(stored);
  }

  async settle(
    key: string,
    entry: Exclude<IdempotencyEntry, { state: 'pending' }>,
    ttlMs: number,
  ): Promise<void> {
    await this.redis.set(this.prefix + key, JSON.stringify(entry), 'PX', wholeMs(ttlMs, 'ttlMs'));
  }

  async release(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  private parse(stored: string): IdempotencyEntry {
    const entry = JSON.parse(stored) as IdempotencyEntry;
    if (!entry || !['pending', 'done', 'failed'].includes(entry.state)) {
      throw new Error(`Redis key under "${this.prefix}" does not hold an idempotency entry`);
    }
    return entry;
  }
}
