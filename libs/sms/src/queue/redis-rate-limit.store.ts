import { type RateLimitHit, type SmsRateLimitStore } from '../guard/rate-limit-store.interface';
import { type RedisStoreOptions, storeTimeout } from './redis-idempotency.store';
import { type RedisCall, withinDeadline } from './redis-deadline';
import { type RedisClient, RedisScript, wholeMs } from './redis-script';

/** Counts the hit and starts the window on the first one: one atomic step. */
const HIT = new RedisScript(`
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`);

/** Before the send: a send whose count cannot be taken does not go out. */
const HIT_CALL: RedisCall = {
  what: 'anti-flood count',
  sentFailure: 'unavailable',
  notSent: 'nothing was sent',
};

/**
 * Anti-flood counters in Redis, shared by every instance: give it to `SmsModule` as
 * `antiFlood: { store }`. One counter is one Redis key (`<prefix><windowMs>:<key>`) that expires when
 * its window ends; `hit` is a Lua script, so concurrent hits are each counted once.
 *
 * Redis down: `hit` fails within `commandTimeoutMs` with an `SmsError` `UNAVAILABLE`, `not_sent`:
 * the limit fails closed, nothing is sent.
 *
 * The client is the application's: the store never closes it.
 *
 * @example
 * SmsModule.forRoot({
 *   providers: { main: { driver: 'memory' } },
 *   antiFlood: { perNumber: [{ max: 1, windowMs: 60_000 }], store: new RedisRateLimitStore(redis) },
 * });
 */
export class RedisRateLimitStore implements SmsRateLimitStore {
  private readonly prefix: string;
  private readonly timeoutMs: number;

  /** @param options.prefix default `sms:rate:`; `commandTimeoutMs` default 2 000 */
  constructor(
    private readonly redis: RedisClient,
    options: RedisStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? 'sms:rate:';
    this.timeoutMs = storeTimeout(options);
  }

  async hit(key: string, windowMs: number): Promise<RateLimitHit> {
    const window = wholeMs(windowMs, 'windowMs');
    const [count, ttl] = (await withinDeadline(this.redis, this.timeoutMs, HIT_CALL, (redis) =>
      HIT.run(redis, [`${this.prefix}${window}:${key}`], [window]),
    )) as [number, number];
    return { count: Number(count), resetInMs: Number(ttl) };
  }
}
