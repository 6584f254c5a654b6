import {
  DemoConfigError,
  hasMemoryProvider,
  hasRedis,
  parseHealthEnv,
  parseQueueEnv,
  parseSmsEnv,
  queueModuleOptions,
} from './sms.config';

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

  it('reads the delivery-report endpoints from SMS_WEBHOOK_*: token, rotation, path, public URL', () => {
    const token = 'Tk7-wq2Lx9_ZpR4mVb8n';
    const pilot = { SMS_PROVIDERS: 'main', SMS_MAIN_DRIVER: 'smspilot', SMS_MAIN_API_KEY: 'k' };
    expect(parseSmsEnv({ ...pilot, SMS_WEBHOOK_TOKEN: token }).webhooks).toEqual({
      path: 'sms/webhooks',
      token,
    });
    expect(
      parseSmsEnv({
        ...pilot,
        SMS_WEBHOOK_TOKEN: ` ${token} `,
        SMS_WEBHOOK_TOKEN_PREVIOUS: 'Old.Yh6Gc1-Ue5Jk0Qs2',
        SMS_WEBHOOK_PATH: '/hooks/sms/',
        SMS_WEBHOOK_PUBLIC_URL: 'http://api.example.test/',
      }).webhooks,
    ).toEqual({
      path: 'hooks/sms',
      token: [token, 'Old.Yh6Gc1-Ue5Jk0Qs2'],
      publicUrl: 'http://api.example.test',
    });
    expect(parseSmsEnv({ SMS_WEBHOOK_TOKEN: '', SMS_WEBHOOK_PATH: ' ' })).toEqual({
      providers: { dev: { driver: 'memory' } },
    });
  });

  it('names every webhook problem without repeating a token', () => {
    expect(
      problems({
        SMS_PROVIDERS: 'main',
        SMS_MAIN_DRIVER: 'smspilot',
        SMS_MAIN_API_KEY: 'k',
        SMS_WEBHOOK_TOKEN: 'short-secret',
        SMS_WEBHOOK_TOKEN_PREVIOUS: 'has/slash/0123456789',
        SMS_WEBHOOK_PATH: 'sms/web hooks',
        SMS_WEBHOOK_TOKN: 'x',
      }),
    ).toEqual([
      'SMS_WEBHOOK_TOKEN must be 16 to 200 characters of A-Za-z0-9._~- (a random secret: openssl rand -hex 24)',
      'SMS_WEBHOOK_TOKEN_PREVIOUS must be 16 to 200 characters of A-Za-z0-9._~- (a random secret: openssl rand -hex 24)',
      'SMS_WEBHOOK_PATH must be a path such as sms/webhooks, not "sms/web hooks"',
      'SMS_WEBHOOK_TOKN is not a setting (known: SMS_WEBHOOK_TOKEN, SMS_WEBHOOK_TOKEN_PREVIOUS, SMS_WEBHOOK_PATH, SMS_WEBHOOK_PUBLIC_URL)',
    ]);
    expect(
      problems({
        SMS_PROVIDERS: 'main,spare',
        SMS_MAIN_DRIVER: 'smspilot',
        SMS_MAIN_API_KEY: 'k',
        SMS_SPARE_DRIVER: 'smspilot',
        SMS_SPARE_API_KEY: 'k',
        SMS_SPARE_CALLBACK_URL: 'http://relay.example.test/pilot',
        SMS_WEBHOOK_TOKEN: 'Tk7-wq2Lx9_ZpR4mVb8n',
        SMS_WEBHOOK_PUBLIC_URL: 'https://api.example.test',
      }),
    ).toEqual([
      'SMS_WEBHOOK_PUBLIC_URL must be http:// for the SMSPilot provider "main" (SMSPilot does not call https), or set SMS_MAIN_CALLBACK_URL',
    ]);
    expect(
      problems({
        SMS_WEBHOOK_PATH: 'hooks',
        SMS_WEBHOOK_PUBLIC_URL: 'http://user:pw@api.example.test',
        SMS_PROVIDERS: 'webhook',
      }),
    ).toEqual([
      'SMS_PROVIDERS: "webhook" is reserved; choose another name',
      'SMS_WEBHOOK_PUBLIC_URL must be an http(s) URL without query, fragment or credentials',
      'SMS_WEBHOOK_PATH needs SMS_WEBHOOK_TOKEN: delivery reports are off without it',
      'SMS_WEBHOOK_PUBLIC_URL needs SMS_WEBHOOK_TOKEN: delivery reports are off without it',
    ]);
  });

  it('reads the health settings from SMS_HEALTH_*, checked together with the rest', () => {
    expect(parseHealthEnv({})).toEqual({ module: {}, ready: {} });
    expect(
      parseHealthEnv({
        SMS_HEALTH_MIN_BALANCE: '42.5',
        SMS_HEALTH_CACHE_TTL_MS: '0',
        SMS_HEALTH_TIMEOUT_MS: '1500',
        SMS_HEALTH_REFRESH_INTERVAL_MS: '20000',
      }),
    ).toEqual({
      module: { cacheTtlMs: 0, timeoutMs: 1500, refreshIntervalMs: 20000 },
      ready: { minBalance: 42.5 },
    });
    expect(
      problems({
        SMS_DEFAULT_COUNTRY: 'ru',
        SMS_HEALTH_MIN_BALANCE: '-1',
        SMS_HEALTH_CACHE_TTL_MS: '1.5',
        SMS_HEALTH_TIMEOUT_MS: '0',
        SMS_HEALTH_INTERVAL: '5',
      }),
    ).toEqual([
      'SMS_DEFAULT_COUNTRY must be a two-letter code such as RU, not "ru"',
      'SMS_HEALTH_MIN_BALANCE must be an amount such as 100 or 42.5, not "-1"',
      'SMS_HEALTH_CACHE_TTL_MS must be a whole number (0 or more), not "1.5"',
      'SMS_HEALTH_TIMEOUT_MS must be a positive whole number, not "0"',
      'SMS_HEALTH_INTERVAL is not a setting (known: SMS_HEALTH_MIN_BALANCE, SMS_HEALTH_CACHE_TTL_MS, SMS_HEALTH_TIMEOUT_MS, SMS_HEALTH_REFRESH_INTERVAL_MS)',
    ]);
    expect(() => parseHealthEnv({ SMS_PROVIDERS: 'main' })).toThrow(DemoConfigError);
  });

  it('reads the queue from REDIS_URL and SMS_QUEUE_*: off without REDIS_URL', () => {
    expect(parseQueueEnv({})).toEqual({ module: {}, idempotencyPrefix: 'sms:idempotency:' });
    expect(hasRedis({})).toBe(false);
    expect(hasRedis({ REDIS_URL: ' ' })).toBe(false);
    const settings = parseQueueEnv({
      REDIS_URL: 'redis://:pw@127.0.0.1:6379/2',
      SMS_QUEUE_PREFIX: 'shop',
      SMS_QUEUE_CONCURRENCY: '5',
      SMS_QUEUE_WORKER: 'false',
      SMS_QUEUE_ATTEMPTS: '3',
      SMS_QUEUE_LIMIT_MAX: '50',
      SMS_QUEUE_LIMIT_DURATION_MS: '1000',
    });
    expect(settings).toEqual({
      redisUrl: 'redis://:pw@127.0.0.1:6379/2',
      module: {
        prefix: 'shop',
        concurrency: 5,
        worker: false,
        attempts: 3,
        limiter: { max: 50, duration: 1000 },
      },
      idempotencyPrefix: 'shop:idempotency:',
    });
    expect(queueModuleOptions(settings)).toEqual({
      connection: 'redis://:pw@127.0.0.1:6379/2',
      ...settings.module,
    });
    expect(() => queueModuleOptions(parseQueueEnv({}))).toThrow(DemoConfigError);
  });

  it('names every queue problem without repeating REDIS_URL', () => {
    const found = problems({
      REDIS_URL: 'http://:secret-pw@127.0.0.1:6379',
      SMS_QUEUE_CONCURRENCY: '0',
      SMS_QUEUE_LIMIT_MAX: '50',
      SMS_QUEUE_NAME: 'orders',
    });
    expect(found).toEqual([
      'REDIS_URL must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379',
      'SMS_QUEUE_CONCURRENCY must be a positive whole number, not "0"',
      'SMS_QUEUE_NAME is not a setting (known: SMS_QUEUE_PREFIX, SMS_QUEUE_CONCURRENCY, SMS_QUEUE_WORKER, SMS_QUEUE_ATTEMPTS, SMS_QUEUE_LIMIT_MAX, SMS_QUEUE_LIMIT_DURATION_MS)',
      'SMS_QUEUE_LIMIT_MAX and SMS_QUEUE_LIMIT_DURATION_MS go together: set both or neither',
    ]);
    expect(found.join('\n')).not.toContain('secret-pw');
    expect(problems({ SMS_QUEUE_CONCURRENCY: '5' })).toEqual([
      'SMS_QUEUE_CONCURRENCY needs REDIS_URL: the queue is off without it',
    ]);
    expect(problems({ SMS_PROVIDERS: 'queue', SMS_QUEUE_DRIVER: 'memory' })).toContain(
      'SMS_PROVIDERS: "queue" is reserved; choose another name',
    );
  });
});
