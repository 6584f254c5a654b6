import { Test, type TestingModule } from '@nestjs/testing';
import { SmsModule, SmsPilotProvider, SmsService, type SmsModuleOptions } from 'nestjs-sms';
import { type SmsPilotProviderConfig } from 'nestjs-sms/driver';
import { SmsPilotFake } from '../fakes/smspilot-fake.server';

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

/** A fake answering one key and `SmsModule` booted on it (`bootSmsPilot`), fresh for each test. */
export interface SmsPilotTestbed {
  fake: SmsPilotFake;
  app: TestingModule;
  sms: SmsService;
  /** The `backup` driver. */
  pilot: SmsPilotProvider;
  /** Closes the module and boots it again on the same fake with `config`. */
  reboot(config: Partial<SmsPilotProviderConfig>): Promise<void>;
}

/** Registers the hooks that build a `SmsPilotTestbed` before each test of the block and close it after. */
export function smsPilotPerTest(apiKey: string): SmsPilotTestbed {
  const boot = async (config: Partial<SmsPilotProviderConfig> = {}) => {
    ({ app: bed.app, sms: bed.sms } = await bootSmsPilot(bed.fake, apiKey, config));
    bed.pilot = bed.sms.driver('backup', SmsPilotProvider);
  };
  const bed = {
    reboot: async (config) => {
      await bed.app.close();
      await boot(config);
    },
  } as SmsPilotTestbed;
  beforeEach(async () => {
    bed.fake = await SmsPilotFake.start({ apiKey });
    await boot();
  });
  afterEach(async () => {
    await bed.app.close();
    await bed.fake.close();
  });
  return bed;
}
