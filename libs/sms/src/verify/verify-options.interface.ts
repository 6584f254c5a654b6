import { type CountryCode } from 'libphonenumber-js';
import { type SmsCaptchaVerifier } from './captcha';
import { type SmsVerifyStore } from './verify-store.interface';

/** The languages of the built-in code texts. */
export type SmsVerifyLocale = 'ru' | 'en';

/** The text of the code message. */
export interface SmsVerifyMessageOptions {
  /** Language when `start` names none. Default `ru`. */
  locale?: SmsVerifyLocale;
  /**
   * Texts by language, with `{code}` (required) and `{ttl}` (minutes). Default
   * `ru`: `Код: {code}. Действует {ttl} мин.`, `en`: `Your code: {code}. Valid for {ttl} min.`
   */
  templates?: Partial<Record<SmsVerifyLocale, string>>;
  /**
   * Domain of the WebOTP line (`@example.com #123456`, the last line) with which browsers fill the
   * code in. Default: no line.
   */
  webOtpDomain?: string;
  /** The 11-character app hash of the Android SMS Retriever API, on a line of its own. Default: none. */
  androidAppHash?: string;
}

/** Limits on how many codes go out, each a sliding window. `0` switches one off. */
export interface SmsVerifyLimits {
  /** Codes sent to one number in an hour. Default 5. */
  perNumberPerHour?: number;
  /** Codes sent to one number in a day. Default 10. */
  perNumberPerDay?: number;
  /** Codes sent for one `clientIp` in an hour. Default 20. */
  perIpPerHour?: number;
  /** Codes sent for one `clientIp` in a day. Default 100. */
  perIpPerDay?: number;
}

/** SMS pumping detection: many starts to numbers of one prefix range block the range. */
export interface SmsVerifyPumpingOptions {
  /** Trailing digits dropped to get the range (`3`: 79255070602 is in 79255070xxx). Default 3. */
  rangeDigits?: number;
  /** Starts to one range within `windowMs` that block it (the one that reaches it is refused). Default 10. */
  maxStarts?: number;
  /** Default 600 000 (10 min). */
  windowMs?: number;
  /** How long a range stays blocked. Default 3 600 000 (1 h). */
  blockMs?: number;
}

/** The daily spending cap across the application. */
export interface SmsVerifySpendOptions {
  /** RUB spent on codes per day (UTC) after which `start` refuses with `SPEND_LIMIT`. Default 1000. */
  perDayRub?: number;
  /** Price of one SMS when the provider reports none. Default 5 RUB. */
  pricePerSegmentRub?: number;
}

/** A server-side captcha check before every `start`. */
export interface SmsVerifyCaptchaOptions {
  /** `yandexSmartCaptcha(...)`, `hCaptcha(...)`, `reCaptcha(...)` or one's own. */
  verifier: SmsCaptchaVerifier;
}

/** Options of `SmsVerifyModule`. */
export interface SmsVerifyModuleOptions {
  /** Key of the HMAC under which codes are stored (at least 32 characters). Required. */
  secret: string;
  /** Digits of a code, 4–10. Default 6. */
  codeLength?: number;
  /** How long a code is good. Default 300 000 (5 min). */
  ttlMs?: number;
  /** Checks of one verification before it is `max_attempts`. Default 5. */
  maxAttempts?: number;
  /** Cooldown after the first code to a number; `start` within it returns the pending verification. Default 60 000. */
  resendCooldownMs?: number;
  /** Each further code to the number within an hour multiplies the cooldown by this. Default 2. */
  resendCooldownGrowth?: number;
  /** The longest cooldown. Default 900 000 (15 min). */
  maxResendCooldownMs?: number;
  limits?: SmsVerifyLimits;
  /** Countries codes are sent to (ISO 3166-1 alpha-2). Default: `SmsModule`'s `defaultCountry` only. */
  countries?: CountryCode[];
  /** Only numbers that libphonenumber's full metadata types as mobile. Default `true`. */
  mobileOnly?: boolean;
  /** Pumping detection; `false` switches it off. */
  pumping?: SmsVerifyPumpingOptions | false;
  /** Daily spending cap; `false` switches it off. */
  spend?: SmsVerifySpendOptions | false;
  /** A captcha check before every start. Default: none. */
  captcha?: SmsVerifyCaptchaOptions;
  message?: SmsVerifyMessageOptions;
  /** Where verifications and counters live. Default: in this process (`MemoryVerifyStore`). */
  store?: SmsVerifyStore;
  /** The clock, in ms since the epoch. Default `Date.now`. */
  clock?: () => number;
}
