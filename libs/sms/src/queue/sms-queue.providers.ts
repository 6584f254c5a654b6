import { Logger, type Provider } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { RedisErrorLog } from './redis-error-log';
import {
  SMS_QUEUE_LOGGER_CONTEXT,
  SMS_QUEUE_MODULE_OPTIONS,
  SMS_QUEUE_REDIS,
  SMS_QUEUE_REDIS_LOG,
  SMS_QUEUE_INSTANCE,
  SMS_QUEUE_SETTINGS,
} from './sms-queue.constants';
import { type SmsQueueModuleOptions } from './sms-queue-options.interface';
import { resolveSmsQueueOptions, type SmsQueueSettings } from './sms-queue-options';
import { SmsQueueRedis } from './sms-queue-redis';
import { SmsQueue } from './sms-queue.service';
import { SmsQueueWorker } from './sms-queue.worker';

/** The BullMQ queue of the settings, with the job defaults (attempts, backoff, retention). */
export function createBullQueue(settings: SmsQueueSettings): Queue {
  return new Queue(settings.queueName, {
    connection: settings.connection,
    prefix: settings.prefix,
    defaultJobOptions: {
      attempts: settings.attempts,
      backoff: settings.backoff,
      removeOnComplete: settings.removeOnComplete,
      removeOnFail: settings.removeOnFail,
    },
  });
}

/** The constructor arguments of `SmsQueue` and of the worker. */
type QueueParts = [SmsQueueSettings, Queue, ModuleRef, RedisErrorLog, SmsQueueRedis];

/**
 * The providers of one `SmsQueueModule`: settings, the BullMQ queue (also under `getQueueToken(name)`
 * for `@InjectQueue(name)`), the module's own Redis connection, `SmsQueue` and the worker.
 */
export function createSmsQueueProviders(queueName: string): Provider[] {
  const queueToken = getQueueToken(queueName);
  /** What `SmsQueue` and the worker are built from, in the order of `QueueParts`. */
  const parts = [SMS_QUEUE_SETTINGS, queueToken, ModuleRef, SMS_QUEUE_REDIS_LOG, SMS_QUEUE_REDIS];
  return [
    {
      provide: SMS_QUEUE_SETTINGS,
      inject: [SMS_QUEUE_MODULE_OPTIONS],
      useFactory: (options: SmsQueueModuleOptions) => resolveSmsQueueOptions(options, queueName),
    },
    { provide: queueToken, inject: [SMS_QUEUE_SETTINGS], useFactory: createBullQueue },
    {
      provide: SMS_QUEUE_REDIS_LOG,
      useFactory: () =>
        new RedisErrorLog(new Logger(SMS_QUEUE_LOGGER_CONTEXT), `Redis of queue "${queueName}"`),
    },
    {
      provide: SMS_QUEUE_REDIS,
      inject: [SMS_QUEUE_SETTINGS, SMS_QUEUE_REDIS_LOG],
      useFactory: (settings: SmsQueueSettings, log: RedisErrorLog) =>
        new SmsQueueRedis(settings.connection, log),
    },
    { provide: SmsQueue, inject: parts, useFactory: (...args: QueueParts) => new SmsQueue(...args) },
    { provide: SMS_QUEUE_INSTANCE, useExisting: SmsQueue },
    {
      provide: SmsQueueWorker,
      inject: parts,
      useFactory: (...args: QueueParts) => new SmsQueueWorker(...args),
    },
  ];
}
