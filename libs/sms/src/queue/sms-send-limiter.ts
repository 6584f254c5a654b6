import { randomUUID } from 'node:crypto';
import { type RedisClient, RedisScript } from './redis-script';
import { type SmsQueueLimiter } from './sms-queue-options.interface';

/**
 * Takes a slot in every given limit, or none. Limit `i` is two sorted sets (Redis clock, ms):
 * `KEYS[2i-1]` sends in flight (score: when the slot is given up should its worker die) and `KEYS[2i]`
 * sends that ended (score: end + window). A limit is full with `max` members in both; the answer is then
 * its index and the ms until a slot may free (the earliest end + window, at most one window).
 * ARGV: member, in-flight TTL, then `max`, `window` of each limit.
 */
const TAKE = new RedisScript(`
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local limits = #KEYS / 2
for i = 1, limits do
  local max = tonumber(ARGV[1 + 2 * i])
  local window = tonumber(ARGV[2 + 2 * i])
  redis.call('ZREMRANGEBYSCORE', KEYS[2 * i - 1], '-inf', now)
  redis.call('ZREMRANGEBYSCORE', KEYS[2 * i], '-inf', now)
  if redis.call('ZCARD', KEYS[2 * i - 1]) + redis.call('ZCARD', KEYS[2 * i]) >= max then
    local wait = window
    local first = redis.call('ZRANGE', KEYS[2 * i], 0, 0, 'WITHSCORES')
    if first[2] then wait = math.min(wait, tonumber(first[2]) - now) end
    return {i, math.max(1, wait)}
  end
end
local ttl = tonumber(ARGV[2])
for i = 1, limits do
  redis.call('ZADD', KEYS[2 * i - 1], now + ttl, ARGV[1])
  redis.call('PEXPIRE', KEYS[2 * i - 1], ttl)
end
return {0, 0}
`);

/** Moves a send from "in flight" to "ended", keeping its slot one more window. ARGV: member, windows. */
const RELEASE = new RedisScript(`
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
for i = 1, #KEYS / 2 do
  local window = tonumber(ARGV[1 + i])
  redis.call('ZREM', KEYS[2 * i - 1], ARGV[1])
  redis.call('ZADD', KEYS[2 * i], now + window, ARGV[1])
  redis.call('PEXPIRE', KEYS[2 * i], window)
end
return 0
`);

/** Why a send must wait: the queue's limit or its provider's, and for how long. */
export interface SmsSendWait {
  scope: 'queue' | 'provider';
  waitMs: number;
}

/** A slot taken for one send; give it back with `release` once the send has ended. */
export interface SmsSendSlot {
  member: string;
  keys: string[];
  windows: number[];
}

/**
 * The exact side of the queue's rate limits (internal), shared by every worker through Redis.
 *
 * BullMQ's limiter counts job starts in fixed windows, which lets up to twice `max` through in a
 * window that straddles two of them, and a request reaches the provider some time after its job
 * started. Here a send holds its slot from before it starts until one window after it ended, so
 * whatever the delays, the provider never sees more than `max` requests in any window (one request
 * per send).
 */
export class SmsSendLimiter {
  constructor(
    private readonly keyPrefix: string,
    private readonly queueLimit: SmsQueueLimiter | undefined,
    private readonly providerLimits: Readonly<Record<string, SmsQueueLimiter>>,
  ) {}

  /** Whether any limit applies. */
  get enabled(): boolean {
    return this.queueLimit !== undefined || Object.keys(this.providerLimits).length > 0;
  }

  /**
   * Takes a slot for a send through `provider`, or says how long to wait. `inFlightTtlMs` bounds how
   * long a slot stays taken when its worker dies before giving it back.
   */
  async take(
    redis: RedisClient,
    provider: string,
    inFlightTtlMs: number,
  ): Promise<{ slot: SmsSendSlot } | { wait: SmsSendWait } | null> {
    const limits: Array<[string, SmsQueueLimiter, SmsSendWait['scope']]> = [];
    if (this.queueLimit) limits.push([`${this.keyPrefix}:sends`, this.queueLimit, 'queue']);
    const own = this.providerLimits[provider];
    if (own) limits.push([`${this.keyPrefix}:sends:${provider}`, own, 'provider']);
    if (limits.length === 0) return null;
    const slot: SmsSendSlot = {
      member: randomUUID(),
      keys: limits.flatMap(([key]) => [`${key}:flight`, `${key}:ended`]),
      windows: limits.map(([, limit]) => limit.duration),
    };
    const args: Array<string | number> = [slot.member, Math.ceil(inFlightTtlMs)];
    for (const [, limit] of limits) args.push(limit.max, limit.duration);
    const [index, waitMs] = (await TAKE.run(redis, slot.keys, args)) as [number, number];
    return index === 0 ? { slot } : { wait: { scope: limits[index - 1][2], waitMs: Number(waitMs) } };
  }

  /** Gives a slot back once its send has ended; it still counts for one window. */
  async release(redis: RedisClient, slot: SmsSendSlot): Promise<void> {
    await RELEASE.run(redis, slot.keys, [slot.member, ...slot.windows]);
  }
}
