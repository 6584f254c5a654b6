import 'reflect-metadata';
export { RedisIdempotencyStore, type RedisStoreOptions } from './redis-idempotency.store';
export { RedisErrorLog } from './redis-error-log';
export { RedisRateLimitStore } from './redis-rate-limit.store';
export { type RedisClient } from './redis-script';
export { SMS_QUEUE_DEFAULTS } from './sms-queue.constants';
export * from './sms-queue-job.interface';
export * from './sms-queue-options.interface';
export { SmsQueueModule } from './sms-queue.module';
export {
  type SmsQueueModuleAsyncOptions,
  type SmsQueueModuleExtras,
  type SmsQueueModuleForRootOptions,
  type SmsQueueOptionsFactory,
} from './sms-queue.module-definition';
export { SmsQueue } from './sms-queue.service';
