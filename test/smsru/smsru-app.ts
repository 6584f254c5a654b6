import { Test, type TestingModule } from '@nestjs/testing';
import { SmsModule, type SmsModuleOptions, SmsRuProvider, SmsService } from 'nestjs-sms';
import { type SmsRuProviderConfig } from 'nestjs-sms/driver';

/** `SmsModule.forRoot(options)`, compiled and initialised. */
export async function createSmsModule(options: SmsModuleOptions): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({ imports: [SmsModule.forRoot(options)] }).compile();
  await moduleRef.init();
  return moduleRef;
}

/** `SmsModule` with one SMS.ru provider, `main`, from `config` (a fake's); quick retries, no breaker. */
export async function bootSmsRu(
  config: SmsRuProviderConfig,
  options: Partial<SmsModuleOptions> = {},
): Promise<{ moduleRef: TestingModule; sms: SmsService; driver: SmsRuProvider }> {
  const moduleRef = await createSmsModule({
    providers: { main: config },
    retry: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 5 },
    circuitBreaker: false,
    ...options,
  });
  const sms = moduleRef.get(SmsService);
  return { moduleRef, sms, driver: sms.driver('main', SmsRuProvider) };
}
