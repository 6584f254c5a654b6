import { type RedisClient, RedisScript } from '../queue/redis-script';
import {
  type SmsVerifyStore,
  type VerificationRecord,
  type VerificationRef,
  type VerificationState,
  type VerifyAttemptDecision,
  type VerifyStartDecision,
  type VerifyStartRequest,
} from './verify-store.interface';

/** Settings of `RedisVerifyStore`. */
export interface RedisVerifyStoreOptions {
  /** Prefix of every key. Default `sms:verify:`. */
  prefix?: string;
}

/** Shared helpers of every script: record keys and saving with the TTL kept. */
const COMMON = `
local p = ARGV[1]
local function rec_key(id) return p .. 'rec:' .. id end
local function load(id)
  local raw = redis.call('GET', rec_key(id))
  if raw then return cjson.decode(raw) end
  return nil
end
local function save(r) redis.call('SET', rec_key(r.id), cjson.encode(r), 'KEEPTTL') end
`;

/**
 * One start, decided atomically: the pending verification in its cooldown, the blocked range, the
 * windows, the pumping window and the day's spend, then everything counted and the record saved.
 */
const START = `${COMMON}
local q = cjson.decode(ARGV[2])
local now = q.now
local r = q.record
local num_key = p .. 'num:' .. r.to
local cur_id = redis.call('GET', num_key)
local cur = nil
if cur_id then cur = load(cur_id) end
if cur and now < cur.resendAfter then
  if cur.state == 'pending' and now < cur.expiresAt then
    return cjson.encode({kind = 'existing', record = cur})
  end
  if cur.state == 'pending' or cur.state == 'max_attempts' then
    return cjson.encode({kind = 'refused', reason = 'cooldown', retryAfterMs = cur.resendAfter - now})
  end
end
local function window(key, window_ms)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window_ms)
  return redis.call('ZCARD', key)
end
local block_key = nil
local range_key = nil
if q.pumping then
  block_key = p .. 'block:' .. q.pumping.range
  range_key = p .. 'log:range:' .. q.pumping.range
  local blocked = tonumber(redis.call('GET', block_key) or '0')
  if blocked > now then
    return cjson.encode({kind = 'refused', reason = 'range_blocked', retryAfterMs = blocked - now})
  end
end
for _, l in ipairs(q.limits) do
  local key = p .. 'log:' .. l.key
  local count = window(key, l.windowMs)
  if l.max > 0 and count >= l.max then
    local oldest = redis.call('ZRANGE', key, count - l.max, count - l.max, 'WITHSCORES')
    return cjson.encode({kind = 'refused', reason = 'limit', limit = l.name,
      retryAfterMs = tonumber(oldest[2]) + l.windowMs - now})
  end
end
if q.pumping and window(range_key, q.pumping.windowMs) >= q.pumping.maxStarts then
  redis.call('SET', block_key, now + q.pumping.blockMs, 'PX', q.pumping.blockMs)
  return cjson.encode({kind = 'refused', reason = 'pumping', retryAfterMs = q.pumping.blockMs})
end
local spend_key = nil
if q.spend then
  spend_key = p .. 'spend:' .. q.spend.day
  local spent = tonumber(redis.call('GET', spend_key) or '0')
  if spent + r.priceRub > q.spend.capRub then
    return cjson.encode({kind = 'refused', reason = 'spend_limit', retryAfterMs = q.spend.resetInMs})
  end
end
local pushed = {}
local function push(key, window_ms)
  if pushed[key] then return end
  pushed[key] = true
  redis.call('ZADD', key, now, r.id)
  redis.call('PEXPIRE', key, window_ms)
end
for _, l in ipairs(q.limits) do push(p .. 'log:' .. l.key, l.windowMs) end
local cooldown_key = p .. 'log:' .. q.cooldown.key
push(cooldown_key, q.cooldown.windowMs)
if q.pumping then push(range_key, q.pumping.windowMs) end
if q.spend then
  redis.call('INCRBYFLOAT', spend_key, r.priceRub)
  redis.call('PEXPIRE', spend_key, q.spend.resetInMs + 86400000)
end
local sends = redis.call('ZCARD', cooldown_key)
local c = q.cooldown
r.resendAfter = now + math.ceil(math.min(c.maxMs, c.baseMs * c.growth ^ math.max(0, sends - 1)))
local ttl = math.ceil(math.max(r.expiresAt, r.resendAfter) - now + q.retainMs)
if cur then redis.call('DEL', rec_key(cur.id)) end
redis.call('SET', rec_key(r.id), cjson.encode(r), 'PX', ttl)
redis.call('SET', num_key, r.id, 'PX', ttl)
return cjson.encode({kind = 'created', record = r})
`;

/** One check counted atomically (the code itself is compared by the caller, in constant time). */
const ATTEMPT = `${COMMON}
local id = ARGV[3]
if ARGV[2] == 'to' then id = redis.call('GET', p .. 'num:' .. ARGV[3]) end
if not id then return cjson.encode({kind = 'not_found'}) end
local r = load(id)
if not r or r.state == 'approved' or r.state == 'cancelled' then return cjson.encode({kind = 'not_found'}) end
if r.state == 'max_attempts' then return cjson.encode({kind = 'max_attempts', record = r}) end
if tonumber(ARGV[4]) >= r.expiresAt then return cjson.encode({kind = 'expired', record = r}) end
if r.attempts >= r.maxAttempts then
  r.state = 'max_attempts'
  save(r)
  return cjson.encode({kind = 'max_attempts', record = r})
end
r.attempts = r.attempts + 1
save(r)
return cjson.encode({kind = 'compare', record = r})
`;

const SETTLE = `${COMMON}
local r = load(ARGV[2])
if not r or r.state ~= 'pending' then return 0 end
r.state = ARGV[3]
save(r)
return 1
`;

const SENT = `${COMMON}
local r = load(ARGV[2])
local delta = tonumber(ARGV[5])
if r then
  r.provider = ARGV[3]
  if ARGV[4] ~= '' then r.messageId = ARGV[4] end
  r.priceRub = r.priceRub + delta
  save(r)
end
if ARGV[6] ~= '' and delta ~= 0 and redis.call('EXISTS', p .. 'spend:' .. ARGV[6]) == 1 then
  redis.call('INCRBYFLOAT', p .. 'spend:' .. ARGV[6], delta)
end
return 1
`;

const ABANDON = `${COMMON}
local r = load(ARGV[2])
if not r then return 0 end
redis.call('DEL', rec_key(r.id))
local num_key = p .. 'num:' .. r.to
if redis.call('GET', num_key) == r.id then redis.call('DEL', num_key) end
local spend_key = p .. 'spend:' .. ARGV[3]
if ARGV[3] ~= '' and redis.call('EXISTS', spend_key) == 1 then
  redis.call('INCRBYFLOAT', spend_key, -r.priceRub)
end
return 1
`;

const SCRIPTS = {
  start: new RedisScript(START),
  attempt: new RedisScript(ATTEMPT),
  settle: new RedisScript(SETTLE),
  sent: new RedisScript(SENT),
  abandon: new RedisScript(ABANDON),
};

/** cjson writes an empty Lua table as `{}`; fields are never lists, so nothing else to undo. */
function decode<T>(raw: unknown): T {
  return JSON.parse(String(raw)) as T;
}

/**
 * Verifications in Redis, shared by every instance of the application: each method is one Lua
 * script, so two instances starting the same number at the same moment send one code, and every
 * check is counted once. Keys (`<prefix>rec:<id>`, `num:<number>`, `log:…`, `block:<range>`,
 * `spend:<day>`) expire when their state ends, never before. The scripts name their keys from the
 * prefix, so the store needs one Redis server (or a cluster with the prefix as a hash tag, `{verify}:`).
 * The client is the application's: the store never closes it. Importing this store loads nothing
 * from `ioredis`; the application passes its own client.
 *
 * @example
 * SmsVerifyModule.forRoot({ secret, store: new RedisVerifyStore(new Redis(process.env.REDIS_URL!)) });
 */
export class RedisVerifyStore implements SmsVerifyStore {
  private readonly prefix: string;

  constructor(
    private readonly redis: RedisClient,
    options: RedisVerifyStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? 'sms:verify:';
  }

  async start(request: VerifyStartRequest): Promise<VerifyStartDecision> {
    return decode(await SCRIPTS.start.run(this.redis, [], [this.prefix, JSON.stringify(request)]));
  }

  async attempt(ref: VerificationRef, now: number): Promise<VerifyAttemptDecision> {
    const [kind, value] = 'id' in ref ? ['id', ref.id] : ['to', ref.to];
    return decode(await SCRIPTS.attempt.run(this.redis, [], [this.prefix, kind, value, now]));
  }

  async settle(id: string, state: Exclude<VerificationState, 'pending'>): Promise<boolean> {
    return Number(await SCRIPTS.settle.run(this.redis, [], [this.prefix, id, state])) === 1;
  }

  async sent(
    id: string,
    sent: { provider: string; messageId?: string },
    spend?: { day: string; deltaRub: number },
  ): Promise<void> {
    await SCRIPTS.sent.run(
      this.redis,
      [],
      [this.prefix, id, sent.provider, sent.messageId ?? '', spend?.deltaRub ?? 0, spend?.day ?? ''],
    );
  }

  async abandon(id: string, spend?: { day: string }): Promise<void> {
    await SCRIPTS.abandon.run(this.redis, [], [this.prefix, id, spend?.day ?? '']);
  }

  async get(id: string): Promise<VerificationRecord | undefined> {
    const raw = await this.redis.get(`${this.prefix}rec:${id}`);
    return raw === null ? undefined : decode(raw);
  }
}
