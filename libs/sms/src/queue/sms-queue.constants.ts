/** Injection token of the raw `SmsQueueModule` options (internal). */
export const SMS_QUEUE_MODULE_OPTIONS = 'SMS:QUEUE_MODULE_OPTIONS';
/** Injection token of the resolved queue settings (internal). */
export const SMS_QUEUE_SETTINGS = 'SMS:QUEUE_SETTINGS';
/**
 * Token under which `SmsQueue` is also provided, so that `nestjs-sms/health` can find it without
 * loading bullmq (internal).
 */
export const SMS_QUEUE_INSTANCE = 'SMS:QUEUE';
/** Injection token of the module's own Redis connection, `SmsQueueRedis` (internal). */
export const SMS_QUEUE_REDIS = 'SMS:QUEUE_REDIS';
/** Injection token of the module's `RedisErrorLog` (internal). */
export const SMS_QUEUE_REDIS_LOG = 'SMS:QUEUE_REDIS_LOG';
/** Logger context of the queue's log lines. */
export const SMS_QUEUE_LOGGER_CONTEXT = 'SmsQueue';
/** The name of every job the queue holds. */
export const SMS_JOB_NAME = 'send';

/** Defaults of the `SmsQueueModule` options. */
export const SMS_QUEUE_DEFAULTS = {
  queueName: 'sms',
  prefix: 'bull',
  concurrency: 10,
  attempts: 13,
  backoff: { type: 'exponential', delay: 1_000 },
  shutdownTimeoutMs: 25_000,
  commandTimeoutMs: 2_000,
  /** Least lifetime of a job's "send started" mark (7 days; longer when failed jobs are kept longer). */
  sendMarkTtlMs: 7 * 86_400_000,
  lockDuration: 30_000,
  stalledInterval: 30_000,
  maxStalledCount: 1,
  removeOnComplete: { age: 86_400, count: 100_000 },
  removeOnFail: { age: 7 * 86_400 },
} as const;
