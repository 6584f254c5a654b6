import { SmsConfigurationError } from '../errors';
import { type SmsModuleOptions, type SmsWebhooksOptions } from '../interfaces';
import { resolveSmsOptions } from '../sms-options';
import { SMS_WEBHOOK_DEFAULTS, webhookCallbackUrl } from './webhooks-options';

const TOKEN = 'Opt1ons-T0ken-0123456';
const options = (
  webhooks: Partial<SmsWebhooksOptions> | undefined,
  extra: Partial<SmsModuleOptions> = {},
): SmsModuleOptions => ({
  providers: { dev: { driver: 'memory' } },
  webhooks: webhooks && ({ path: 'sms/webhooks', token: TOKEN, ...webhooks } as SmsWebhooksOptions),
  ...extra,
});

function problem(opts: SmsModuleOptions): string {
  try {
    resolveSmsOptions(opts);
  } catch (e) {
    expect(e).toBeInstanceOf(SmsConfigurationError);
    return (e as Error).message;
  }
  throw new Error('expected a configuration error');
}

describe('webhooks options', () => {
  it('fills in the defaults and normalizes path and publicUrl', () => {
    const { webhooks } = resolveSmsOptions(
      options({ path: '/sms/webhooks/', publicUrl: 'http://hooks.example.test/api/' }),
    );
    expect(webhooks).toMatchObject({
      path: 'sms/webhooks',
      tokens: [TOKEN],
      publicUrl: 'http://hooks.example.test/api',
      ...SMS_WEBHOOK_DEFAULTS,
    });
    expect(webhookCallbackUrl(webhooks!, 'main')).toBe(
      `http://hooks.example.test/api/sms/webhooks/main/${TOKEN}`,
    );
  });

  it('stays off without webhooks', () => {
    expect(resolveSmsOptions(options(undefined)).webhooks).toBeUndefined();
  });

  it.each([
    ['short', '"webhooks.token"'],
    ['has/slash-0123456789', '"webhooks.token"'],
    [['Second-T0ken-ABCDEFGH', 'tiny'], '"webhooks.token[1]"'],
    [[TOKEN, TOKEN, TOKEN], '"webhooks.token"'],
    [[], '"webhooks.token"'],
  ])('refuses token %j naming %s, never showing the value', (token, field) => {
    const message = problem(options({ token: token as string }));
    expect(message).toContain(field);
    for (const t of [token].flat()) expect(message).not.toContain(`${t}`.length > 3 ? `${t}` : '\u0000');
  });

  it.each([
    [{ path: '' }, '"webhooks.path"'],
    [{ path: 'sms/:provider' }, '"webhooks.path"'],
    [{ publicUrl: 'ftp://x.example.test' }, '"webhooks.publicUrl"'],
    [{ publicUrl: 'http://x.example.test/?a=1' }, '"webhooks.publicUrl"'],
    [{ dedupeWindowMs: 0 }, '"webhooks.dedupeWindowMs"'],
    [{ dedupeMaxEntries: 1.5 }, '"webhooks.dedupeMaxEntries"'],
    [{ maxBodyBytes: -1 }, '"webhooks.maxBodyBytes"'],
  ])('refuses %j naming %s', (given, field) => {
    expect(problem(options(given))).toContain(field);
  });

  it('refuses an onDeliveryReport that is not a function', () => {
    expect(problem(options(undefined, { onDeliveryReport: 'log' as never }))).toContain('"onDeliveryReport"');
  });
});
