import { type SendAttempt } from '../interfaces/results.interface';
import { type SmsErrorCode, type SmsOutcome } from './sms-error-code';

/** Data that an `SmsError` carries besides its message. */
export interface SmsErrorInit {
  code: SmsErrorCode;
  /** Name of the configured provider the error came from. */
  provider?: string;
  /** The provider's own error code. */
  providerCode?: string | number;
  /** The provider's own error text, kept apart from the English message. */
  providerMessage?: string;
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
    this.retryable = init.retryable ?? false;
    this.outcome = init.outcome ?? 'not_sent';
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
