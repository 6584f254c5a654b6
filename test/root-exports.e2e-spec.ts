import { join } from 'node:path';
import * as ts from 'typescript';

/**
 * The root entry is what an application uses, and nothing else: at most 60 names, values and types
 * together. A name added or removed here is a decision about the public API (driver-author material
 * goes to `nestjs-sms/driver`, the memory provider's simulation to `nestjs-sms/testing`).
 */
const ROOT_NAMES = [
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

const SRC = join(__dirname, '..', 'libs', 'sms', 'src');

/** Every name an entry file exports, types included, as the compiler sees it. */
function exportedNames(entry: string): string[] {
  const file = join(SRC, entry);
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

describe('the public entry points', () => {
  it('the root exports exactly the pinned names, at most 60', () => {
    const names = exportedNames('index.ts');
    expect(names).toEqual([...ROOT_NAMES].sort());
    expect(names.length).toBeLessThanOrEqual(60);
  });

  it('every runtime value of the root is a pinned name', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const values = Object.keys(require('nestjs-sms') as object);
    expect(values.length).toBeGreaterThan(20);
    for (const name of values) expect(ROOT_NAMES).toContain(name);
  });

  it('nestjs-sms/driver has the contract, the transport, the parser interface and the helpers', () => {
    const names = exportedNames('driver/index.ts');
    for (const name of [
      'SmsDriverDefinition',
      'SmsDriverContext',
      'SmsProvider',
      'HttpTransport',
      'createProviderTransport',
      'SmsWebhookParser',
      'chunkFailure',
      'sendFailure',
      'assembleSend',
      'mapLimited',
      'providerConfigProblems',
    ]) {
      expect(names).toContain(name);
    }
  });

  it('nestjs-sms/testing has the memory provider simulation', () => {
    expect(exportedNames('testing/index.ts')).toEqual(
      expect.arrayContaining(['MemorySimulation', 'MemoryOutbox', 'SmsTestingModule', 'SmsOutbox']),
    );
  });
});
