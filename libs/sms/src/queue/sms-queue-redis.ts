import { type Cluster, Redis, type RedisOptions } from 'ioredis';
import { type RedisErrorLog } from './redis-error-log';
import { type RedisClient } from './redis-script';

/** What `connection` becomes once a URL is parsed: ioredis options or an ioredis instance (internal). */
export type SmsQueueConnectionSettings = RedisOptions | Redis | Cluster;

/** Whether `connection` is an ioredis instance (the application's) rather than options (internal). */
export function isRedisInstance(connection: SmsQueueConnectionSettings): connection is Redis | Cluster {
  return typeof (connection as { duplicate?: unknown }).duplicate === 'function';
}

/**
 * The queue module's own ioredis connection (internal), for what the library itself asks Redis: the
 * worker's send marks and limiter scripts, the end of the events stream for `events$`, `checkRedis`,
 * and the readiness check before `enqueue` and `getJob`. BullMQ's connections stay BullMQ's: from
 * bullmq 6 on, `Queue` and `Worker` expose no ioredis client, so the library never borrows theirs.
 *
 * It is built from the same `connection` option: a new client of the same options, or a duplicate of
 * a given instance (which stays the application's). It is closed when the application shuts down.
 */
export class SmsQueueRedis {
  readonly client: RedisClient;
  private closing?: Promise<void>;

  constructor(connection: SmsQueueConnectionSettings, log: RedisErrorLog) {
    this.client = isRedisInstance(connection) ? connection.duplicate() : new Redis(connection);
    this.client.on('error', (e: unknown) => log.failed(e));
    this.client.on('ready', () => log.recovered());
  }

  /** Quits, or drops the connection when it has not ended within `ms`. */
  close(ms: number): Promise<void> {
    this.closing ??= this.quit(ms);
    return this.closing;
  }

  private async quit(ms: number): Promise<void> {
    const client = this.client;
    if (client.status === 'end') return;
    if (client.status !== 'ready') {
      client.disconnect();
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<false>((resolve) => (timer = setTimeout(resolve, ms, false)));
    const ended = new Promise<true>((resolve) => client.once('end', () => resolve(true)));
    client.quit().catch(() => undefined);
    const done = await Promise.race([ended, expired]);
    clearTimeout(timer);
    if (!done) client.disconnect();
  }
}
