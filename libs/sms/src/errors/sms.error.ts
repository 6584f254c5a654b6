import { type SendAttempt } from '../interfaces/results.interface';
import { type SmsErrorCode, type SmsFailureClass, type SmsOutcome } from './sms-error-code';

/** Data that an `SmsError` carries besides its message. */
export interface SmsErrorInit {
  code: SmsErrorCode;
  /** Name of the configured provider the error came from. */
  provider?: string;
  /** The provider's own error code. */
  providerCode?: string | number;
  /** The provider's own error text, kept apart from the English message. */
  providerMessage?: string;
  /**
   * The failure class; it decides `retryable` and `outcome`. When left out it is derived from
   * `outcome` and `retryable` (unknown → `unknown`, retryable → `unavailable`) or else from `code`.
   */
  failure?: SmsFailureClass;
  /** Whether trying again later (or on another provider) can succeed. Default `false`. */
  retryable?: boolean;
  /** Default `not_sent`. */
  outcome?: SmsOutcome;
  /** HTTP status of the provider's answer, when there was one. */
  httpStatus?: number;
  /** When the caller may try again (RATE_LIMITED, or a provider's `Retry-After`). */
  retryAfterSeconds?: number;
  /** Every provider tried before the error (with failover). */
  attempts?: SendAttempt[];
}

/**
 * The base of every error the library throws.
 *
 * It carries data, not just text: `code` (one vocabulary for every provider), `outcome`
 * (`unknown` means the message may have gone out: reconcile, do not resend) and `retryable`.
 * It never carries a credential, a request body or a request config, whatever way it is printed.
 *
 * @example
 * try {
 *   await sms.send({ to, text });
 * } catch (e) {
 *   if (e instanceof SmsError && e.outcome === 'unknown') await reconcileLater(e);
 * }
 */
export class SmsError extends Error {
  readonly code: SmsErrorCode;
  readonly provider?: string;
  readonly providerCode?: string | number;
  readonly providerMessage?: string;
  /** What kind of failure this is: decides retry and failover (see `SmsFailureClass`). */
  readonly failure: SmsFailureClass;
  readonly retryable: boolean;
  readonly outcome: SmsOutcome;
  readonly httpStatus?: number;
  readonly retryAfterSeconds?: number;
  /** Every provider tried before the error (with failover). */
  attempts?: SendAttempt[];

  constructor(message: string, init: SmsErrorInit) {
    super(message);
    this.name = new.target.name;
    this.code = init.code;
    this.failure = init.failure ?? failureClassOf(init);
    this.retryable = this.failure === 'unavailable';
    this.outcome = this.failure === 'unknown' ? 'unknown' : 'not_sent';
    if (init.provider !== undefined) this.provider = init.provider;
    if (init.providerCode !== undefined) this.providerCode = init.providerCode;
    if (init.providerMessage !== undefined) this.providerMessage = init.providerMessage;
    if (init.httpStatus !== undefined) this.httpStatus = init.httpStatus;
    if (init.retryAfterSeconds !== undefined) this.retryAfterSeconds = init.retryAfterSeconds;
    if (init.attempts !== undefined) this.attempts = init.attempts;
  }

  /** A plain object for logs and HTTP bodies: the same fields, nothing else. */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = { name: this.name, message: this.message };
    for (const key of Object.keys(this)) json[key] = (this as unknown as Record<string, unknown>)[key];
    return json;
  }
}

/** Codes whose failure says this account cannot send now, while another provider may. */
const ACCOUNT_CODES: ReadonlySet<SmsErrorCode> = new Set<SmsErrorCode>([
  'AUTH',
  'INSUFFICIENT_FUNDS',
  'SENDER_NOT_ALLOWED',
  'UNSUPPORTED',
]);

/**
 * The failure class of an error (or a per-recipient error) that does not name one: unknown outcome →
 * `unknown`, retryable or `UNAVAILABLE` → `unavailable`, `NO_ROUTE` → `no_route`, account-level codes → `account`,
 * anything else → `refused` (the class that never moves a message on).
 */
export function failureClassOf(init: {
  code: SmsErrorCode;
  outcome?: SmsOutcome;
  retryable?: boolean;
  failure?: SmsFailureClass;
}): SmsFailureClass {
  if (init.failure) return init.failure;
  if (init.outcome === 'unknown') return 'unknown';
  if (init.retryable || init.code === 'UNAVAILABLE') return 'unavailable';
  if (init.code === 'NO_ROUTE') return 'no_route';
  return ACCOUNT_CODES.has(init.code) ? 'account' : 'refused';
}
