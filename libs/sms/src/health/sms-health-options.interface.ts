import { SmsConfigurationError } from '../errors';

/** Options of `SmsHealthModule.forRoot` / the factory of `forRootAsync`. */
export interface SmsHealthModuleOptions {
  /**
   * How long a provider's answer (balance or failure) is reused by later probes. `0` asks the
   * provider on every probe; concurrent probes still share one request. Default 30 000 ms.
   */
  cacheTtlMs?: number;
  /** How long `isHealthy` waits for the provider when the call sets no `timeoutMs`. Default 2 000 ms. */
  timeoutMs?: number;
  /**
   * Asks each provider that `isHealthy` has checked again this long after its last answer, so that
   * probes find a warm cache. Keep it below `cacheTtlMs`. Default: off.
   */
  refreshIntervalMs?: number;
}

/** Options of one `isHealthy` call. */
export interface SmsHealthCheckOptions {
  /** The configured provider to check. Default: the module's default provider. */
  provider?: string;
  /** The lowest balance (RUB) that is still healthy. Default: none, any balance is healthy. */
  minBalance?: number;
  /** How long the probe waits for the provider. Default: the module's `timeoutMs` (2 000 ms). */
  timeoutMs?: number;
}

/** Options of one `SmsQueueHealthIndicator.isHealthy` call. */
export interface SmsQueueHealthCheckOptions {
  /** How long the check waits for Redis. Default: the module's `timeoutMs` (2 000 ms). */
  timeoutMs?: number;
}

/** Options of one `isConfigured` call. */
export interface SmsConfiguredCheckOptions {
  /** Check only this configured provider. Default: every configured provider. */
  provider?: string;
}

/**
 * Why an indicator is down:
 * - `unreachable`: no usable answer (refused connection, HTTP 5xx, 429, an answer that cannot be parsed);
 * - `auth`: the provider refused the credentials;
 * - `low_balance`: the balance is under `minBalance`;
 * - `circuit_open`: repeated failed sends opened the provider's circuit breaker (the provider is not asked);
 * - `timeout`: no answer within `timeoutMs`;
 * - `misconfigured`: no `SmsModule` in the application, a provider name that is not configured, a
 *   driver that cannot report a balance, or invalid check options.
 */
export type SmsHealthReason =
  'unreachable' | 'auth' | 'low_balance' | 'circuit_open' | 'timeout' | 'misconfigured';

/** Defaults of the health options. */
export const SMS_HEALTH_DEFAULTS = {
  cacheTtlMs: 30_000,
  timeoutMs: 2_000,
} as const;

/** The module options with defaults filled in (internal). */
export interface ResolvedSmsHealthOptions {
  cacheTtlMs: number;
  timeoutMs: number;
  refreshIntervalMs?: number;
}

function isNumber(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min;
}

/** Checks the module options and fills in the defaults; `SmsConfigurationError` at start when they cannot work. */
export function resolveSmsHealthOptions(options: SmsHealthModuleOptions = {}): ResolvedSmsHealthOptions {
  const {
    cacheTtlMs = SMS_HEALTH_DEFAULTS.cacheTtlMs,
    timeoutMs = SMS_HEALTH_DEFAULTS.timeoutMs,
    refreshIntervalMs,
  } = options;
  if (!isNumber(cacheTtlMs, 0))
    throw new SmsConfigurationError('SmsHealthModule "cacheTtlMs" must be a number ≥ 0');
  if (!isNumber(timeoutMs, 1))
    throw new SmsConfigurationError('SmsHealthModule "timeoutMs" must be a number ≥ 1');
  if (refreshIntervalMs !== undefined && !isNumber(refreshIntervalMs, 1)) {
    throw new SmsConfigurationError('SmsHealthModule "refreshIntervalMs" must be a number ≥ 1');
  }
  return { cacheTtlMs, timeoutMs, refreshIntervalMs };
}

/** The problem of one call's options, or `undefined` when they are fine (internal). */
export function checkOptionsProblem(
  options: SmsHealthCheckOptions & SmsQueueHealthCheckOptions,
): string | undefined {
  if (
    options.minBalance !== undefined &&
    !(typeof options.minBalance === 'number' && Number.isFinite(options.minBalance))
  ) {
    return '"minBalance" must be a number';
  }
  if (options.timeoutMs !== undefined && !isNumber(options.timeoutMs, 1))
    return '"timeoutMs" must be a number ≥ 1';
  if (options.provider !== undefined && typeof options.provider !== 'string')
    return '"provider" must be a provider name';
  return undefined;
}
