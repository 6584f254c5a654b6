import * as ts from 'typescript';

/**
 * The root entry is what an application uses, and nothing else: at most 60 names, values and types
 * together. A name added or removed here is a decision about the public API (driver-author material
 * goes to `nestjs-sms/driver`, the memory provider's simulation to `nestjs-sms/testing`).
 */
export const ROOT_NAMES = [
  'BalanceResult',
  'BatchItem',
  'BatchItemDto',
  'CostItem',
  'CostResult',
  'DeliveryReport',
  'DeliveryReportHandler',
  'DeliveryStatus',
  'GetBalanceDto',
  'GetStatusDto',
  'IsSmsClientIp',
  'IsSmsPhone',
  'IsSmsRecipients',
  'IsSmsText',
  'MemoryProvider',
  'MessageStatus',
  'SendAttempt',
  'SendBatchDto',
  'SendBatchOptions',
  'SendInput',
  'SendOptions',
  'SendOptionsDto',
  'SendResult',
  'SendSmsDto',
  'SentMessage',
  'SentMessageError',
  'SmsAntiFloodOptions',
  'SmsCircuitBreakerOptions',
  'SmsCircuitOpenError',
  'SmsConfigurationError',
  'SmsCountryCode',
  'SmsError',
  'SmsErrorBody',
  'SmsErrorCode',
  'SmsEvent',
  'SmsExceptionFilter',
  'SmsFailureClass',
  'SmsIdempotencyOptions',
  'SmsIdempotencyStore',
  'SmsModule',
  'SmsModuleAsyncOptions',
  'SmsModuleOptions',
  'SmsOptionsFactory',
  'SmsOutcome',
  'SmsPilotProvider',
  'SmsProviderConfig',
  'SmsProviderInfo',
  'SmsRateLimitStore',
  'SmsRetryOptions',
  'SmsRuProvider',
  'SmsService',
  'SmsValidationDetail',
  'SmsValidationError',
  'SmsWebhooksOptions',
  'SmsWebhooksService',
  'ValidatedSend',
  'WaitForFinalStatusOptions',
  'checkClientIp',
  'countSegments',
  'normalizePhone',
];

/** Every name a TypeScript entry file (source or declaration) exports, types included, as the compiler sees it. */
export function exportedNames(file: string): string[] {
  const program = ts.createProgram([file], {
    strict: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
  return checker
    .getExportsOfModule(module)
    .map((s) => s.name)
    .sort();
}
