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
  | 'UNKNOWN';

/**
 * - `not_sent`: the provider provably did not take the message; it may be sent again.
 * - `unknown`: the request may have reached the provider; reconcile with `getStatus` or a delivery
 *   report, never resend.
 */
export type SmsOutcome = 'not_sent' | 'unknown';
