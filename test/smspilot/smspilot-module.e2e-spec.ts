import { Test, type TestingModule } from '@nestjs/testing';
import {
  SmsConfigurationError,
  SmsError,
  SmsModule,
  SmsPilotProvider,
  SmsService,
  SmsValidationError,
} from 'nestjs-sms';
import { smsPilotDriver, type SmsPilotProviderConfig } from 'nestjs-sms/driver';
import { providerConfigProblems } from 'nestjs-sms/driver';
import { SmsPilotFake } from '../fakes/smspilot-fake.server';
import { bootSmsPilot } from './smspilot-app';

const apiKey = 'module-key-90210';
const PHONE = '79087964781';

describe('SMSPilot through SmsModule', () => {
  let fake: SmsPilotFake;
  let app: TestingModule | undefined;

  beforeEach(async () => {
    fake = await SmsPilotFake.start({ apiKey });
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await fake.close();
  });

  async function boot(config: Partial<SmsPilotProviderConfig> = {}): Promise<SmsService> {
    const booted = await bootSmsPilot(fake, apiKey, config);
    app = booted.app;
    return booted.sms;
  }

  it('sends through SmsService with the driver configured by name', async () => {
    const sms = await boot();
    const result = await sms.send({ to: '8 (908) 796-47-81', text: 'Код 1234' });
    expect(result).toMatchObject({ provider: 'backup', cost: 1.68, balance: 20006.97 });
    expect(result.messages[0]).toMatchObject({ to: PHONE, accepted: true, id: '10000', segments: 1 });
    expect(result.attempts).toEqual([
      expect.objectContaining({ provider: 'backup', result: 'sent', recipients: 1 }),
    ]);
    const { capabilities } = sms.driver('backup', SmsPilotProvider);
    expect(capabilities.join(' ')).toBe('send batch status cost balance schedule ttl testMode');
  });

  it('rejects ttlMinutes outside 10–1440 with SmsValidationError before any request', async () => {
    const sms = await boot();
    for (const ttlMinutes of [5, 9, 1441]) {
      const err = await sms.send({ to: PHONE, text: 'x', ttlMinutes }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SmsValidationError);
      expect((err as SmsValidationError).details).toEqual([
        { field: 'ttlMinutes', message: 'must be a whole number from 10 to 1440' },
      ]);
    }
    expect(fake.requests).toHaveLength(0);
    await sms.send({ to: PHONE, text: 'x', ttlMinutes: 10 });
    expect(fake.lastForm().ttl).toBe('10');
  });

  it('answers UNSUPPORTED for translit and daytime before any request, and sends no clientIp', async () => {
    const sms = await boot();
    for (const option of [{ translit: true }, { daytime: true }]) {
      const err = await sms.send({ to: PHONE, text: 'x', ...option }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SmsError);
      expect(err).toMatchObject({ code: 'UNSUPPORTED', provider: 'backup' });
    }
    expect(fake.requests).toHaveLength(0);
    await sms.send({ to: PHONE, text: 'x', clientIp: '77.88.8.8' });
    expect(Object.keys(fake.lastForm()).sort()).toEqual(['apikey', 'format', 'send', 'to']);
  });

  it('applies the config sender and test mode', async () => {
    const sms = await boot({ sender: 'MyShop', test: true });
    await sms.send({ to: PHONE, text: 'x' });
    expect(fake.lastForm()).toMatchObject({ from: 'MyShop', test: '1' });
    await sms.send({ to: PHONE, text: 'y', sender: 'INFORM', test: false });
    expect(fake.lastForm().from).toBe('INFORM');
    expect(fake.lastForm().test).toBeUndefined();
  });

  it('closes the driver on shutdown', async () => {
    const sms = await boot();
    await sms.getBalance();
    const close = jest.spyOn(sms.driver('backup', SmsPilotProvider), 'close');
    await app!.close();
    app = undefined;
    expect(close).toHaveBeenCalledTimes(1);
  });

  it.each([
    [{ apiKey: undefined }, 'apiKey'],
    [{ apiKey: '' }, 'apiKey'],
    [{ apiKey: undefined, login: 'shop@example.test' }, 'password'],
    [{ apiKey: undefined, password: 'secret-pass' }, 'login'],
    [{ baseUrl: 'ftp://smspilot.test' }, 'baseUrl'],
    [{ baseUrl: 'not a url' }, 'baseUrl'],
    [{ callbackUrl: 'https://example.test/cb' }, 'callbackUrl'],
    [{ callbackMethod: 'put' as 'get' }, 'callbackMethod'],
    [{ chunkConcurrency: 0 }, 'chunkConcurrency'],
    [{ sender: 'a' }, 'sender'],
  ])('refuses the config %j at start, naming "%s"', async (override, field) => {
    const config = { driver: 'smspilot' as const, apiKey, baseUrl: fake.url, ...override };
    expect(providerConfigProblems(config, smsPilotDriver).map((p) => p.field)).toEqual([field]);
    const err = await Test.createTestingModule({
      imports: [SmsModule.forRoot({ providers: { backup: config } })],
    })
      .compile()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SmsConfigurationError);
    expect((err as Error).message).toContain(`"${field}"`);
    expect((err as Error).message).not.toContain('secret-pass');
  });

  it('accepts login + password, an http callback and no baseUrl', () => {
    expect(
      providerConfigProblems(
        {
          driver: 'smspilot',
          login: 'shop@example.test',
          password: 'secret-pass',
          callbackUrl: 'http://example.test/cb',
          callbackMethod: 'post',
        },
        smsPilotDriver,
      ),
    ).toEqual([]);
  });
});
