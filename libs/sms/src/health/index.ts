import 'reflect-metadata';
export { SmsHealthIndicator } from './sms.health';
export { SmsHealthModule } from './sms-health.module';
export { SmsQueueHealthIndicator } from './sms-queue.health';
export {
  type SmsHealthModuleAsyncOptions,
  type SmsHealthModuleExtras,
  type SmsHealthOptionsFactory,
} from './sms-health.module-definition';
export {
  SMS_HEALTH_DEFAULTS,
  type SmsConfiguredCheckOptions,
  type SmsHealthCheckOptions,
  type SmsHealthModuleOptions,
  type SmsHealthReason,
  type SmsQueueHealthCheckOptions,
} from './sms-health-options.interface';
