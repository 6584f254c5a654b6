import { type SmsVerifyLocale } from './verify-options.interface';

/** What `SmsVerifyService.start` takes. */
export interface SmsVerifyStartInput {
  /** The number, in any common notation. */
  to: string;
  /** The end user's public IP address: per-IP limits, and passed to the provider and the captcha. */
  clientIp?: string;
  /** The token the captcha widget gave the browser (required when `captcha` is configured). */
  captchaToken?: string;
  /** Language of the message. Default the module's `message.locale`. */
  locale?: SmsVerifyLocale;
  /** The configured SMS provider to use. Default `SmsModule`'s `defaultProvider` (with its failover). */
  provider?: string;
}

/** A verification as `start` returns it; the code is never part of it. */
export interface SmsVerification {
  id: string;
  /** The number, digits only, country code first. */
  to: string;
  status: 'pending';
  expiresAt: Date;
  /** Until then `start` for this number returns this verification and sends nothing. */
  resendAfter: Date;
  /** The provider that took the code (absent while the first start's send is still under way elsewhere). */
  provider?: string;
  messageId?: string;
}

/** What `check` takes: the verification by id, or the number's current one. */
export type SmsVerifyCheckInput = ({ id: string; to?: undefined } | { to: string; id?: undefined }) & {
  code: string;
};

/** The states a check reports. */
export type SmsVerifyStatus = 'approved' | 'pending' | 'expired' | 'max_attempts' | 'not_found';

/** What `check` returns. */
export interface SmsVerifyCheckResult {
  /**
   * `approved`: the code was right (good once); `pending`: wrong code, attempts left; `expired`;
   * `max_attempts`: no attempts left; `not_found`: no such verification, or already approved or cancelled.
   */
  status: SmsVerifyStatus;
  attemptsLeft: number;
}
