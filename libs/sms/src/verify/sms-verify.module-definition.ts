import { ConfigurableModuleBuilder } from '@nestjs/common';
import { SMS_VERIFY_OPTIONS } from './sms-verify.constants';
import { type SmsVerifyModuleOptions } from './verify-options.interface';

/** Extras of `forRoot` / `forRootAsync` besides the options themselves. */
export interface SmsVerifyModuleExtras {
  /** Register `SmsVerifyService` globally. Default `false`. */
  isGlobal?: boolean;
}

export const {
  ConfigurableModuleClass: SmsVerifyConfigurableModule,
  ASYNC_OPTIONS_TYPE: SMS_VERIFY_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<SmsVerifyModuleOptions>({
  optionsInjectionToken: SMS_VERIFY_OPTIONS,
  moduleName: 'SmsVerify',
})
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createSmsVerifyOptions')
  .setExtras<SmsVerifyModuleExtras>({ isGlobal: false }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();

/** What `forRootAsync` takes: `imports`, `inject`, and `useFactory`, `useClass` or `useExisting`. */
export type SmsVerifyModuleAsyncOptions = typeof SMS_VERIFY_ASYNC_OPTIONS_TYPE;

/** A class that `forRootAsync({ useClass })` builds to produce the options. */
export interface SmsVerifyOptionsFactory {
  createSmsVerifyOptions(): SmsVerifyModuleOptions | Promise<SmsVerifyModuleOptions>;
}
