import 'reflect-metadata';
// What an application uses. Driver-author material is in `nestjs-sms/driver`, the memory provider's
// failure simulation in `nestjs-sms/testing`; `test/root-exports.e2e-spec.ts` pins this list.
export {
  BatchItemDto,
  GetBalanceDto,
  GetStatusDto,
  IsSmsClientIp,
  IsSmsPhone,
  IsSmsRecipients,
  IsSmsText,
  SendBatchDto,
  SendOptionsDto,
  SendSmsDto,
} from './dto';
export {
  SmsConfigurationError,
  SmsError,
  type SmsErrorCode,
  type SmsFailureClass,
  type SmsOutcome,
  type SmsValidationDetail,
  SmsValidationError,
} from './errors';
export { type DeliveryReport, type DeliveryReportHandler } from './events/delivery-report.interface';
export { type WaitForFinalStatusOptions } from './events/delivery-report-polling';
export { type SmsEvent } from './events/sms-event.interface';
export { type SmsIdempotencyStore } from './guard/idempotency-store.interface';
export { type SmsRateLimitStore } from './guard/rate-limit-store.interface';
export { SmsExceptionFilter, type SmsErrorBody } from './http/sms-exception.filter';
export {
  type BalanceResult,
  type BatchItem,
  type CostItem,
  type CostResult,
  type DeliveryStatus,
  type MessageStatus,
  type SendAttempt,
  type SendBatchOptions,
  type SendInput,
  type SendOptions,
  type SendResult,
  type SentMessage,
  type SentMessageError,
  type SmsAntiFloodOptions,
  type SmsCircuitBreakerOptions,
  type SmsIdempotencyOptions,
  type SmsModuleOptions,
  type SmsProviderConfig,
  type SmsProviderInfo,
  type SmsRetryOptions,
  type SmsWebhooksOptions,
  type ValidatedSend,
} from './interfaces';
export { checkClientIp, countSegments, normalizePhone, type SmsCountryCode } from './message';
export * from './providers';
export { SmsCircuitOpenError } from './errors';
export { SmsModule } from './sms.module';
export { type SmsModuleAsyncOptions, type SmsOptionsFactory } from './sms.module-definition';
export { SmsService } from './sms.service';
export { SmsWebhooksService } from './webhooks/sms-webhooks.service';
