import { ConfigurableModuleBuilder } from '@nestjs/common';
import { SMS_HEALTH_OPTIONS } from './sms-health.constants';
import { type SmsHealthModuleOptions } from './sms-health-options.interface';

/** Extras of `SmsHealthModule.forRoot` / `forRootAsync` besides the options themselves. */
export interface SmsHealthModuleExtras {
  /** Make `SmsHealthIndicator` injectable everywhere without importing the module again. Default `false`. */
  isGlobal?: boolean;
}

/** The base of `SmsHealthModule`: `forRoot` / `forRootAsync` (internal). */
export const {
  ConfigurableModuleClass: SmsHealthConfigurableModule,
  ASYNC_OPTIONS_TYPE: SMS_HEALTH_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<SmsHealthModuleOptions>({
  optionsInjectionToken: SMS_HEALTH_OPTIONS,
  moduleName: 'SmsHealth',
})
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createSmsHealthOptions')
  .setExtras<SmsHealthModuleExtras>({ isGlobal: false }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();

/** What `SmsHealthModule.forRootAsync` takes: `imports`, `inject`, and `useFactory`, `useClass` or `useExisting`. */
export type SmsHealthModuleAsyncOptions = typeof SMS_HEALTH_ASYNC_OPTIONS_TYPE;

/** A class that `forRootAsync({ useClass })` builds to produce the options. */
export interface SmsHealthOptionsFactory {
  createSmsHealthOptions(): SmsHealthModuleOptions | Promise<SmsHealthModuleOptions>;
}
