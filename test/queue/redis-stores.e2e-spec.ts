import { type Redis } from 'ioredis';
import { type IdempotencyEntry } from 'nestjs-sms/driver';
import { RedisIdempotencyStore, RedisRateLimitStore } from 'nestjs-sms/queue';
import { SmsSendLimiter, type SmsSendSlot } from '../../libs/sms/src/queue/sms-send-limiter';
import { connectRedis, removeKeys, testPrefix } from './queue-test-kit';

const done: Exclude<IdempotencyEntry, { state: 'pending' }> = {
  state: 'done',
  record: {
    provider: 'main',
    texts: ['hi'],
    messages: [{ to: '79255070602', accepted: true, id: 'm-1', status: 'queued', segments: 1 }],
    attempts: [{ provider: 'main', result: 'sent', recipients: 1, durationMs: 12 }],
  },
};

describe('Redis stores (real Redis)', () => {
  let redis: Redis;
  const prefix = testPrefix('stores');

  beforeAll(async () => {
    redis = await connectRedis();
  });
  afterAll(async () => {
    await removeKeys(redis, prefix);
    redis.disconnect();
  });

  describe('RedisIdempotencyStore', () => {
    let store: RedisIdempotencyStore;
    beforeEach(() => {
      store = new RedisIdempotencyStore(redis, { prefix: `${prefix}:idem:` });
    });

    it('reserves a new key (null), then returns what is stored without changing it', async () => {
      await expect(store.reserve('k1', 10_000)).resolves.toBeNull();
      await expect(store.reserve('k1', 10_000)).resolves.toEqual({ state: 'pending' });
      await expect(store.get('k1')).resolves.toEqual({ state: 'pending' });
      const ttl = await redis.pttl(`${prefix}:idem:k1`);
      expect(ttl).toBeGreaterThan(9_000);
      expect(ttl).toBeLessThanOrEqual(10_000);
    });

    it('settles a reservation with the final entry and its own TTL, which survives JSON', async () => {
      await store.reserve('k2', 10_000);
      await store.settle('k2', done, 60_000);
      await expect(store.get('k2')).resolves.toEqual(done);
      await expect(store.reserve('k2', 10_000)).resolves.toEqual(done);
      expect(await redis.pttl(`${prefix}:idem:k2`)).toBeGreaterThan(50_000);
      const failed: IdempotencyEntry = {
        state: 'failed',
        error: {
          name: 'SmsError',
          message: 'timed out',
          code: 'TIMEOUT',
          outcome: 'unknown',
          retryable: false,
        },
      };
      await store.settle('k2', failed, 60_000);
      await expect(store.reserve('k2', 1_000)).resolves.toEqual(failed);
    });

    it('releases a key so that it can be reserved again', async () => {
      await store.reserve('k3', 10_000);
      await store.release('k3');
      await expect(store.get('k3')).resolves.toBeNull();
      await expect(store.reserve('k3', 10_000)).resolves.toBeNull();
    });

    it('forgets a reservation when its TTL ends', async () => {
      await expect(store.reserve('k4', 150)).resolves.toBeNull();
      await new Promise((r) => setTimeout(r, 300));
      await expect(store.get('k4')).resolves.toBeNull();
      await expect(store.reserve('k4', 10_000)).resolves.toBeNull();
    });

    it('gives exactly one of 50 concurrent reserve calls of one key the reservation', async () => {
      const others = await Promise.all(Array.from({ length: 4 }, () => redis.duplicate()));
      const stores = [
        store,
        ...others.map((r) => new RedisIdempotencyStore(r, { prefix: `${prefix}:idem:` })),
      ];
      try {
        const answers = await Promise.all(
          Array.from({ length: 50 }, (_, i) => stores[i % stores.length].reserve('contended', 10_000)),
        );
        expect(answers.filter((a) => a === null)).toHaveLength(1);
        expect(answers.filter((a) => a?.state === 'pending')).toHaveLength(49);
      } finally {
        others.forEach((r) => r.disconnect());
      }
    });

    it('keeps keys of different prefixes apart', async () => {
      const other = new RedisIdempotencyStore(redis, { prefix: `${prefix}:other:` });
      await store.reserve('shared', 10_000);
      await expect(other.reserve('shared', 10_000)).resolves.toBeNull();
    });

    it('refuses a TTL that is not a positive number', async () => {
      await expect(store.reserve('bad', 0)).rejects.toThrow(RangeError);
      await expect(store.settle('bad', done, Number.NaN)).rejects.toThrow(RangeError);
    });
  });

  describe('RedisRateLimitStore', () => {
    let store: RedisRateLimitStore;
    beforeEach(() => {
      store = new RedisRateLimitStore(redis, { prefix: `${prefix}:rate:` });
    });

    it('counts hits in a window that starts with the first hit and tells when it ends', async () => {
      const first = await store.hit('79255070602', 1_000);
      expect(first.count).toBe(1);
      expect(first.resetInMs).toBeGreaterThan(900);
      expect(first.resetInMs).toBeLessThanOrEqual(1_000);
      await new Promise((r) => setTimeout(r, 200));
      const second = await store.hit('79255070602', 1_000);
      expect(second.count).toBe(2);
      expect(second.resetInMs).toBeLessThanOrEqual(800);
      expect(second.resetInMs).toBeGreaterThan(500);
    });

    it('starts a new window once the old one ends', async () => {
      await store.hit('ip:10.0.0.1', 150);
      await store.hit('ip:10.0.0.1', 150);
      await new Promise((r) => setTimeout(r, 250));
      await expect(store.hit('ip:10.0.0.1', 150)).resolves.toMatchObject({ count: 1 });
    });

    it('keeps windows of different lengths for one key apart', async () => {
      await store.hit('79990000001', 60_000);
      await store.hit('79990000001', 60_000);
      await expect(store.hit('79990000001', 86_400_000)).resolves.toMatchObject({ count: 1 });
      await expect(store.hit('79990000001', 60_000)).resolves.toMatchObject({ count: 3 });
    });

    it('counts 100 concurrent hits from several clients once each', async () => {
      const others = await Promise.all(Array.from({ length: 4 }, () => redis.duplicate()));
      const stores = [store, ...others.map((r) => new RedisRateLimitStore(r, { prefix: `${prefix}:rate:` }))];
      try {
        const hits = await Promise.all(
          Array.from({ length: 100 }, (_, i) => stores[i % stores.length].hit('burst', 10_000)),
        );
        expect(hits.map((h) => h.count).sort((a, b) => a - b)).toEqual(
          Array.from({ length: 100 }, (_, i) => i + 1),
        );
        expect(hits.every((h) => h.resetInMs > 0 && h.resetInMs <= 10_000)).toBe(true);
      } finally {
        others.forEach((r) => r.disconnect());
      }
    });
  });

  describe('SmsSendLimiter (the slots of the queue limiter)', () => {
    const slotOf = (taken: Awaited<ReturnType<SmsSendLimiter['take']>>): SmsSendSlot => {
      if (!taken || !('slot' in taken)) throw new Error(`no slot: ${JSON.stringify(taken)}`);
      return taken.slot;
    };

    it('holds a slot while the send runs and one window after it ended', async () => {
      const limiter = new SmsSendLimiter(`${prefix}:lim1`, { max: 2, duration: 300 }, {});
      const a = slotOf(await limiter.take(redis, 'main', 10_000));
      slotOf(await limiter.take(redis, 'main', 10_000));
      await expect(limiter.take(redis, 'main', 10_000)).resolves.toEqual({
        wait: { scope: 'queue', waitMs: 300 },
      });
      await limiter.release(redis, a);
      const full = await limiter.take(redis, 'main', 10_000);
      expect(full).toMatchObject({ wait: { scope: 'queue' } });
      expect((full as { wait: { waitMs: number } }).wait.waitMs).toBeGreaterThan(250);
      await new Promise((r) => setTimeout(r, 320));
      slotOf(await limiter.take(redis, 'main', 10_000));
    });

    it('gives up the slot of a send whose worker died after the in-flight TTL', async () => {
      const limiter = new SmsSendLimiter(`${prefix}:lim2`, { max: 1, duration: 10_000 }, {});
      slotOf(await limiter.take(redis, 'main', 150));
      await expect(limiter.take(redis, 'main', 150)).resolves.toMatchObject({ wait: { scope: 'queue' } });
      await new Promise((r) => setTimeout(r, 200));
      slotOf(await limiter.take(redis, 'main', 150));
    });

    it('limits each provider on its own, and takes no slot when one limit is full', async () => {
      const limiter = new SmsSendLimiter(
        `${prefix}:lim3`,
        { max: 3, duration: 10_000 },
        { main: { max: 1, duration: 10_000 } },
      );
      slotOf(await limiter.take(redis, 'main', 10_000));
      await expect(limiter.take(redis, 'main', 10_000)).resolves.toMatchObject({
        wait: { scope: 'provider' },
      });
      slotOf(await limiter.take(redis, 'backup', 10_000));
      slotOf(await limiter.take(redis, 'backup', 10_000));
      await expect(limiter.take(redis, 'backup', 10_000)).resolves.toMatchObject({
        wait: { scope: 'queue' },
      });
      expect(await redis.zcard(`${prefix}:lim3:sends:flight`)).toBe(3);
    });

    it('gives exactly max of 40 concurrent takes a slot', async () => {
      const limiter = new SmsSendLimiter(`${prefix}:lim4`, { max: 7, duration: 10_000 }, {});
      const others = await Promise.all(Array.from({ length: 3 }, () => redis.duplicate()));
      try {
        const clients = [redis, ...others];
        const answers = await Promise.all(
          Array.from({ length: 40 }, (_, i) => limiter.take(clients[i % clients.length], 'main', 10_000)),
        );
        expect(answers.filter((a) => a && 'slot' in a)).toHaveLength(7);
      } finally {
        others.forEach((r) => r.disconnect());
      }
    });
  });
});
