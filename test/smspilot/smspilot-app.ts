import { Test, type TestingModule } from '@nestjs/testing';
import { SmsModule, SmsService, type SmsModuleOptions } from 'nestjs-sms';
import { type SmsPilotProviderConfig } from 'nestjs-sms/driver';
import { type SmsPilotFake } from '../fakes/smspilot-fake.server';

/** `SmsModule` with one SMSPilot provider, `backup`, pointed at the fake; quick retries, no breaker. */
export async function bootSmsPilot(
  fake: SmsPilotFake,
  apiKey: string,
  config: Partial<SmsPilotProviderConfig> = {},
  options: Partial<SmsModuleOptions> = {},
): Promise<{ app: TestingModule; sms: SmsService }> {
  const app = await Test.createTestingModule({
    imports: [
      SmsModule.forRoot({
        providers: { backup: { driver: 'smspilot', apiKey, baseUrl: fake.url, ...config } },
        retry: { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 20 },
        circuitBreaker: false,
        ...options,
      }),
    ],
  }).compile();
  await app.init();
  return { app, sms: app.get(SmsService) };
}
