import { DemoConfigError, hasMemoryProvider, parseSmsEnv } from './sms.config';

function problems(env: Record<string, string>): string[] {
  try {
    parseSmsEnv(env);
  } catch (error) {
    if (error instanceof DemoConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a DemoConfigError');
}

describe('parseSmsEnv', () => {
  it('gives the memory provider when nothing is set', () => {
    expect(parseSmsEnv({})).toEqual({ providers: { dev: { driver: 'memory' } } });
    expect(hasMemoryProvider({})).toBe(true);
  });

  it('reads real providers, failover and module settings into typed options', () => {
    const options = parseSmsEnv({
      SMS_PROVIDERS: 'main, backup',
      SMS_MAIN_DRIVER: 'smsru',
      SMS_MAIN_API_ID: 'A1B2-C3D4',
      SMS_MAIN_BASE_URL: 'https://sms.example.test/',
      SMS_MAIN_SENDER: 'MyShop',
      SMS_MAIN_TEST: 'yes',
      SMS_MAIN_PARTNER_ID: '123',
      SMS_BACKUP_DRIVER: 'smspilot',
      SMS_BACKUP_LOGIN: 'ops@example.test',
      SMS_BACKUP_PASSWORD: 'pw',
      SMS_BACKUP_CALLBACK_URL: 'https://shop.example.test/sms/callback',
      SMS_BACKUP_CALLBACK_METHOD: 'post',
      SMS_BACKUP_TIMEOUT_MS: '5000',
      SMS_FAILOVER: 'main,backup',
      SMS_DEFAULT_PROVIDER: 'backup',
      SMS_DEFAULT_COUNTRY: 'KZ',
      SMS_SEND_TIMEOUT_MS: '20000',
      UNRELATED: 'ignored',
    });
    expect(options).toEqual({
      providers: {
        main: {
          driver: 'smsru',
          apiId: 'A1B2-C3D4',
          baseUrl: 'https://sms.example.test',
          sender: 'MyShop',
          test: true,
          partnerId: '123',
        },
        backup: {
          driver: 'smspilot',
          login: 'ops@example.test',
          password: 'pw',
          callbackUrl: 'https://shop.example.test/sms/callback',
          callbackMethod: 'post',
          timeoutMs: 5000,
        },
      },
      failover: ['main', 'backup'],
      defaultProvider: 'backup',
      defaultCountry: 'KZ',
      sendTimeoutMs: 20000,
    });
    expect(hasMemoryProvider({ SMS_PROVIDERS: 'main', SMS_MAIN_DRIVER: 'smsru', SMS_MAIN_API_ID: 'x' })).toBe(
      false,
    );
    expect(
      hasMemoryProvider({
        SMS_PROVIDERS: 'main,dev',
        SMS_MAIN_DRIVER: 'smsru',
        SMS_MAIN_API_ID: 'x',
        SMS_DEV_DRIVER: 'memory',
      }),
    ).toBe(true);
  });

  it('lists every problem at once, naming the variable to fix', () => {
    expect(
      problems({
        SMS_PROVIDERS: 'main,main,2fast,default,dev',
        SMS_MAIN_DRIVER: 'twilio',
        SMS_DEV_DRIVER: 'memory',
        SMS_DEV_API_ID: 'x',
        SMS_DEV_OUTBOX_LIMIT: '-3',
        SMS_DEV_SENDR: 'Shop',
        SMS_DEFAULT_PROVIDER: 'other',
        SMS_DEFAULT_COUNTRY: 'Russia',
        SMS_TIMEOUT_MS: 'soon',
      }),
    ).toEqual([
      'SMS_MAIN_DRIVER must be one of memory, smsru, smspilot, not "twilio"',
      'SMS_PROVIDERS names "main" twice',
      'SMS_PROVIDERS: "2fast" must be letters and digits, starting with a letter',
      'SMS_PROVIDERS: "default" is reserved; choose another name',
      'SMS_DEV_API_ID does not apply to the memory driver',
      'SMS_DEV_OUTBOX_LIMIT must be a positive whole number, not "-3"',
      'SMS_DEV_SENDR is not a setting of the memory driver (known: DRIVER, SENDER, TEST, MAX_RECIPIENTS, OUTBOX_LIMIT)',
      'SMS_DEFAULT_PROVIDER "other" is not in SMS_PROVIDERS',
      'SMS_DEFAULT_COUNTRY must be a two-letter code such as RU, not "Russia"',
      'SMS_TIMEOUT_MS must be a positive whole number, not "soon"',
    ]);
    expect(hasMemoryProvider({ SMS_PROVIDERS: 'dev', SMS_DEV_DRIVER: 'memory', SMS_DEV_TEST: 'maybe' })).toBe(
      false,
    );
  });

  it('asks for credentials and never repeats a secret value', () => {
    const error = (() => {
      try {
        return parseSmsEnv({
          SMS_PROVIDERS: 'main',
          SMS_MAIN_DRIVER: 'smspilot',
          SMS_MAIN_LOGIN: 'me',
          SMS_MAIN_API_KEY: ' ',
        });
      } catch (e) {
        return e as DemoConfigError;
      }
    })() as DemoConfigError;
    expect(error.problems).toEqual([
      'SMS_MAIN_API_KEY is empty',
      'SMS_MAIN_API_KEY (or SMS_MAIN_LOGIN and SMS_MAIN_PASSWORD) is required for the smspilot driver',
    ]);
    expect(error.message).toContain(
      'Invalid SMS settings in the environment:\n  - SMS_MAIN_API_KEY is empty',
    );
  });
});
