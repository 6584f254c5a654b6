import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { type ConfigType } from '@nestjs/config';
import { Redis } from 'ioredis';
import { queueConfig } from '../config/sms.config';

/**
 * The demo's own Redis client (`REDIS_URL`) for the stores `SmsModule` shares with other instances, or
 * none when `REDIS_URL` is not set. Separate from the queue's connections and with one retry per
 * command, so that a send fails fast, as not sent, while Redis is down. Closed at shutdown, after the
 * queue's worker has finished its jobs.
 */
@Injectable()
export class RedisConnection implements OnApplicationShutdown {
  /** The client, when `REDIS_URL` is set. */
  readonly client: Redis | undefined;
  private readonly logger = new Logger('Redis');

  constructor(@Inject(queueConfig.KEY) settings: ConfigType<typeof queueConfig>) {
    if (!settings.redisUrl) return;
    this.client = new Redis(settings.redisUrl, { maxRetriesPerRequest: 1 });
    this.client.on('error', (error: Error) => this.logger.warn({ msg: 'redis error', error: error.message }));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client?.quit();
  }
}
