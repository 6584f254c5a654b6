import { registerAs } from '@nestjs/config';
import { type SmsModuleOptions, type SmsProviderConfig, type SmsWebhooksOptions } from 'nestjs-sms';
import { type SmsHealthCheckOptions, type SmsHealthModuleOptions } from 'nestjs-sms/health';
import { type SmsQueueModuleOptions } from 'nestjs-sms/queue';

/** Environment variables as `process.env` holds them. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Settings in the environment that cannot work; the message lists every problem. */
export class DemoConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid SMS settings in the environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'DemoConfigError';
  }
}

/** The provider the demo uses when `SMS_PROVIDERS` is not set: in memory, offline, no credentials. */
export const DEMO_MEMORY_PROVIDER = 'dev';

/** Where the delivery-report endpoints are mounted when `SMS_WEBHOOK_PATH` is not set. */
export const DEMO_WEBHOOK_PATH = 'sms/webhooks';

const DRIVERS = ['memory', 'smsru', 'smspilot'] as const;
type DriverName = (typeof DRIVERS)[number];
const HTTP: readonly DriverName[] = ['smsru', 'smspilot'];

type Kind =
  | 'string'
  | 'secret'
  | 'url'
  | 'int'
  | 'bool'
  | 'method'
  | 'int0'
  | 'amount'
  | 'token'
  | 'path'
  | 'public-url'
  | 'redis-url';

/** One `SMS_<NAME>_<SUFFIX>` setting: the config field it fills and the drivers that take it. */
interface ProviderSetting {
  field: string;
  kind: Kind;
  drivers: readonly DriverName[];
}

/** Every per-provider setting, by the suffix after `SMS_<NAME>_`. */
const PROVIDER_SETTINGS: Readonly<Record<string, ProviderSetting>> = {
  SENDER: { field: 'sender', kind: 'string', drivers: DRIVERS },
  TEST: { field: 'test', kind: 'bool', drivers: DRIVERS },
  MAX_RECIPIENTS: { field: 'maxRecipients', kind: 'int', drivers: DRIVERS },
  OUTBOX_LIMIT: { field: 'outboxLimit', kind: 'int', drivers: ['memory'] },
  BASE_URL: { field: 'baseUrl', kind: 'url', drivers: HTTP },
  TIMEOUT_MS: { field: 'timeoutMs', kind: 'int', drivers: HTTP },
  MAX_CONCURRENCY: { field: 'maxConcurrency', kind: 'int', drivers: HTTP },
  CHUNK_CONCURRENCY: { field: 'chunkConcurrency', kind: 'int', drivers: HTTP },
  LOGIN: { field: 'login', kind: 'secret', drivers: HTTP },
  PASSWORD: { field: 'password', kind: 'secret', drivers: HTTP },
  API_ID: { field: 'apiId', kind: 'secret', drivers: ['smsru'] },
  PARTNER_ID: { field: 'partnerId', kind: 'string', drivers: ['smsru'] },
  API_KEY: { field: 'apiKey', kind: 'secret', drivers: ['smspilot'] },
  CALLBACK_URL: { field: 'callbackUrl', kind: 'url', drivers: ['smspilot'] },
  CALLBACK_METHOD: { field: 'callbackMethod', kind: 'method', drivers: ['smspilot'] },
};

/** The credential each HTTP driver needs: its key, or a login and a password. */
const CREDENTIALS: Readonly<Partial<Record<DriverName, string>>> = { smsru: 'API_ID', smspilot: 'API_KEY' };

/** Module-wide settings: `SMS_<SUFFIX>` → option. */
const MODULE_NUMBERS = {
  TIMEOUT_MS: 'timeoutMs',
  SEND_TIMEOUT_MS: 'sendTimeoutMs',
  MAX_CONCURRENCY: 'maxConcurrency',
} as const;

/** One setting of a group of module-wide variables (`SMS_WEBHOOK_…`, `SMS_HEALTH_…`). */
interface GroupSetting {
  field: string;
  kind: Kind;
}

/** `SMS_WEBHOOK_<SUFFIX>`: the delivery-report endpoints. */
const WEBHOOK_SETTINGS: Readonly<Record<string, GroupSetting>> = {
  TOKEN: { field: 'token', kind: 'token' },
  TOKEN_PREVIOUS: { field: 'previousToken', kind: 'token' },
  PATH: { field: 'path', kind: 'path' },
  PUBLIC_URL: { field: 'publicUrl', kind: 'public-url' },
};

/** `SMS_HEALTH_<SUFFIX>`: the health endpoints. */
const HEALTH_SETTINGS: Readonly<Record<string, GroupSetting>> = {
  MIN_BALANCE: { field: 'minBalance', kind: 'amount' },
  CACHE_TTL_MS: { field: 'cacheTtlMs', kind: 'int0' },
  TIMEOUT_MS: { field: 'timeoutMs', kind: 'int' },
  REFRESH_INTERVAL_MS: { field: 'refreshIntervalMs', kind: 'int' },
};

/** `SMS_QUEUE_<SUFFIX>`: the queue, on when `REDIS_URL` is set. */
const QUEUE_SETTINGS: Readonly<Record<string, GroupSetting>> = {
  PREFIX: { field: 'prefix', kind: 'string' },
  CONCURRENCY: { field: 'concurrency', kind: 'int' },
  WORKER: { field: 'worker', kind: 'bool' },
  ATTEMPTS: { field: 'attempts', kind: 'int' },
  LIMIT_MAX: { field: 'limitMax', kind: 'int' },
  LIMIT_DURATION_MS: { field: 'limitDurationMs', kind: 'int' },
};

/** Names that would make `SMS_<NAME>_…` clash with a module-wide variable. */
const RESERVED_NAMES = new Set([
  'DEFAULT',
  'FAILOVER',
  'PROVIDERS',
  'TIMEOUT',
  'SEND',
  'MAX',
  'WEBHOOK',
  'HEALTH',
  'QUEUE',
]);
/** A webhook token as the library takes it: a random secret, nothing that needs escaping in a URL. */
const TOKEN_PATTERN = /^[A-Za-z0-9._~-]{16,200}$/;
const PATH_SEGMENT = /^[A-Za-z0-9._~-]+$/;
const NAME_PATTERN = /^[a-z][a-z0-9]*$/i;

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Reads one setting into `target[field]`, or records why it cannot. */
function readSetting(
  variable: string,
  raw: string,
  kind: Kind,
  field: string,
  target: Record<string, unknown>,
  problems: string[],
): void {
  const value = raw.trim();
  switch (kind) {
    case 'int': {
      if (!/^\d+$/.test(value) || Number(value) < 1)
        problems.push(`${variable} must be a positive whole number, not "${value}"`);
      else target[field] = Number(value);
      return;
    }
    case 'bool': {
      const known: Record<string, boolean> = {
        true: true,
        '1': true,
        yes: true,
        false: false,
        '0': false,
        no: false,
      };
      if (!(value.toLowerCase() in known)) problems.push(`${variable} must be true or false, not "${value}"`);
      else target[field] = known[value.toLowerCase()];
      return;
    }
    case 'url': {
      let url: URL | undefined;
      try {
        url = new URL(value);
      } catch {
        url = undefined;
      }
      if (!url || !/^https?:$/.test(url.protocol)) problems.push(`${variable} must be an http(s) URL`);
      else target[field] = value.replace(/\/+$/, '');
      return;
    }
    case 'method': {
      if (value !== 'get' && value !== 'post')
        problems.push(`${variable} must be get or post, not "${value}"`);
      else target[field] = value;
      return;
    }
    case 'int0': {
      if (!/^\d+$/.test(value))
        problems.push(`${variable} must be a whole number (0 or more), not "${value}"`);
      else target[field] = Number(value);
      return;
    }
    case 'amount': {
      if (!/^\d+(\.\d+)?$/.test(value))
        problems.push(`${variable} must be an amount such as 100 or 42.5, not "${value}"`);
      else target[field] = Number(value);
      return;
    }
    case 'token': {
      if (!TOKEN_PATTERN.test(value)) {
        problems.push(
          `${variable} must be 16 to 200 characters of A-Za-z0-9._~- (a random secret: openssl rand -hex 24)`,
        );
      } else target[field] = value;
      return;
    }
    case 'path': {
      const path = value.replace(/^\/+|\/+$/g, '');
      if (path === '' || !path.split('/').every((segment) => PATH_SEGMENT.test(segment)))
        problems.push(`${variable} must be a path such as ${DEMO_WEBHOOK_PATH}, not "${value}"`);
      else target[field] = path;
      return;
    }
    case 'public-url': {
      let url: URL | undefined;
      try {
        url = new URL(value);
      } catch {
        url = undefined;
      }
      if (!url || !/^https?:$/.test(url.protocol) || url.search || url.hash || url.username || url.password)
        problems.push(`${variable} must be an http(s) URL without query, fragment or credentials`);
      else target[field] = value.replace(/\/+$/, '');
      return;
    }
    case 'redis-url': {
      let url: URL | undefined;
      try {
        url = new URL(value);
      } catch {
        url = undefined;
      }
      if (!url || !/^rediss?:$/.test(url.protocol) || !url.hostname)
        problems.push(`${variable} must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379`);
      else target[field] = value;
      return;
    }
    default:
      if (value === '') problems.push(`${variable} is empty`);
      else target[field] = value;
  }
}

function readProvider(name: string, env: Env, problems: string[]): SmsProviderConfig | undefined {
  const prefix = `SMS_${name.toUpperCase()}_`;
  const driverVariable = `${prefix}DRIVER`;
  const driver = env[driverVariable]?.trim();
  if (!driver) {
    problems.push(`${driverVariable} is missing: set it to ${DRIVERS.join(', ')}`);
    return undefined;
  }
  if (!(DRIVERS as readonly string[]).includes(driver)) {
    problems.push(`${driverVariable} must be one of ${DRIVERS.join(', ')}, not "${driver}"`);
    return undefined;
  }
  const config: Record<string, unknown> = { driver };
  for (const [variable, raw] of Object.entries(env)) {
    if (!variable.startsWith(prefix) || variable === driverVariable || raw === undefined) continue;
    const suffix = variable.slice(prefix.length);
    const setting = PROVIDER_SETTINGS[suffix];
    if (!setting) {
      const known = Object.keys(PROVIDER_SETTINGS).filter((s) =>
        PROVIDER_SETTINGS[s].drivers.includes(driver as DriverName),
      );
      problems.push(
        `${variable} is not a setting of the ${driver} driver (known: DRIVER, ${known.join(', ')})`,
      );
    } else if (!setting.drivers.includes(driver as DriverName)) {
      problems.push(`${variable} does not apply to the ${driver} driver`);
    } else {
      readSetting(variable, raw, setting.kind, setting.field, config, problems);
    }
  }
  const key = CREDENTIALS[driver as DriverName];
  if (
    key &&
    !env[prefix + key]?.trim() &&
    !(env[`${prefix}LOGIN`]?.trim() && env[`${prefix}PASSWORD`]?.trim())
  ) {
    problems.push(
      `${prefix}${key} (or ${prefix}LOGIN and ${prefix}PASSWORD) is required for the ${driver} driver`,
    );
  }
  return config as unknown as SmsProviderConfig;
}

/**
 * Reads one group of module-wide variables (`SMS_WEBHOOK_…`): the set ones into an object by field; an
 * empty value counts as not set, an unknown name in the group is a problem.
 */
function readGroup(
  env: Env,
  prefix: string,
  settings: Readonly<Record<string, GroupSetting>>,
  problems: string[],
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [variable, raw] of Object.entries(env)) {
    if (!variable.startsWith(prefix) || raw === undefined) continue;
    const setting = settings[variable.slice(prefix.length)];
    if (!setting) {
      const known = Object.keys(settings).map((suffix) => prefix + suffix);
      problems.push(`${variable} is not a setting (known: ${known.join(', ')})`);
    } else if (raw.trim() !== '') {
      readSetting(variable, raw, setting.kind, setting.field, values, problems);
    }
  }
  return values;
}

/** `webhooks` from `SMS_WEBHOOK_…`: on when `SMS_WEBHOOK_TOKEN` is set. */
function readWebhooks(
  env: Env,
  providers: Record<string, SmsProviderConfig>,
  problems: string[],
): SmsWebhooksOptions | undefined {
  const read = readGroup(env, 'SMS_WEBHOOK_', WEBHOOK_SETTINGS, problems) as {
    token?: string;
    previousToken?: string;
    path?: string;
    publicUrl?: string;
  };
  if (!env.SMS_WEBHOOK_TOKEN?.trim()) {
    for (const suffix of Object.keys(WEBHOOK_SETTINGS)) {
      const variable = `SMS_WEBHOOK_${suffix}`;
      if (suffix !== 'TOKEN' && env[variable]?.trim())
        problems.push(`${variable} needs SMS_WEBHOOK_TOKEN: delivery reports are off without it`);
    }
    return undefined;
  }
  if (read.token === undefined) return undefined;
  if (read.publicUrl?.startsWith('https:')) {
    for (const [name, config] of Object.entries(providers)) {
      if (config.driver === 'smspilot' && config.callbackUrl === undefined)
        problems.push(
          `SMS_WEBHOOK_PUBLIC_URL must be http:// for the SMSPilot provider "${name}" (SMSPilot does not call https), ` +
            `or set SMS_${name.toUpperCase()}_CALLBACK_URL`,
        );
    }
  }
  return {
    path: read.path ?? DEMO_WEBHOOK_PATH,
    token: read.previousToken ? [read.token, read.previousToken] : read.token,
    ...(read.publicUrl ? { publicUrl: read.publicUrl } : {}),
  };
}

/** What the demo's health endpoints use. */
export interface DemoHealthSettings {
  /** Options of `SmsHealthModule` (cache, timeout, background refresh). */
  module: SmsHealthModuleOptions;
  /** Options of the readiness check, `isHealthy` (`minBalance`). */
  ready: SmsHealthCheckOptions;
}

/** What the demo's queue and shared Redis stores use. */
export interface DemoQueueSettings {
  /** `REDIS_URL`: with it, `POST /sms/queue` and the idempotency keys in Redis; absent, neither. */
  redisUrl?: string;
  /** `SmsQueueModule` options besides `connection`, from `SMS_QUEUE_…`. */
  module: Omit<SmsQueueModuleOptions, 'connection'>;
  /** Where `RedisIdempotencyStore` keeps the keys: `<SMS_QUEUE_PREFIX>:idempotency:`, or `sms:idempotency:`. */
  idempotencyPrefix: string;
}

/** Everything the demo reads from `SMS_…` variables and `REDIS_URL`. */
interface DemoSmsSettings {
  sms: SmsModuleOptions;
  health: DemoHealthSettings;
  queue: DemoQueueSettings;
}

/** `REDIS_URL` and `SMS_QUEUE_…`: the queue's options, the Redis URL and the idempotency keys' prefix. */
function readQueue(env: Env, problems: string[]): DemoQueueSettings {
  const read: Record<string, unknown> = {};
  if (env.REDIS_URL?.trim()) readSetting('REDIS_URL', env.REDIS_URL, 'redis-url', 'redisUrl', read, problems);
  const { prefix, concurrency, worker, attempts, limitMax, limitDurationMs } = readGroup(
    env,
    'SMS_QUEUE_',
    QUEUE_SETTINGS,
    problems,
  ) as {
    prefix?: string;
    concurrency?: number;
    worker?: boolean;
    attempts?: number;
    limitMax?: number;
    limitDurationMs?: number;
  };
  if (!env.REDIS_URL?.trim()) {
    for (const suffix of Object.keys(QUEUE_SETTINGS)) {
      const variable = `SMS_QUEUE_${suffix}`;
      if (env[variable]?.trim()) problems.push(`${variable} needs REDIS_URL: the queue is off without it`);
    }
  }
  if ((limitMax === undefined) !== (limitDurationMs === undefined))
    problems.push('SMS_QUEUE_LIMIT_MAX and SMS_QUEUE_LIMIT_DURATION_MS go together: set both or neither');
  const module: DemoQueueSettings['module'] = {};
  if (prefix !== undefined) module.prefix = prefix;
  if (concurrency !== undefined) module.concurrency = concurrency;
  if (worker !== undefined) module.worker = worker;
  if (attempts !== undefined) module.attempts = attempts;
  if (limitMax !== undefined && limitDurationMs !== undefined)
    module.limiter = { max: limitMax, duration: limitDurationMs };
  return {
    ...(read.redisUrl ? { redisUrl: read.redisUrl as string } : {}),
    module,
    idempotencyPrefix: `${prefix ?? 'sms'}:idempotency:`,
  };
}

/** Reads every `SMS_…` variable, checking all of them at once. */
function parseEnv(env: Env): DemoSmsSettings {
  const problems: string[] = [];
  const names = list(env.SMS_PROVIDERS);
  const providers: Record<string, SmsProviderConfig> = {};
  if (names.length === 0) providers[DEMO_MEMORY_PROVIDER] = { driver: 'memory' };
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) {
      problems.push(`SMS_PROVIDERS names "${name}" twice`);
      continue;
    }
    seen.add(name);
    if (!NAME_PATTERN.test(name))
      problems.push(`SMS_PROVIDERS: "${name}" must be letters and digits, starting with a letter`);
    else if (RESERVED_NAMES.has(name.toUpperCase()))
      problems.push(`SMS_PROVIDERS: "${name}" is reserved; choose another name`);
    else {
      const config = readProvider(name, env, problems);
      if (config) providers[name] = config;
    }
  }
  const options: SmsModuleOptions = { providers };
  const known = names.length === 0 ? [DEMO_MEMORY_PROVIDER] : names;
  const defaultProvider = env.SMS_DEFAULT_PROVIDER?.trim();
  if (defaultProvider) {
    if (!known.includes(defaultProvider))
      problems.push(`SMS_DEFAULT_PROVIDER "${defaultProvider}" is not in SMS_PROVIDERS`);
    options.defaultProvider = defaultProvider;
  }
  const failover = list(env.SMS_FAILOVER);
  if (failover.length > 0) {
    for (const name of failover)
      if (!known.includes(name)) problems.push(`SMS_FAILOVER names "${name}", which is not in SMS_PROVIDERS`);
    options.failover = failover;
  }
  const country = env.SMS_DEFAULT_COUNTRY?.trim();
  if (country) {
    if (!/^[A-Z]{2}$/.test(country))
      problems.push(`SMS_DEFAULT_COUNTRY must be a two-letter code such as RU, not "${country}"`);
    else options.defaultCountry = country as SmsModuleOptions['defaultCountry'];
  }
  for (const [suffix, field] of Object.entries(MODULE_NUMBERS)) {
    const raw = env[`SMS_${suffix}`];
    if (raw !== undefined && raw.trim() !== '') {
      readSetting(
        `SMS_${suffix}`,
        raw,
        'int',
        field,
        options as unknown as Record<string, unknown>,
        problems,
      );
    }
  }
  const webhooks = readWebhooks(env, providers, problems);
  if (webhooks) options.webhooks = webhooks;
  const { minBalance, ...module } = readGroup(env, 'SMS_HEALTH_', HEALTH_SETTINGS, problems);
  const health: DemoHealthSettings = {
    module: module as SmsHealthModuleOptions,
    ready: minBalance === undefined ? {} : { minBalance: minBalance as number },
  };
  const queue = readQueue(env, problems);
  if (problems.length > 0) throw new DemoConfigError(problems);
  return { sms: options, health, queue };
}

/**
 * Reads the demo's SMS settings from environment variables into `SmsModule` options, checking
 * every `SMS_…` variable at once: a bad setting stops the start with a list of what to fix (never a
 * secret's value).
 *
 * - no `SMS_PROVIDERS`: one memory provider named `dev`;
 * - `SMS_PROVIDERS=main,backup`, then for each `SMS_MAIN_DRIVER=smsru|smspilot|memory` and the
 *   driver's settings (`SMS_MAIN_API_ID`, `SMS_MAIN_BASE_URL`, `SMS_MAIN_SENDER`, …);
 * - `SMS_DEFAULT_PROVIDER`, `SMS_FAILOVER=main,backup`, `SMS_DEFAULT_COUNTRY`, `SMS_TIMEOUT_MS`,
 *   `SMS_SEND_TIMEOUT_MS`, `SMS_MAX_CONCURRENCY`;
 * - `SMS_WEBHOOK_TOKEN` (then `SMS_WEBHOOK_TOKEN_PREVIOUS`, `SMS_WEBHOOK_PATH`, `SMS_WEBHOOK_PUBLIC_URL`):
 *   the delivery-report endpoints.
 *
 * @example
 * parseSmsEnv({ SMS_PROVIDERS: 'main', SMS_MAIN_DRIVER: 'smsru', SMS_MAIN_API_ID: '…' });
 */
export function parseSmsEnv(env: Env): SmsModuleOptions {
  return parseEnv(env).sms;
}

/**
 * Reads the settings of the health endpoints (`SMS_HEALTH_MIN_BALANCE`, `SMS_HEALTH_CACHE_TTL_MS`,
 * `SMS_HEALTH_TIMEOUT_MS`, `SMS_HEALTH_REFRESH_INTERVAL_MS`), checking every `SMS_…` variable at once.
 *
 * @example
 * parseHealthEnv({ SMS_HEALTH_MIN_BALANCE: '100' }); // { module: {}, ready: { minBalance: 100 } }
 */
export function parseHealthEnv(env: Env): DemoHealthSettings {
  return parseEnv(env).health;
}

/**
 * Reads the settings of the queue (`REDIS_URL`, `SMS_QUEUE_PREFIX`, `SMS_QUEUE_CONCURRENCY`,
 * `SMS_QUEUE_WORKER`, `SMS_QUEUE_ATTEMPTS`, `SMS_QUEUE_LIMIT_MAX` + `SMS_QUEUE_LIMIT_DURATION_MS`),
 * checking every `SMS_…` variable at once. An error never repeats `REDIS_URL`, which may hold a password.
 *
 * @example
 * parseQueueEnv({ REDIS_URL: 'redis://127.0.0.1:6379', SMS_QUEUE_CONCURRENCY: '5' }).module; // { concurrency: 5 }
 */
export function parseQueueEnv(env: Env): DemoQueueSettings {
  return parseEnv(env).queue;
}

/** Whether `REDIS_URL` is set, so that the queue routes are served. */
export function hasRedis(env: Env): boolean {
  return Boolean(env.REDIS_URL?.trim());
}

/** The options of `SmsQueueModule` from the queue settings; `REDIS_URL` must be set. */
export function queueModuleOptions(settings: DemoQueueSettings): SmsQueueModuleOptions {
  if (!settings.redisUrl) throw new DemoConfigError(['REDIS_URL is required for the queue']);
  return { connection: settings.redisUrl, ...settings.module };
}

/** Whether the settings give a memory provider (then the demo serves the outbox page); false when they are invalid. */
export function hasMemoryProvider(env: Env): boolean {
  try {
    return Object.values(parseSmsEnv(env).providers).some((p) => p.driver === 'memory');
  } catch {
    return false;
  }
}

/**
 * The `sms` configuration namespace: `SmsModule` options read from the environment when the
 * application starts (after `.env` is loaded).
 *
 * @example
 * SmsModule.forRootAsync({ inject: [smsConfig.KEY], useFactory: (options: ConfigType<typeof smsConfig>) => options });
 */
export const smsConfig = registerAs('sms', (): SmsModuleOptions => parseSmsEnv(process.env));

/**
 * The `health` configuration namespace: options of `SmsHealthModule` and of the readiness check.
 *
 * @example
 * SmsHealthModule.forRootAsync({ inject: [healthConfig.KEY], useFactory: (h: ConfigType<typeof healthConfig>) => h.module });
 */
export const healthConfig = registerAs('health', (): DemoHealthSettings => parseHealthEnv(process.env));

/**
 * The `queue` configuration namespace: `REDIS_URL` and the options of `SmsQueueModule`.
 *
 * @example
 * SmsQueueModule.forRootAsync({ inject: [queueConfig.KEY], useFactory: queueModuleOptions });
 */
export const queueConfig = registerAs('queue', (): DemoQueueSettings => parseQueueEnv(process.env));
