import { createHash } from 'node:crypto';
import { type Cluster, type Redis } from 'ioredis';

/** An ioredis client: one server or a cluster. */
export type RedisClient = Redis | Cluster;

/** A Lua script run with `EVALSHA`, sent in full once when the server does not know it yet (internal). */
export class RedisScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: RedisClient, keys: string[], args: Array<string | number>): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (e) {
      if (!(e instanceof Error) || !e.message.startsWith('NOSCRIPT')) throw e;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

/** A TTL in whole ms of at least 1, as `PX` wants it. */
export function wholeMs(ms: number, what: string): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) {
    throw new RangeError(`${what} must be a positive number of ms`);
  }
  return Math.max(1, Math.ceil(ms));
}
