import 'reflect-metadata';
export {
  SMS_CAPTCHA_URLS,
  type SmsCaptchaContext,
  type SmsCaptchaVerifier,
  type SmsCaptchaVerifierOptions,
  hCaptcha,
  reCaptcha,
  yandexSmartCaptcha,
} from './captcha';
export { MemoryVerifyStore } from './memory-verify.store';
export { RedisVerifyStore, type RedisVerifyStoreOptions } from './redis-verify.store';
export { SmsVerifyModule } from './sms-verify.module';
export {
  type SmsVerifyModuleAsyncOptions,
  type SmsVerifyModuleExtras,
  type SmsVerifyOptionsFactory,
} from './sms-verify.module-definition';
export * from './sms-verify.interfaces';
export { SmsVerifyService } from './sms-verify.service';
export * from './verify-events';
export { SMS_VERIFY_TEMPLATES } from './verify-message';
export { SMS_VERIFY_DEFAULTS } from './verify-options';
export * from './verify-options.interface';
export * from './verify-store.interface';
