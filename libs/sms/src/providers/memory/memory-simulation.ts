import { RECONCILE_HINT, SMS_ERROR_MESSAGES, SmsError, type SmsErrorCode } from '../../errors';
import { type SentMessageError } from '../../interfaces';
import { normalizePhone, type SmsCountryCode } from '../../message/phone';

/** An operation of the memory provider that a simulated failure or delay can hit. */
export type MemoryOperation = 'send' | 'status' | 'cost' | 'balance';

const ALL_OPERATIONS: readonly MemoryOperation[] = ['send', 'status', 'cost', 'balance'];
const RETRYABLE_CODES: ReadonlySet<SmsErrorCode> = new Set<SmsErrorCode>(['RATE_LIMITED', 'UNAVAILABLE']);

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
  /** Default `true` for `RATE_LIMITED` and `UNAVAILABLE`, otherwise `false`. */
  retryable?: boolean;
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
   * The provider refuses the whole call with `code` (outcome `not_sent`): `AUTH`,
   * `INSUFFICIENT_FUNDS`, `RATE_LIMITED`, `SENDER_NOT_ALLOWED`, … Sends only, unless `on` says otherwise.
   *
   * @example
   * simulate.refuse('RATE_LIMITED', { retryAfterSeconds: 30, times: 1 });
   */
  refuse(code: SmsErrorCode = 'CONTENT_REJECTED', options: MemoryRefusalOptions = {}): this {
    const message = options.message ?? SMS_ERROR_MESSAGES[code];
    return this.addRule(options, ['send'], false, () => {
      return new SmsError(`${this.provider}: ${message}`, {
        code,
        provider: this.provider,
        providerCode: options.providerCode,
        providerMessage: options.providerMessage,
        retryable: options.retryable ?? RETRYABLE_CODES.has(code),
        retryAfterSeconds: options.retryAfterSeconds,
      });
    });
  }

  /**
   * The provider is down: every operation (unless `on` says otherwise) fails with `UNAVAILABLE`,
   * outcome `not_sent`, retryable — what a refused connection or an HTTP 503 gives.
   */
  outage(options: MemoryFailureOptions = {}): this {
    return this.addRule(options, ALL_OPERATIONS, false, () => {
      return new SmsError(`${this.provider}: ${SMS_ERROR_MESSAGES.UNAVAILABLE}`, {
        code: 'UNAVAILABLE',
        provider: this.provider,
        retryable: true,
      });
    });
  }

  /**
   * Sends end in `TIMEOUT` with outcome `unknown`: the provider may have taken the message (by
   * default it did, see `reached`), so the caller must reconcile, not resend.
   */
  timeout(options: MemoryTimeoutOptions = {}): this {
    return this.addRule(options, ['send'], options.reached ?? true, () => {
      return new SmsError(`${this.provider}: ${SMS_ERROR_MESSAGES.TIMEOUT}. ${RECONCILE_HINT}`, {
        code: 'TIMEOUT',
        provider: this.provider,
        outcome: 'unknown',
      });
    });
  }

  /**
   * Sends to one number come back `accepted: false`, status `rejected`, with `code` (default
   * `STOP_LIST`); the other recipients of the same send go through. The number may be written in
   * any notation.
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
