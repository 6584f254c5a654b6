import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { type ConfigType } from '@nestjs/config';
import { Redis } from 'ioredis';
import { RedisErrorLog } from 'nestjs-sms/queue';
import { queueConfig } from '../config/sms.config';

/**
 * The demo's own Redis client (`REDIS_URL`) for the stores `SmsModule` shares with other instances, or
 * none when `REDIS_URL` is not set. Separate from the queue's connections and with one retry per
 * command (the stores bound each call to 2 s anyway), so that a send fails fast, as not sent, while
 * Redis is down. Its connection errors are logged with backoff (`RedisErrorLog`). Closed at shutdown,
 * after the queue's worker has finished its jobs.
 */
@Injectable()
export class RedisConnection implements OnApplicationShutdown {
  /** The client, when `REDIS_URL` is set. */
  readonly client: Redis | undefined;
  private readonly logger = new Logger('Redis');

  constructor(@Inject(queueConfig.KEY) settings: ConfigType<typeof queueConfig>) {
    if (!settings.redisUrl) return;
    this.client = new Redis(settings.redisUrl, { maxRetriesPerRequest: 1 });
    const log = new RedisErrorLog(this.logger, 'Redis of the shared stores');
    this.client.on('error', (error: Error) => log.failed(error));
    this.client.on('ready', () => log.recovered());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client?.quit();
  }
}
