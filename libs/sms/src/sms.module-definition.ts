import { ConfigurableModuleBuilder } from '@nestjs/common';
import { type SmsModuleOptions } from './interfaces';
import { SMS_MODULE_OPTIONS } from './sms.constants';

/** Extras of `forRoot` / `forRootAsync` besides the options themselves. */
export interface SmsModuleExtras {
  /** Register `SmsService` globally, without importing `SmsModule` in every module. Default `false`. */
  isGlobal?: boolean;
}

export const {
  ConfigurableModuleClass: SmsConfigurableModule,
  OPTIONS_TYPE: SMS_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: SMS_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<SmsModuleOptions>({
  optionsInjectionToken: SMS_MODULE_OPTIONS,
  moduleName: 'Sms',
})
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createSmsOptions')
  .setExtras<SmsModuleExtras>({ isGlobal: false }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();

/** What `forRootAsync` takes: `imports`, `inject`, and `useFactory`, `useClass` or `useExisting`. */
export type SmsModuleAsyncOptions = typeof SMS_ASYNC_OPTIONS_TYPE;

/** A class that `forRootAsync({ useClass })` builds to produce the options. */
export interface SmsOptionsFactory {
  createSmsOptions(): SmsModuleOptions | Promise<SmsModuleOptions>;
}
