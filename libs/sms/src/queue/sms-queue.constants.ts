/** Injection token of the raw `SmsQueueModule` options (internal). */
export const SMS_QUEUE_MODULE_OPTIONS = 'SMS:QUEUE_MODULE_OPTIONS';
/** Injection token of the resolved queue settings (internal). */
export const SMS_QUEUE_SETTINGS = 'SMS:QUEUE_SETTINGS';
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
  lockDuration: 30_000,
  stalledInterval: 30_000,
  maxStalledCount: 1,
  removeOnComplete: { age: 86_400, count: 100_000 },
  removeOnFail: { age: 7 * 86_400 },
} as const;
