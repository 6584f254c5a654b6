import { randomUUID } from 'node:crypto';
import { type RedisClient, RedisScript } from './redis-script';

/** Deletes the mark only if it is still this run's (its token). */
const CLEAR = new RedisScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

/** One run's mark: its key and token (internal). */
export interface SmsSendMarkHandle {
  key: string;
  token: string;
}

/**
 * "This job's send has started", in Redis (internal). A run sets it (`SET NX`) before its request
 * goes out; a later run of the same job that finds it knows an earlier run may have sent the message
 * (its worker died, or lost the job, before the end was recorded) and must not send. A run that ended
 * provably not sent clears it, so that the job's retries still send; a completed job's mark is
 * cleared once BullMQ has recorded the completion. Otherwise it expires after `ttlMs`.
 */
export class SmsSendMark {
  constructor(
    private readonly keyPrefix: string,
    private readonly ttlMs: number,
  ) {}

  key(jobId: string): string {
    return `${this.keyPrefix}:send-started:${jobId}`;
  }

  /** A new run's mark of `jobId`, not set yet. */
  handle(jobId: string): SmsSendMarkHandle {
    return { key: this.key(jobId), token: randomUUID() };
  }

  /** Sets this run's mark: `false` when an earlier run's mark is there. */
  async start(redis: RedisClient, handle: SmsSendMarkHandle): Promise<boolean> {
    return (await redis.set(handle.key, handle.token, 'PX', this.ttlMs, 'NX')) === 'OK';
  }

  /** Clears this run's mark (not another run's). */
  async clear(redis: RedisClient, handle: SmsSendMarkHandle): Promise<void> {
    await CLEAR.run(redis, [handle.key], [handle.token]);
  }

  /** Clears the mark of a job whose end BullMQ has recorded. */
  async forget(redis: RedisClient, jobId: string): Promise<void> {
    await redis.del(this.key(jobId));
  }
}
