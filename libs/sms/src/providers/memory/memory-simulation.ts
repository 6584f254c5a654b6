import {
  RECONCILE_HINT,
  SMS_ERROR_MESSAGES,
  SmsError,
  type SmsErrorCode,
  type SmsFailureClass,
  failureClassOf,
} from '../../errors';
import { type SentMessageError } from '../../interfaces';
import { normalizePhone, type SmsCountryCode } from '../../message/phone';

/** An operation of the memory provider that a simulated failure or delay can hit. */
export type MemoryOperation = 'send' | 'status' | 'cost' | 'balance';

const ALL_OPERATIONS: readonly MemoryOperation[] = ['send', 'status', 'cost', 'balance'];

/** Options every simulated failure takes. */
export interface MemoryFailureOptions {
  /** How many calls fail before the provider works again. Default: every call until `reset()`. */
  times?: number;
  /** The operations that fail. Default: sends for `refuse` and `timeout`, every operation for `outage`. */
  on?: MemoryOperation | MemoryOperation[];
}

/** Options of `refuse()`: the provider's answer besides the code. */
export interface MemoryRefusalOptions extends MemoryFailureOptions {
  /** Default: the code's English text from `SMS_ERROR_MESSAGES`. */
  message?: string;
  /** The provider's own code, as a real driver would report it. */
  providerCode?: string | number;
  /** The provider's own text. */
  providerMessage?: string;
  /** Sets `retryAfterSeconds` (a `Retry-After`); useful with `RATE_LIMITED`. */
  retryAfterSeconds?: number;
  /**
   * The failure class, which decides retries and failover. Default the class of `code`, as the
   * library's own errors have it: `UNAVAILABLE` → `unavailable`; `AUTH`, `INSUFFICIENT_FUNDS`,
   * `SENDER_NOT_ALLOWED`, `UNSUPPORTED` → `account`; `NO_ROUTE` → `no_route`; any other code
   * (`RATE_LIMITED`, `LIMIT_EXCEEDED`, `STOP_LIST`, `CONTENT_REJECTED`, …) → `refused`, so a
   * simulated `RATE_LIMITED` is not retryable, like the anti-flood limiter's and a provider's flood
   * protection. `'unavailable'` simulates an HTTP 429 (retried, then failed over); `'unknown'` an
   * answer that leaves the outcome open (the message is then not in the outbox: use `timeout()` for
   * one that reached the provider).
   */
  failure?: SmsFailureClass;
}

/** Options of `timeout()`. */
export interface MemoryTimeoutOptions extends MemoryFailureOptions {
  /**
   * Whether the message reached the provider although the caller got `TIMEOUT`: it is then in the
   * outbox, so a test can show that resending would deliver it twice. Default `true`.
   */
  reached?: boolean;
}

/** Options of `failRecipient()`. */
export interface MemoryRecipientFailureOptions {
  /** How many sends to this number fail. Default: every send until `reset()`. */
  times?: number;
  /** Default: the code's English text. */
  message?: string;
  providerCode?: string | number;
  providerMessage?: string;
  /**
   * The failure class, which decides whether another provider of the failover list may take this
   * number: default the class of `code` (see `MemoryRefusalOptions.failure`), so `STOP_LIST` stays,
   * `NO_ROUTE` moves on only with `failoverOnNoRoute`. `'unknown'` is not a refusal: use `timeout()`.
   */
  failure?: Exclude<SmsFailureClass, 'unknown'>;
}

/** Options of `delay()`. */
export interface MemoryDelayOptions {
  /** The operations that wait. Default every operation. */
  on?: MemoryOperation | MemoryOperation[];
}

interface FailureRule {
  operations: ReadonlySet<MemoryOperation>;
  remaining: number;
  reached: boolean;
  error: () => SmsError;
}

interface RecipientRule {
  remaining: number;
  error: SentMessageError;
}

/** A whole-call failure picked for an operation. */
export interface MemoryFailure {
  error: SmsError;
  /** The message still reaches the outbox (an unknown outcome). */
  reached: boolean;
}

/**
 * The switches of the memory provider that make it misbehave like a real one: a refusal, a
 * per-recipient failure, an outage, an unknown outcome, a delay. Every switch stays on until
 * `reset()` or for `times` calls. Bounded: at most `MAX_RULES` failures and `MAX_RECIPIENTS`
 * failing numbers at once, delays of at most `MAX_DELAY_MS`.
 *
 * @example
 * const memory = sms.driver('dev', MemoryProvider);
 * memory.simulate.outage({ times: 1 });             // the next call: UNAVAILABLE, not sent
 * memory.simulate.failRecipient('+7 925 507-06-02'); // that number: accepted: false, STOP_LIST
 */
export class MemorySimulation {
  /** Whole-call failures queued at most. */
  static readonly MAX_RULES = 100;
  /** Numbers with a recipient failure at most. */
  static readonly MAX_RECIPIENTS = 10_000;
  /** The longest delay. */
  static readonly MAX_DELAY_MS = 60_000;

  private readonly rules: FailureRule[] = [];
  private readonly recipients = new Map<string, RecipientRule>();
  private delays = new Map<MemoryOperation, number>();

  /**
   * @param provider the provider's name, carried by the simulated errors
   * @param defaultCountry country of numbers written without a code in `failRecipient`
   */
  constructor(
    readonly provider: string,
    readonly defaultCountry: SmsCountryCode = 'RU',
  ) {}

  /** Whether any switch is on. */
  get active(): boolean {
    return this.rules.length > 0 || this.recipients.size > 0 || this.delays.size > 0;
  }

  /**
   * The provider refuses the whole call with `code` (outcome `not_sent`, class by `code` unless
   * `failure` says otherwise): `AUTH`, `INSUFFICIENT_FUNDS`, `RATE_LIMITED`, `SENDER_NOT_ALLOWED`, …
   * Sends only, unless `on` says otherwise.
   *
   * @example
   * simulate.refuse('RATE_LIMITED', { retryAfterSeconds: 30, times: 1 }); // refused, not retryable
   * simulate.refuse('RATE_LIMITED', { failure: 'unavailable' });        // an HTTP 429: retried
   */
  refuse(code: SmsErrorCode = 'CONTENT_REJECTED', options: MemoryRefusalOptions = {}): this {
    const message = options.message ?? SMS_ERROR_MESSAGES[code];
    const failure = options.failure ?? failureClassOf({ code });
    const hint = failure === 'unknown' ? ` ${RECONCILE_HINT}` : '';
    return this.addRule(options, ['send'], false, () => {
      return new SmsError(`${this.provider}: ${message}${hint}`, {
        code,
        failure,
        provider: this.provider,
        providerCode: options.providerCode,
        providerMessage: options.providerMessage,
        retryAfterSeconds: options.retryAfterSeconds,
      });
    });
  }

  /**
   * The provider is down: every operation (unless `on` says otherwise) fails with `UNAVAILABLE`,
   * class `unavailable` (outcome `not_sent`, retryable) — what a refused connection or an HTTP 503
   * gives. Failover moves on.
   */
  outage(options: MemoryFailureOptions = {}): this {
    return this.addRule(options, ALL_OPERATIONS, false, () => {
      return new SmsError(`${this.provider}: ${SMS_ERROR_MESSAGES.UNAVAILABLE}`, {
        code: 'UNAVAILABLE',
        failure: 'unavailable',
        provider: this.provider,
      });
    });
  }

  /**
   * Sends end in `TIMEOUT`, class `unknown` (outcome `unknown`, not retryable, no failover): the
   * provider may have taken the message (by default it did, see `reached`), so the caller must
   * reconcile, not resend — what a timeout or a reset after the request was written gives.
   */
  timeout(options: MemoryTimeoutOptions = {}): this {
    return this.addRule(options, ['send'], options.reached ?? true, () => {
      return new SmsError(`${this.provider}: ${SMS_ERROR_MESSAGES.TIMEOUT}. ${RECONCILE_HINT}`, {
        code: 'TIMEOUT',
        failure: 'unknown',
        provider: this.provider,
      });
    });
  }

  /**
   * Sends to one number come back `accepted: false`, status `rejected`, with `code` (default
   * `STOP_LIST`) and its class (`failure`); the other recipients of the same send go through. The
   * number may be written in any notation.
   */
  failRecipient(
    phone: string,
    code: SmsErrorCode = 'STOP_LIST',
    options: MemoryRecipientFailureOptions = {},
  ): this {
    const to = normalizePhone(phone, this.defaultCountry);
    if (to === undefined) throw new TypeError(`failRecipient: "${phone}" is not a valid phone number`);
    if (!this.recipients.has(to) && this.recipients.size >= MemorySimulation.MAX_RECIPIENTS) {
      throw new RangeError(
        `failRecipient: at most ${MemorySimulation.MAX_RECIPIENTS} numbers can fail at once`,
      );
    }
    const error: SentMessageError = {
      code,
      message: options.message ?? SMS_ERROR_MESSAGES[code],
      outcome: 'not_sent',
      failure: options.failure ?? failureClassOf({ code }),
    };
    if (options.providerCode !== undefined) error.providerCode = options.providerCode;
    if (options.providerMessage !== undefined) error.providerMessage = options.providerMessage;
    this.recipients.set(to, { remaining: checkTimes(options.times), error });
    return this;
  }

  /**
   * Every operation (or those in `on`) waits `ms` before it answers; `0` switches the delay off.
   * A call whose deadline passes while it waits ends in `TIMEOUT` and reaches nothing.
   */
  delay(ms: number, options: MemoryDelayOptions = {}): this {
    if (!Number.isFinite(ms) || ms < 0 || ms > MemorySimulation.MAX_DELAY_MS) {
      throw new RangeError(`delay: must be 0 to ${MemorySimulation.MAX_DELAY_MS} ms`);
    }
    for (const operation of operationsOf(options.on, ALL_OPERATIONS)) {
      if (ms === 0) this.delays.delete(operation);
      else this.delays.set(operation, ms);
    }
    return this;
  }

  /** Switches everything off. */
  reset(): this {
    this.rules.length = 0;
    this.recipients.clear();
    this.delays = new Map();
    return this;
  }

  /** How long an operation waits (internal: used by the provider). */
  delayOf(operation: MemoryOperation): number {
    return this.delays.get(operation) ?? 0;
  }

  /** The failure this call of `operation` meets, counting it down (internal). */
  takeFailure(operation: MemoryOperation): MemoryFailure | undefined {
    const index = this.rules.findIndex((r) => r.operations.has(operation));
    if (index < 0) return undefined;
    const rule = this.rules[index];
    if (--rule.remaining <= 0) this.rules.splice(index, 1);
    return { error: rule.error(), reached: rule.reached };
  }

  /** The refusal of one recipient of a send, counting it down (internal). */
  takeRecipientFailure(to: string): SentMessageError | undefined {
    const rule = this.recipients.get(to);
    if (!rule) return undefined;
    if (--rule.remaining <= 0) this.recipients.delete(to);
    return { ...rule.error };
  }

  private addRule(
    options: MemoryFailureOptions,
    defaults: readonly MemoryOperation[],
    reached: boolean,
    error: () => SmsError,
  ): this {
    if (this.rules.length >= MemorySimulation.MAX_RULES) {
      throw new RangeError(`at most ${MemorySimulation.MAX_RULES} simulated failures can be queued`);
    }
    const operations = new Set(operationsOf(options.on, defaults));
    this.rules.push({ operations, remaining: checkTimes(options.times), reached, error });
    return this;
  }
}

function checkTimes(times: number | undefined): number {
  if (times === undefined) return Infinity;
  if (!Number.isInteger(times) || times < 1) throw new RangeError('times: must be a positive whole number');
  return times;
}

function operationsOf(
  on: MemoryOperation | MemoryOperation[] | undefined,
  defaults: readonly MemoryOperation[],
): readonly MemoryOperation[] {
  const list = on === undefined ? defaults : Array.isArray(on) ? on : [on];
  for (const operation of list) {
    if (!ALL_OPERATIONS.includes(operation)) {
      throw new TypeError(`on: "${operation}" is not one of ${ALL_OPERATIONS.join(', ')}`);
    }
  }
  return list;
}
