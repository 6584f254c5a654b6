import { Test, type TestingModule } from '@nestjs/testing';
import {
  SmsConfigurationError,
  SmsModule,
  type SmsModuleOptions,
  SmsService,
  SmsWebhooksService,
  type SmsWebhooksOptions,
} from 'nestjs-sms';
import { SmsPilotFake, formOf } from '../fakes/smspilot-fake.server';
import { SmsRuFake } from '../fakes/smsru-fake.server';

const TOKEN = 'Reg1stration-T0ken-777';
const OLD_TOKEN = 'Old-Registration-T0ken-1';
const PUBLIC_URL = 'http://hooks.example.test/api';

describe('callback URLs: SMS.ru registration and the SMSPilot callback parameter', () => {
  let ru: SmsRuFake;
  let pilot: SmsPilotFake;
  let moduleRef: TestingModule | undefined;

  async function boot(webhooks: Partial<SmsWebhooksOptions> = {}, extra: Partial<SmsModuleOptions> = {}) {
    moduleRef = await Test.createTestingModule({
      imports: [
        SmsModule.forRoot({
          providers: {
            ru: ru.providerConfig(),
            ruLogin: { driver: 'smsru', login: 'shop', password: 'shop-password', baseUrl: ru.url },
            pilot: { driver: 'smspilot', apiKey: 'test-api-key', baseUrl: pilot.url },
          },
          webhooks: { path: 'sms/webhooks', token: TOKEN, publicUrl: `${PUBLIC_URL}/`, ...webhooks },
          ...extra,
        }),
      ],
    }).compile();
    return { sms: moduleRef.get(SmsService), webhooks: moduleRef.get(SmsWebhooksService) };
  }

  beforeEach(async () => {
    ru = await SmsRuFake.start();
    pilot = await SmsPilotFake.start();
  });
  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
    await ru.close();
    await pilot.close();
  });

  it('registers the SMS.ru callback URL once, and skips a provider that cannot verify callbacks', async () => {
    const { webhooks } = await boot();
    const url = `${PUBLIC_URL}/sms/webhooks/ru/${TOKEN}`;
    expect(webhooks.callbackUrl('ru')).toBe(url);

    const first = await webhooks.registerCallbacks();
    expect(first).toEqual([
      { provider: 'ru', result: 'added', removed: 0 },
      { provider: 'ruLogin', result: 'skipped', removed: 0, reason: expect.stringContaining('"apiId"') },
    ]);
    expect(ru.callbacks).toEqual([url]);
    expect(ru.requestsTo('callback/add').map((r) => r.form.get('url'))).toEqual([url]);

    const second = await webhooks.registerCallbacks();
    expect(second[0]).toEqual({ provider: 'ru', result: 'present', removed: 0 });
    expect(ru.requestsTo('callback/add')).toHaveLength(1);
    expect(ru.callbacks).toEqual([url]);
  });

  it('after a token rotation registers the new URL and deletes the old one, leaving other URLs alone', async () => {
    ru.callbacks.push(`${PUBLIC_URL}/sms/webhooks/ru/${OLD_TOKEN}`, 'http://crm.example.test/sms-status');
    const { webhooks } = await boot({ token: [TOKEN, OLD_TOKEN] });
    const [result] = await webhooks.registerCallbacks();
    expect(result).toEqual({ provider: 'ru', result: 'added', removed: 1 });
    expect(ru.callbacks).toEqual([
      'http://crm.example.test/sms-status',
      `${PUBLIC_URL}/sms/webhooks/ru/${TOKEN}`,
    ]);
  });

  it('sends the callback URL with every SMSPilot send', async () => {
    const { sms } = await boot();
    const result = await sms.send({ provider: 'pilot', to: '79087964781', text: 'Hello' });
    expect(result.messages[0].accepted).toBe(true);
    const form = formOf(pilot.requests[pilot.requests.length - 1]);
    expect(form.callback).toBe(`${PUBLIC_URL}/sms/webhooks/pilot/${TOKEN}`);
    expect(form.callback_method).toBe('get');
  });

  it("keeps an SMSPilot provider's own callbackUrl", async () => {
    moduleRef = await Test.createTestingModule({
      imports: [
        SmsModule.forRoot({
          providers: {
            pilot: {
              driver: 'smspilot',
              apiKey: 'test-api-key',
              baseUrl: pilot.url,
              callbackUrl: 'http://own.example.test/cb',
            },
          },
          webhooks: { path: 'sms/webhooks', token: TOKEN, publicUrl: PUBLIC_URL },
        }),
      ],
    }).compile();
    await moduleRef.get(SmsService).send({ to: '79087964781', text: 'Hello' });
    expect(formOf(pilot.requests[pilot.requests.length - 1]).callback).toBe('http://own.example.test/cb');
  });

  it('without publicUrl: no callback parameter, and registration says what is missing', async () => {
    const { sms, webhooks } = await boot({ publicUrl: undefined });
    await sms.send({ provider: 'pilot', to: '79087964781', text: 'Hello' });
    expect(formOf(pilot.requests[pilot.requests.length - 1]).callback).toBeUndefined();
    await expect(webhooks.registerCallbacks()).rejects.toThrow(/webhooks\.publicUrl/);
  });

  it('refuses an https publicUrl for an SMSPilot provider without its own callbackUrl', async () => {
    const err = await boot({ publicUrl: 'https://hooks.example.test/api' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SmsConfigurationError);
    expect((err as Error).message).toContain('"webhooks.publicUrl"');
    expect((err as Error).message).toContain('"pilot"');
  });
});
