import { type CountryCode, isSupportedCountry } from 'libphonenumber-js/max';
import { SmsConfigurationError } from '../errors';
import { type SmsVerifyLocale, type SmsVerifyModuleOptions } from './verify-options.interface';

/** Defaults of `SmsVerifyModule`. */
export const SMS_VERIFY_DEFAULTS = {
  codeLength: 6,
  ttlMs: 300_000,
  maxAttempts: 5,
  resendCooldownMs: 60_000,
  resendCooldownGrowth: 2,
  maxResendCooldownMs: 900_000,
  limits: { perNumberPerHour: 5, perNumberPerDay: 10, perIpPerHour: 20, perIpPerDay: 100 },
  mobileOnly: true,
  pumping: { rangeDigits: 3, maxStarts: 10, windowMs: 600_000, blockMs: 3_600_000 },
  spend: { perDayRub: 1000, pricePerSegmentRub: 5 },
  locale: 'ru' as SmsVerifyLocale,
  /** How long a record is kept after its code expired (a late check says `expired`, not `not_found`). */
  retainMs: 900_000,
} as const;

/** The options with every default filled in (internal). */
export interface ResolvedVerifyOptions {
  secret: string;
  codeLength: number;
  ttlMs: number;
  maxAttempts: number;
  resendCooldownMs: number;
  resendCooldownGrowth: number;
  maxResendCooldownMs: number;
  limits: Required<NonNullable<SmsVerifyModuleOptions['limits']>>;
  countries: CountryCode[];
  mobileOnly: boolean;
  pumping: Required<Exclude<SmsVerifyModuleOptions['pumping'], false | undefined>> | false;
  spend: Required<Exclude<SmsVerifyModuleOptions['spend'], false | undefined>> | false;
  locale: SmsVerifyLocale;
}

function integer(value: unknown, field: string, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `${min}–${max}`;
    throw new SmsConfigurationError(`verify: "${field}" must be a whole number, ${range}`);
  }
}

function positive(value: unknown, field: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new SmsConfigurationError(`verify: "${field}" must be a positive number`);
  }
}

/** Checks the options and fills in the defaults; a problem fails the application at start-up. */
export function resolveVerifyOptions(
  options: SmsVerifyModuleOptions,
  defaultCountry: CountryCode,
): ResolvedVerifyOptions {
  if (!options || typeof options !== 'object') throw new SmsConfigurationError('verify: options are missing');
  if (typeof options.secret !== 'string' || options.secret.length < 32) {
    throw new SmsConfigurationError(
      'verify: "secret" must be a random text of at least 32 characters (the key of the code HMAC)',
    );
  }
  const d = SMS_VERIFY_DEFAULTS;
  const resolved: ResolvedVerifyOptions = {
    secret: options.secret,
    codeLength: options.codeLength ?? d.codeLength,
    ttlMs: options.ttlMs ?? d.ttlMs,
    maxAttempts: options.maxAttempts ?? d.maxAttempts,
    resendCooldownMs: options.resendCooldownMs ?? d.resendCooldownMs,
    resendCooldownGrowth: options.resendCooldownGrowth ?? d.resendCooldownGrowth,
    maxResendCooldownMs: options.maxResendCooldownMs ?? d.maxResendCooldownMs,
    limits: { ...d.limits, ...options.limits },
    countries: options.countries ?? [defaultCountry],
    mobileOnly: options.mobileOnly ?? d.mobileOnly,
    pumping: options.pumping === false ? false : { ...d.pumping, ...options.pumping },
    spend: options.spend === false ? false : { ...d.spend, ...options.spend },
    locale: options.message?.locale ?? d.locale,
  };
  integer(resolved.codeLength, 'codeLength', 4, 10);
  integer(resolved.maxAttempts, 'maxAttempts', 1, 100);
  positive(resolved.ttlMs, 'ttlMs');
  positive(resolved.resendCooldownMs, 'resendCooldownMs');
  positive(resolved.maxResendCooldownMs, 'maxResendCooldownMs');
  if (typeof resolved.resendCooldownGrowth !== 'number' || !(resolved.resendCooldownGrowth >= 1)) {
    throw new SmsConfigurationError('verify: "resendCooldownGrowth" must be a number of at least 1');
  }
  for (const [name, value] of Object.entries(resolved.limits)) integer(value, `limits.${name}`, 0);
  if (
    !Array.isArray(resolved.countries) ||
    resolved.countries.length === 0 ||
    resolved.countries.some((c) => typeof c !== 'string' || !isSupportedCountry(c))
  ) {
    throw new SmsConfigurationError('verify: "countries" must list two-letter country codes such as "RU"');
  }
  if (resolved.pumping) {
    integer(resolved.pumping.rangeDigits, 'pumping.rangeDigits', 1, 6);
    integer(resolved.pumping.maxStarts, 'pumping.maxStarts', 1);
    positive(resolved.pumping.windowMs, 'pumping.windowMs');
    positive(resolved.pumping.blockMs, 'pumping.blockMs');
  }
  if (resolved.spend) {
    positive(resolved.spend.perDayRub, 'spend.perDayRub');
    positive(resolved.spend.pricePerSegmentRub, 'spend.pricePerSegmentRub');
  }
  if (resolved.locale !== 'ru' && resolved.locale !== 'en') {
    throw new SmsConfigurationError('verify: "message.locale" must be "ru" or "en"');
  }
  if (options.captcha !== undefined && typeof options.captcha?.verifier?.verify !== 'function') {
    throw new SmsConfigurationError('verify: "captcha.verifier" must have a verify(token, context) method');
  }
  return resolved;
}
