import 'reflect-metadata';
export * from './dto';
export * from './errors';
export * from './events';
export * from './guard';
export * from './interfaces';
export {
  checkClientIp,
  type ClientIpCheck,
  countSegments,
  maskPhone,
  maxTextLength,
  normalizePhone,
  type SegmentInfo,
  type SmsEncoding,
  type SmsCountryCode,
} from './message';
export * from './providers/memory';
export * from './providers/smspilot';
export * from './providers/smsru';
export { type ConfigProblem } from './providers/driver-definition';
export { SMS_OPTION_DEFAULTS } from './sms-options';
export { SmsModule } from './sms.module';
export {
  type SmsModuleAsyncOptions,
  type SmsModuleExtras,
  type SmsOptionsFactory,
} from './sms.module-definition';
export { SmsService } from './sms.service';
export {
  SmsExceptionFilter,
  type SmsErrorBody,
  smsErrorBody,
  smsErrorStatus,
} from './http/sms-exception.filter';
export { SmsCircuitOpenError, type SmsCircuitState } from './routing/circuit-breakers';
export {
  type DeliveryReport,
  type DeliveryReportError,
  type DeliveryReportHandler,
  type DeliveryReportKind,
} from './events/delivery-report.interface';
export {
  type WaitForFinalStatusOptions,
  WAIT_FOR_FINAL_STATUS_DEFAULTS,
} from './events/delivery-report-polling';
export { SmsWebhooksService, type SmsCallbackRegistration } from './webhooks/sms-webhooks.service';
export { SMS_WEBHOOK_DEFAULTS } from './webhooks/webhooks-options';
export {
  smsRuCallbackHash,
  verifySmsRuCallback,
  SMSRU_CALLCHECK_STATUSES,
} from './providers/smsru/smsru.webhook';
