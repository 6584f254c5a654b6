import { inspect, type InspectOptionsStylized } from 'node:util';
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

  /**
   * Always `undefined`: an `SmsError` never holds the error it replaces (an HTTP client's error holds the
   * request config, its body and the credentials). Setting it does nothing.
   */
  override get cause(): undefined {
    return undefined;
  }

  override set cause(_value: unknown) {
    // Dropped on purpose: see the getter.
  }

  /** A plain object for logs and HTTP bodies: the same fields, nothing else (no stack, no `cause`). */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = { name: this.name, message: this.message };
    for (const key of Object.keys(this))
      if (!HIDDEN_KEYS.has(key)) json[key] = (this as unknown as Record<string, unknown>)[key];
    return json;
  }

  /** How `util.inspect` (and `console.log`) prints it: the stack, then the fields of `toJSON`, nothing else. */
  [inspect.custom](_depth: number, options: InspectOptionsStylized): string {
    const { name: _name, message: _message, ...fields } = this.toJSON();
    const head = this.stack ?? `${this.name}: ${this.message}`;
    return Object.keys(fields).length === 0 ? head : `${head} ${inspect(fields, options)}`;
  }
}

/** Own properties that never leave an error through `toJSON` or `util.inspect`. */
const HIDDEN_KEYS: ReadonlySet<string> = new Set(['stack', 'cause']);

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
