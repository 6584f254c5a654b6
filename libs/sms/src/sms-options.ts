import { isSupportedCountry } from 'libphonenumber-js';
import { SmsConfigurationError } from './errors';
import { type ResolvedSmsModuleOptions, type SmsModuleOptions } from './interfaces';
import { nearestName, unknownFieldMessage, unknownFields } from './config/unknown-fields';
import { providerConfigProblems } from './providers/common-config';
import { BUILT_IN_DRIVER_NAMES, driverDefinitionOf, driverLabel } from './providers/driver-lookup';
import { resolveWebhooksOptions } from './webhooks/webhooks-options';

/** Defaults of the module options. */
export const SMS_OPTION_DEFAULTS = {
  defaultCountry: 'RU',
  timeoutMs: 10_000,
  sendTimeoutMs: 30_000,
  maxConcurrency: 16,
  retry: { maxAttempts: 3, initialDelayMs: 200, maxDelayMs: 5_000 },
  circuitBreaker: { threshold: 5, halfOpenAfterMs: 30_000 },
  idempotency: { ttlMs: 86_400_000, maxEntries: 10_000 },
  antiFlood: { maxEntries: 100_000 },
} as const;

/** The fields of the module options and of its nested objects. */
const MODULE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  '': [
    'providers',
    'defaultProvider',
    'failover',
    'defaultCountry',
    'timeoutMs',
    'sendTimeoutMs',
    'maxConcurrency',
    'retry',
    'circuitBreaker',
    'idempotency',
    'antiFlood',
    'failoverOnNoRoute',
    'webhooks',
    'onDeliveryReport',
  ],
  retry: ['maxAttempts', 'initialDelayMs', 'maxDelayMs'],
  circuitBreaker: ['threshold', 'halfOpenAfterMs'],
  idempotency: ['ttlMs', 'maxEntries', 'store'],
  antiFlood: ['perNumber', 'perIp', 'store', 'maxEntries'],
  webhooks: ['path', 'token', 'publicUrl', 'dedupeWindowMs', 'dedupeMaxEntries', 'maxBodyBytes'],
};

/** Refuses the first unknown field of the module options, naming the nearest known one. */
function refuseUnknownOptions(options: SmsModuleOptions): void {
  for (const [path, known] of Object.entries(MODULE_FIELDS)) {
    const value: unknown = path === '' ? options : options[path as keyof SmsModuleOptions];
    if (!value || typeof value !== 'object' || Array.isArray(value)) continue;
    const [unknown] = unknownFields(value, known);
    if (unknown) {
      const field = path === '' ? unknown.field : `${path}.${unknown.field}`;
      throw new SmsConfigurationError(`"${field}" ${unknownFieldMessage(unknown.field, known)}`);
    }
  }
}

function positive(value: unknown, field: string): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)) {
    throw new SmsConfigurationError(`${field} must be a positive number`);
  }
}

/**
 * Checks the module options and fills in the defaults. Every problem names the provider and the
 * field, so a misconfigured application fails at start with a message that says what to fix.
 */
export function resolveSmsOptions(options: SmsModuleOptions): ResolvedSmsModuleOptions {
  if (!options || typeof options !== 'object') throw new SmsConfigurationError('options are missing');
  refuseUnknownOptions(options);
  const providers = options.providers;
  if (!providers || typeof providers !== 'object' || Object.keys(providers).length === 0) {
    throw new SmsConfigurationError('"providers" must name at least one provider');
  }
  for (const [name, config] of Object.entries(providers)) {
    const driver = config?.driver;
    const definition = driverDefinitionOf(driver);
    if (typeof driver !== 'function' && !definition) {
      const known = BUILT_IN_DRIVER_NAMES.join(', ');
      const near = typeof driver === 'string' ? nearestName(driver, BUILT_IN_DRIVER_NAMES) : undefined;
      const hint = near === undefined ? '' : ` Did you mean \`${near}\`?`;
      throw new SmsConfigurationError(
        `provider "${name}": unknown driver ${JSON.stringify(driver)} (use one of ${known}, a driver definition or a class implementing SmsProvider).${hint}`,
      );
    }
    const problems = providerConfigProblems(config as never, definition);
    if (problems.length > 0) {
      const list = problems.map((p) => `"${p.field}" ${p.message}`).join('; ');
      throw new SmsConfigurationError(`provider "${name}" (${driverLabel(driver)}): ${list}`);
    }
  }
  const names = Object.keys(providers);
  const defaultProvider = options.defaultProvider ?? names[0];
  if (!names.includes(defaultProvider)) {
    throw new SmsConfigurationError(
      `"defaultProvider" names "${defaultProvider}", which is not in "providers"`,
    );
  }
  const failover = options.failover ?? [];
  if (!Array.isArray(failover))
    throw new SmsConfigurationError('"failover" must be a list of provider names');
  for (const name of failover) {
    if (!names.includes(name)) {
      throw new SmsConfigurationError(`"failover" names "${name}", which is not in "providers"`);
    }
  }
  const defaultCountry = options.defaultCountry ?? SMS_OPTION_DEFAULTS.defaultCountry;
  if (
    typeof defaultCountry !== 'string' ||
    !/^[A-Z]{2}$/.test(defaultCountry) ||
    !isSupportedCountry(defaultCountry)
  ) {
    throw new SmsConfigurationError(`"defaultCountry" must be a two-letter country code such as "RU"`);
  }
  positive(options.timeoutMs, '"timeoutMs"');
  positive(options.sendTimeoutMs, '"sendTimeoutMs"');
  positive(options.maxConcurrency, '"maxConcurrency"');
  const retry = options.retry === false ? false : { ...SMS_OPTION_DEFAULTS.retry, ...options.retry };
  if (retry) {
    positive(retry.maxAttempts, '"retry.maxAttempts"');
    positive(retry.initialDelayMs, '"retry.initialDelayMs"');
    positive(retry.maxDelayMs, '"retry.maxDelayMs"');
  }
  const circuitBreaker =
    options.circuitBreaker === false
      ? false
      : { ...SMS_OPTION_DEFAULTS.circuitBreaker, ...options.circuitBreaker };
  if (circuitBreaker) {
    positive(circuitBreaker.threshold, '"circuitBreaker.threshold"');
    positive(circuitBreaker.halfOpenAfterMs, '"circuitBreaker.halfOpenAfterMs"');
  }
  positive(options.idempotency?.ttlMs, '"idempotency.ttlMs"');
  positive(options.idempotency?.maxEntries, '"idempotency.maxEntries"');
  positive(options.antiFlood?.maxEntries, '"antiFlood.maxEntries"');
  for (const [list, field] of [
    [options.antiFlood?.perNumber, 'antiFlood.perNumber'],
    [options.antiFlood?.perIp, 'antiFlood.perIp'],
  ] as const) {
    (list ?? []).forEach((limit, i) => {
      positive(limit?.max ?? -1, `"${field}[${i}].max"`);
      positive(limit?.windowMs ?? -1, `"${field}[${i}].windowMs"`);
    });
  }
  const { webhooks, providers: withCallbacks } = resolveWebhooksOptions(options);
  return {
    ...options,
    providers: withCallbacks,
    webhooks,
    defaultProvider,
    failover,
    defaultCountry,
    timeoutMs: options.timeoutMs ?? SMS_OPTION_DEFAULTS.timeoutMs,
    sendTimeoutMs: options.sendTimeoutMs ?? SMS_OPTION_DEFAULTS.sendTimeoutMs,
    maxConcurrency: options.maxConcurrency ?? SMS_OPTION_DEFAULTS.maxConcurrency,
    retry,
    circuitBreaker,
    idempotency: {
      ...options.idempotency,
      ttlMs: options.idempotency?.ttlMs ?? SMS_OPTION_DEFAULTS.idempotency.ttlMs,
      maxEntries: options.idempotency?.maxEntries ?? SMS_OPTION_DEFAULTS.idempotency.maxEntries,
    },
    antiFlood: {
      ...options.antiFlood,
      maxEntries: options.antiFlood?.maxEntries ?? SMS_OPTION_DEFAULTS.antiFlood.maxEntries,
    },
  };
}
