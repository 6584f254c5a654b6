import { type SmsErrorCode } from './sms-error-code';

/** The English description of each error code; drivers add the provider's own text beside it. */
export const SMS_ERROR_MESSAGES: Readonly<Record<SmsErrorCode, string>> = {
  VALIDATION: 'The request is invalid',
  AUTH: 'The provider did not accept the credentials',
  INSUFFICIENT_FUNDS: 'The account balance is too low',
  INVALID_PHONE: 'The phone number is invalid',
  NO_ROUTE: 'The provider has no route to this number',
  TEXT_TOO_LONG: 'The text is longer than the provider allows',
  SENDER_NOT_ALLOWED: 'The sender name is not allowed for this account',
  STOP_LIST: 'The number is on a stop list',
  CONTENT_REJECTED: 'The provider refused the text',
  LIMIT_EXCEEDED: 'A sending limit of the account or the number is exceeded',
  RATE_LIMITED: 'Too many requests; try again later',
  UNAVAILABLE: 'The provider is temporarily unavailable; the message was not sent',
  TIMEOUT: 'The provider did not answer in time; the message may have been sent',
  BAD_RESPONSE: 'The provider answered with something that is not its API response',
  UNSUPPORTED: 'The provider does not support this operation',
  CAPTCHA_FAILED: 'The captcha was not solved',
  COUNTRY_NOT_ALLOWED: 'Codes are not sent to numbers of this country or of this type',
  SPEND_LIMIT: 'The daily spending limit of verification codes is reached',
  UNKNOWN: 'The provider reported an unknown error',
};

/** Appended to every error whose outcome is `unknown`. */
export const RECONCILE_HINT =
  'The message may have reached the provider: reconcile with getStatus or a delivery report, do not resend';
