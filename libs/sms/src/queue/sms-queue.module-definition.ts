import { ConfigurableModuleBuilder } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { SMS_QUEUE_DEFAULTS, SMS_QUEUE_MODULE_OPTIONS } from './sms-queue.constants';
import { createSmsQueueProviders } from './sms-queue.providers';
import { SmsQueue } from './sms-queue.service';
import { type SmsQueueModuleOptions } from './sms-queue-options.interface';

/** Extras of `forRoot` / `forRootAsync` besides the options themselves. */
export interface SmsQueueModuleExtras {
  /**
   * The BullMQ queue's name, the same in every instance. Default `sms`. The raw BullMQ `Queue` is also
   * available as `@InjectQueue(queueName)` (from `@nestjs/bullmq`), for dashboards and metrics.
   */
  queueName?: string;
  /** Register `SmsQueue` globally. Default `false`. */
  isGlobal?: boolean;
}

export const {
  ConfigurableModuleClass: SmsQueueConfigurableModule,
  OPTIONS_TYPE: SMS_QUEUE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: SMS_QUEUE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<SmsQueueModuleOptions>({
  optionsInjectionToken: SMS_QUEUE_MODULE_OPTIONS,
  moduleName: 'SmsQueue',
})
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createSmsQueueOptions')
  .setExtras<SmsQueueModuleExtras>(
    { queueName: SMS_QUEUE_DEFAULTS.queueName, isGlobal: false },
    (definition, extras) => {
      const queueName = extras.queueName ?? SMS_QUEUE_DEFAULTS.queueName;
      return {
        ...definition,
        global: extras.isGlobal,
        providers: [...(definition.providers ?? []), ...createSmsQueueProviders(queueName)],
        exports: [SmsQueue, getQueueToken(queueName)],
      };
    },
  )
  .build();

/** What `forRoot` takes: the options, `queueName` and `isGlobal`. */
export type SmsQueueModuleForRootOptions = typeof SMS_QUEUE_OPTIONS_TYPE;

/** What `forRootAsync` takes: `queueName`, `isGlobal`, `imports`, `inject`, and `useFactory`, `useClass` or `useExisting`. */
export type SmsQueueModuleAsyncOptions = typeof SMS_QUEUE_ASYNC_OPTIONS_TYPE;

/** A class that `forRootAsync({ useClass })` builds to produce the options. */
export interface SmsQueueOptionsFactory {
  createSmsQueueOptions(): SmsQueueModuleOptions | Promise<SmsQueueModuleOptions>;
}
