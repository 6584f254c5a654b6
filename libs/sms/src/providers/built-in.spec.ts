import { Test } from '@nestjs/testing';
import { SmsConfigurationError } from '../errors';
import { type SmsModuleOptions, type SmsWebhooksOptions } from '../interfaces';
import { SmsModule } from '../sms.module';
import { resolveSmsOptions } from '../sms-options';

/** The message that starting a module with these options fails with. */
async function startError(options: unknown): Promise<string> {
  const error = await Test.createTestingModule({ imports: [SmsModule.forRoot(options as SmsModuleOptions)] })
    .compile()
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SmsConfigurationError);
  expect(error).toMatchObject({ code: 'VALIDATION', name: 'SmsConfigurationError' });
  return (error as Error).message;
}

describe('the built-in drivers through SmsModule: misconfiguration fails at start', () => {
  it('missing credentials for smsru', async () => {
    const message = await startError({ providers: { main: { driver: 'smsru', sender: 'MyShop' } } });
    expect(message).toMatch(/provider "main"/);
    expect(message).toMatch(/apiId/);
  });

  it('missing credentials for smspilot', async () => {
    const message = await startError({ providers: { backup: { driver: 'smspilot' } } });
    expect(message).toMatch(/provider "backup"/);
    expect(message).toMatch(/apiKey/);
  });

  it.each([
    ['smsru', { driver: 'smsru', apiId: 'x', sender: 'My Shop!' }],
    ['smspilot', { driver: 'smspilot', apiKey: 'x', sender: 'My Shop!' }],
  ])('a provider-level sender that a send would refuse (%s)', async (_driver, config) => {
    const message = await startError({ providers: { main: config } });
    expect(message).toMatch(/provider "main" \(\w+\): "sender" must be 3–11 of A-Za-z0-9.- or 6–14 digits$/);
  });

  it.each([
    ['smsru', { driver: 'smsru', apiId: 'x' }],
    ['smspilot', { driver: 'smspilot', apiKey: 'x' }],
  ])('maxRecipients of 0 (%s)', async (_driver, config) => {
    const message = await startError({ providers: { main: { ...config, maxRecipients: 0 } } });
    expect(message).toMatch(/provider "main" \(\w+\): "maxRecipients" must be a positive whole number$/);
  });

  it('a built-in provider field typo, with the nearest field', async () => {
    const message = await startError({
      providers: { main: { driver: 'smsru', apiId: 'x', sendr: 'MyShop' } },
    });
    expect(message).toBe(
      'SmsModule configuration: provider "main" (smsru): "sendr" is not a known field (did you mean `sender`?)',
    );
  });

  it('a field in the wrong case', async () => {
    const message = await startError({
      providers: { main: { driver: 'smspilot', apiKey: 'x', apikey: 'y' } },
    });
    expect(message).toMatch(
      /provider "main" \(smspilot\): "apikey" is not a known field \(did you mean `apiKey`\?\)/,
    );
  });

  it('an unknown driver name, with the nearest built-in one', async () => {
    const message = await startError({ providers: { main: { driver: 'smsr', apiId: 'x' } } });
    expect(message).toMatch(/unknown driver "smsr".*Did you mean `smsru`\?/);
  });
});

describe('the built-in drivers with webhooks', () => {
  const TOKEN = 'Opt1ons-T0ken-0123456';
  const options = (
    webhooks: Partial<SmsWebhooksOptions>,
    extra: Partial<SmsModuleOptions>,
  ): SmsModuleOptions => ({
    providers: { dev: { driver: 'memory' } },
    webhooks: { path: 'sms/webhooks', token: TOKEN, ...webhooks } as SmsWebhooksOptions,
    ...extra,
  });

  it('gives SMSPilot providers without callbackUrl the http callback URL, and refuses an https one', () => {
    const pilot = { driver: 'smspilot' as const, apiKey: 'k' };
    const resolved = resolveSmsOptions(
      options(
        { publicUrl: 'http://hooks.example.test' },
        { providers: { pilot, own: { ...pilot, callbackUrl: 'http://own.example.test/cb' } } },
      ),
    );
    expect(resolved.providers.pilot).toEqual({
      ...pilot,
      callbackUrl: `http://hooks.example.test/sms/webhooks/pilot/${TOKEN}`,
    });
    expect(resolved.providers.own).toMatchObject({ callbackUrl: 'http://own.example.test/cb' });
    expect(() =>
      resolveSmsOptions(options({ publicUrl: 'https://hooks.example.test' }, { providers: { pilot } })),
    ).toThrow(/"webhooks.publicUrl" must be an http:\/\/ URL for SMSPilot provider "pilot"/);
  });
});
