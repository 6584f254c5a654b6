/** Every error code the library uses, the same for every provider. */
export type SmsErrorCode =
  | 'VALIDATION'
  | 'AUTH'
  | 'INSUFFICIENT_FUNDS'
  | 'INVALID_PHONE'
  | 'NO_ROUTE'
  | 'TEXT_TOO_LONG'
  | 'SENDER_NOT_ALLOWED'
  | 'STOP_LIST'
  | 'CONTENT_REJECTED'
  | 'LIMIT_EXCEEDED'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'TIMEOUT'
  | 'BAD_RESPONSE'
  | 'UNSUPPORTED'
  | 'CAPTCHA_FAILED'
  | 'COUNTRY_NOT_ALLOWED'
  | 'SPEND_LIMIT'
  | 'UNKNOWN';

/**
 * - `not_sent`: the provider provably did not take the message; it may be sent again.
 * - `unknown`: the request may have reached the provider; reconcile with `getStatus` or a delivery
 *   report, never resend.
 */
export type SmsOutcome = 'not_sent' | 'unknown';

/**
 * What kind of failure an error is; the class alone decides what happens next
 * (see docs/reliability.md, "The outcome table").
 *
 * | class | same-provider retry | failover | outcome |
 * | --- | --- | --- | --- |
 * | `unavailable`: the provider cannot take requests now, provably not sent | yes | yes | `not_sent` |
 * | `account`: this account cannot send (auth, funds, sender, key blocked, IP restriction) | no | yes | `not_sent` |
 * | `refused`: refused on purpose for this message or number (stop list, duplicate or flood protection, anti-fraud, spam, invalid input) | no | **no** | `not_sent` |
 * | `no_route`: this provider has no route to the number | no | only with `failoverOnNoRoute` | `not_sent` |
 * | `unknown`: the request may have reached the provider (written, then no usable answer) | **no** | **no** | `unknown` |
 */
export type SmsFailureClass = 'unavailable' | 'account' | 'refused' | 'no_route' | 'unknown';
