import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { RedisErrorLog } from 'nestjs-sms/queue';

export function storesRedis(url: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  const log = new RedisErrorLog(new Logger('Redis'), 'Redis of the shared stores');
  redis.on('error', (e) => log.failed(e));
  redis.on('ready', () => log.recovered());
  return redis;
}
