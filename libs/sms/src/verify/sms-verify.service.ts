import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { type Observable, Subject } from 'rxjs';
import { SMS_ERROR_MESSAGES, SmsError, SmsValidationError } from '../errors';
import { maskPhone } from '../message/phone';
import { SmsService } from '../sms.service';
import { type SmsCaptchaVerifier } from './captcha';
import { SMS_VERIFY_LOGGER_CONTEXT, SMS_VERIFY_OPTIONS } from './sms-verify.constants';
import {
  type SmsVerification,
  type SmsVerifyCheckInput,
  type SmsVerifyCheckResult,
  type SmsVerifyStartInput,
} from './sms-verify.interfaces';
import { generateCode, hashCode, sameHash } from './verify-code';
import { type SmsVerifyEvent } from './verify-events';
import { parseNumber, validateCheck, validateStart } from './verify-input';
import { VerifyMessage } from './verify-message';
import { type ResolvedVerifyOptions, resolveVerifyOptions } from './verify-options';
import { type SmsVerifyModuleOptions } from './verify-options.interface';
import { startRequest, viewOf } from './verify-records';
import { MemoryVerifyStore } from './memory-verify.store';
import {
  type SmsVerifyStore,
  type VerificationRecord,
  type VerifyStartDecision,
} from './verify-store.interface';
import { countVerifyOutcome } from '../telemetry/verify';

/** `Omit` applied to each member of a union. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Why a refusal happened, as events and errors name it. */
const REFUSAL_TEXT: Readonly<Record<string, string>> = {
  cooldown: 'A code was sent to this number moments ago',
  limit: 'Too many codes',
  range_blocked: 'Codes to this number range are paused',
  pumping: 'Too many codes to numbers of this range; the range is paused',
};

/**
 * One-time codes by SMS: `start` sends a code through `SmsService`, `check` approves it, with the
 * abuse protections of the options applied before anything goes out. The code exists in clear only
 * in the message text handed to `SmsService.send`; the store keeps an HMAC of it, and no log line,
 * event or error carries it.
 *
 * @example
 * const { id } = await verify.start({ to: '+7 925 507-06-02', clientIp: req.ip });
 * const { status } = await verify.check({ id, code: body.code });
 * if (status === 'approved') await signIn();
 */
@Injectable()
export class SmsVerifyService {
  private readonly logger = new Logger(SMS_VERIFY_LOGGER_CONTEXT);
  private readonly options: ResolvedVerifyOptions;
  private readonly store: SmsVerifyStore;
  private readonly captcha?: SmsCaptchaVerifier;
  private readonly message: VerifyMessage;
  private readonly clock: () => number;
  private readonly events = new Subject<SmsVerifyEvent>();
  /** Sends under way in this instance, so that a concurrent start of the same number gets their result. */
  private readonly sending = new Map<string, Promise<SmsVerification>>();

  constructor(
    @Inject(SMS_VERIFY_OPTIONS) raw: SmsVerifyModuleOptions,
    private readonly sms: SmsService,
  ) {
    this.options = resolveVerifyOptions(raw, sms.defaultCountry);
    this.store = raw.store ?? new MemoryVerifyStore();
    this.captcha = raw.captcha?.verifier;
    this.clock = raw.clock ?? Date.now;
    this.message = new VerifyMessage(
      raw.message ?? {},
      Math.ceil(this.options.ttlMs / 60_000),
      this.options.codeLength,
    );
  }

  /** `started`, `reused`, `refused`, `range-blocked`, `send-failed`, `checked` and `cancelled` events. */
  get events$(): Observable<SmsVerifyEvent> {
    return this.events.asObservable();
  }

  /**
   * Sends a code to `to`, or, within the number's resend cooldown, returns its pending verification
   * and sends nothing. Refusals (`VALIDATION`, `INVALID_PHONE`, `COUNTRY_NOT_ALLOWED`,
   * `CAPTCHA_FAILED`, `RATE_LIMITED` with `retryAfterSeconds`, `SPEND_LIMIT`) are typed `SmsError`s
   * thrown before any request to a provider. A send error is rethrown as `SmsService` threw it; with
   * `outcome: 'unknown'` the verification stays (the code may arrive and can be checked by number).
   */
  async start(input: SmsVerifyStartInput): Promise<SmsVerification> {
    const { to, clientIp, captchaToken, locale, provider } = validateStart(
      input,
      this.options,
      this.sms.providers,
    );
    const number = this.allowedNumber(to);
    if (this.captcha) await this.checkCaptcha(number, captchaToken, clientIp);
    const now = this.clock();
    const id = randomUUID();
    const code = generateCode(this.options.codeLength);
    const text = this.message.render(locale, code);
    const request = startRequest(
      this.options,
      now,
      id,
      number,
      hashCode(this.options.secret, id, code),
      clientIp,
    );
    const decision = await this.store.start(request);
    if (decision.kind === 'existing') {
      // A send of this instance still under way: its result (or its error) is this call's too.
      const inflight = this.sending.get(decision.record.id);
      const view = inflight ? await inflight : viewOf(decision.record);
      this.emit({ type: 'reused', id: view.id, to: maskPhone(number) });
      return view;
    }
    if (decision.kind === 'refused') throw this.refuse(number, decision, now, request.pumping?.range);
    const sending = this.send(decision.record, text, clientIp, provider, request.spend?.day);
    this.sending.set(id, sending);
    try {
      return await sending;
    } finally {
      this.sending.delete(id);
    }
  }

  /**
   * Checks a code against a verification (by `id`, or the number's current one by `to`). Each check
   * of a pending verification counts one attempt; the code is compared as an HMAC in constant time.
   */
  async check(input: SmsVerifyCheckInput): Promise<SmsVerifyCheckResult> {
    const { ref, code } = validateCheck(input, this.options);
    const decision = await this.store.attempt(ref, this.clock());
    const record = 'record' in decision ? decision.record : undefined;
    let result: SmsVerifyCheckResult;
    if (decision.kind === 'compare') {
      const left = decision.record.maxAttempts - decision.record.attempts;
      if (sameHash(decision.record.codeHash, hashCode(this.options.secret, decision.record.id, code))) {
        const won = await this.store.settle(decision.record.id, 'approved');
        result = won ? { status: 'approved', attemptsLeft: left } : { status: 'not_found', attemptsLeft: 0 };
      } else if (left > 0) {
        result = { status: 'pending', attemptsLeft: left };
      } else {
        await this.store.settle(decision.record.id, 'max_attempts');
        result = { status: 'max_attempts', attemptsLeft: 0 };
      }
    } else {
      result = { status: decision.kind, attemptsLeft: 0 };
    }
    this.emit({
      type: 'checked',
      id: record?.id,
      to: record ? maskPhone(record.to) : undefined,
      ...result,
    });
    return result;
  }

  /** Cancels a pending verification: later checks find nothing and the number's cooldown ends. */
  async cancel(id: string): Promise<boolean> {
    if (typeof id !== 'string' || id.length === 0 || id.length > 100) {
      throw new SmsValidationError([{ field: 'id', message: 'must be a verification id' }]);
    }
    const cancelled = await this.store.settle(id, 'cancelled');
    if (cancelled) this.emit({ type: 'cancelled', id });
    return cancelled;
  }

  /** The number as digits, after the country allow-list and the mobile-only rule. */
  private allowedNumber(to: string): string {
    const parsed = parseNumber(to, this.options.countries);
    const number = parsed.number.slice(1);
    const masked = maskPhone(number);
    if (!parsed.country || !this.options.countries.includes(parsed.country)) {
      throw this.refusal('COUNTRY_NOT_ALLOWED', 'country', masked, {
        message: `${SMS_ERROR_MESSAGES.COUNTRY_NOT_ALLOWED} (${parsed.country ?? 'unknown'}; allowed: ${this.options.countries.join(', ')})`,
      });
    }
    const type = parsed.getType();
    if (this.options.mobileOnly && type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') {
      throw this.refusal('INVALID_PHONE', 'mobile_only', masked, {
        message: `Codes are sent to mobile numbers only; this one is ${type ?? 'of an unknown type'}`,
      });
    }
    return number;
  }

  private async checkCaptcha(number: string, token: string | undefined, clientIp: string | undefined) {
    const verifier = this.captcha!;
    const solved = token === undefined ? false : await verifier.verify(token, { clientIp });
    if (!solved) {
      throw this.refusal('CAPTCHA_FAILED', 'captcha', maskPhone(number), {
        message: `${SMS_ERROR_MESSAGES.CAPTCHA_FAILED} (${verifier.name}${token === undefined ? ': no captchaToken' : ''})`,
      });
    }
  }

  private async send(
    record: VerificationRecord,
    text: string,
    clientIp: string | undefined,
    provider: string | undefined,
    day: string | undefined,
  ): Promise<SmsVerification> {
    const masked = maskPhone(record.to);
    let failure: SmsError;
    try {
      const result = await this.sms.send({ to: record.to, text, clientIp, provider });
      const message = result.messages[0];
      if (message?.accepted) {
        const sentBy = message.provider ?? result.provider;
        const price = message.price ?? result.cost;
        const deltaRub = price === undefined || !day ? 0 : price - record.priceRub;
        await this.store.sent(
          record.id,
          { provider: sentBy, messageId: message.id },
          day ? { day, deltaRub } : undefined,
        );
        const sent = {
          ...record,
          provider: sentBy,
          messageId: message.id,
          priceRub: record.priceRub + deltaRub,
        };
        this.emit({
          type: 'started',
          id: record.id,
          to: masked,
          provider: sentBy,
          messageId: message.id,
          resendAfter: new Date(record.resendAfter),
        });
        this.logger.debug(`code sent to ${masked} via ${sentBy} (verification ${record.id})`);
        return viewOf(sent);
      }
      const error = message?.error;
      failure = new SmsError(error?.message ?? 'The provider did not take the code', {
        code: error?.code ?? 'UNKNOWN',
        provider: message?.provider ?? result.provider,
        providerCode: error?.providerCode,
        providerMessage: error?.providerMessage,
        failure: error?.failure,
        outcome: error?.outcome,
      });
    } catch (e) {
      if (!(e instanceof SmsError)) {
        await this.store.abandon(record.id, day ? { day } : undefined);
        throw e;
      }
      failure = e;
    }
    if (failure.outcome === 'unknown') {
      this.logger.warn(
        `the code to ${masked} may have been sent (${failure.code}); verification ${record.id} kept`,
      );
    } else {
      await this.store.abandon(record.id, day ? { day } : undefined);
    }
    this.emit({
      type: 'send-failed',
      id: record.id,
      to: masked,
      code: failure.code,
      outcome: failure.outcome,
    });
    throw failure;
  }

  private refuse(
    number: string,
    decision: Extract<VerifyStartDecision, { kind: 'refused' }>,
    now: number,
    range: string | undefined,
  ): SmsError {
    const masked = maskPhone(number);
    const retryAfterSeconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    if (decision.reason === 'pumping' && range !== undefined) {
      this.emit({ type: 'range-blocked', to: masked, range, until: new Date(now + decision.retryAfterMs) });
      this.logger.warn(`SMS pumping suspected: codes to ${range}* are paused for ${retryAfterSeconds} s`);
    }
    if (decision.reason === 'spend_limit') {
      return this.refusal('SPEND_LIMIT', 'spend_limit', masked, { retryAfterSeconds });
    }
    const what = decision.limit ? `${REFUSAL_TEXT.limit} (${decision.limit})` : REFUSAL_TEXT[decision.reason];
    return this.refusal('RATE_LIMITED', decision.reason, masked, {
      message: `${what}; try again in ${retryAfterSeconds} s`,
      retryAfterSeconds,
      limit: decision.limit,
    });
  }

  /** A typed refusal, with its event. */
  private refusal(
    code: 'COUNTRY_NOT_ALLOWED' | 'INVALID_PHONE' | 'CAPTCHA_FAILED' | 'RATE_LIMITED' | 'SPEND_LIMIT',
    reason: string,
    masked: string,
    extra: { message?: string; retryAfterSeconds?: number; limit?: string },
  ): SmsError {
    this.emit({
      type: 'refused',
      to: masked,
      code,
      reason,
      ...(extra.limit ? { limit: extra.limit } : {}),
      ...(extra.retryAfterSeconds !== undefined ? { retryAfterSeconds: extra.retryAfterSeconds } : {}),
    });
    this.logger.debug(`start for ${masked} refused: ${reason}${extra.limit ? ` (${extra.limit})` : ''}`);
    return new SmsError(extra.message ?? SMS_ERROR_MESSAGES[code], {
      code,
      failure: 'refused',
      retryAfterSeconds: extra.retryAfterSeconds,
    });
  }

  private emit(event: DistributiveOmit<SmsVerifyEvent, 'at'>): void {
    countVerifyOutcome(event);
    this.events.next({ ...event, at: new Date(this.clock()) } as SmsVerifyEvent);
  }
}
