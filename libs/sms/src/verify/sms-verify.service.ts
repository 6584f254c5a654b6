import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { type Observable, Subject } from 'rxjs';
import { SMS_ERROR_MESSAGES, SmsError, SmsValidationError } from '../errors';
import { checkClientIp } from '../message/client-ip';
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
import { VerifyMessage } from './verify-message';
import { type ResolvedVerifyOptions, SMS_VERIFY_DEFAULTS, resolveVerifyOptions } from './verify-options';
import { type SmsVerifyLocale, type SmsVerifyModuleOptions } from './verify-options.interface';
import { MemoryVerifyStore } from './memory-verify.store';
import {
  type SmsVerifyStore,
  type VerificationRecord,
  type VerifyStartDecision,
  type VerifyStartRequest,
  type VerifyWindowLimit,
} from './verify-store.interface';

/** `Omit` applied to each member of a union. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const MAX_TOKEN_LENGTH = 8192;

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
    const { to, clientIp, captchaToken, locale, provider } = this.validateStart(input);
    const number = this.allowedNumber(to);
    if (this.captcha) await this.checkCaptcha(number, captchaToken, clientIp);
    const now = this.clock();
    const id = randomUUID();
    const code = generateCode(this.options.codeLength);
    const text = this.message.render(locale, code);
    const request = this.startRequest(now, id, number, hashCode(this.options.secret, id, code), clientIp);
    const decision = await this.store.start(request);
    if (decision.kind === 'existing') {
      // A send of this instance still under way: its result (or its error) is this call's too.
      const inflight = this.sending.get(decision.record.id);
      const view = inflight ? await inflight : this.view(decision.record);
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
    const { ref, code } = this.validateCheck(input);
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

  private validateStart(input: SmsVerifyStartInput) {
    const problems: Array<{ field: string; message: string }> = [];
    const { to, clientIp, captchaToken, locale, provider } = input ?? ({} as SmsVerifyStartInput);
    if (typeof to !== 'string' || to.trim() === '' || to.length > 64) {
      problems.push({ field: 'to', message: 'must be a phone number' });
    }
    // The check SmsService.send makes, here before the captcha and the counters see the address.
    const ip = clientIp === undefined ? undefined : checkClientIp(clientIp);
    if (ip && !ip.ok) problems.push({ field: 'clientIp', message: ip.problem });
    if (
      captchaToken !== undefined &&
      (typeof captchaToken !== 'string' ||
        captchaToken.length === 0 ||
        captchaToken.length > MAX_TOKEN_LENGTH)
    ) {
      problems.push({
        field: 'captchaToken',
        message: `must be a token of at most ${MAX_TOKEN_LENGTH} characters`,
      });
    }
    if (locale !== undefined && locale !== 'ru' && locale !== 'en') {
      problems.push({ field: 'locale', message: 'must be "ru" or "en"' });
    }
    if (provider !== undefined && !this.sms.providers.includes(provider)) {
      problems.push({ field: 'provider', message: 'must name a configured provider' });
    }
    if (problems.length > 0) throw new SmsValidationError(problems);
    return {
      to,
      clientIp: ip?.ok ? ip.address : undefined,
      captchaToken,
      provider,
      locale: (locale ?? this.options.locale) as SmsVerifyLocale,
    };
  }

  private validateCheck(input: SmsVerifyCheckInput) {
    const { id, to, code } = input ?? ({} as SmsVerifyCheckInput);
    const problems: Array<{ field: string; message: string }> = [];
    const digits = this.options.codeLength;
    if (typeof code !== 'string' || code.length !== digits || !/^\d+$/.test(code)) {
      problems.push({ field: 'code', message: `must be ${digits} digits` });
    }
    let ref: { id: string } | { to: string } | undefined;
    if (typeof id === 'string' && id.length > 0 && id.length <= 100 && to === undefined) ref = { id };
    else if (typeof to === 'string' && id === undefined) {
      ref = { to: this.parse(to).number.slice(1) };
    } else problems.push({ field: 'id', message: 'give the verification id or the number (to), not both' });
    if (problems.length > 0 || !ref) throw new SmsValidationError(problems);
    return { ref, code };
  }

  /** The number parsed with the full metadata; digits only with the country code are taken too. */
  private parse(to: string) {
    const text = to.length <= 64 ? to.trim() : '';
    let parsed = parsePhoneNumberFromString(text, {
      defaultCountry: this.options.countries[0],
      extract: false,
    });
    if (!parsed?.isValid() && /^\d{10,15}$/.test(text)) {
      parsed = parsePhoneNumberFromString(`+${text}`, { extract: false });
    }
    if (!parsed?.isValid() || parsed.ext) {
      throw new SmsValidationError([{ field: 'to', message: 'must be a valid phone number' }]);
    }
    return parsed;
  }

  /** The number as digits, after the country allow-list and the mobile-only rule. */
  private allowedNumber(to: string): string {
    const parsed = this.parse(to);
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

  private startRequest(
    now: number,
    id: string,
    number: string,
    codeHash: string,
    clientIp: string | undefined,
  ): VerifyStartRequest {
    const { limits, pumping, spend } = this.options;
    const windows: VerifyWindowLimit[] = [
      { name: 'number-hour', key: `n:h:${number}`, max: limits.perNumberPerHour, windowMs: HOUR_MS },
      { name: 'number-day', key: `n:d:${number}`, max: limits.perNumberPerDay, windowMs: DAY_MS },
    ];
    if (clientIp !== undefined) {
      windows.push(
        { name: 'ip-hour', key: `ip:h:${clientIp}`, max: limits.perIpPerHour, windowMs: HOUR_MS },
        { name: 'ip-day', key: `ip:d:${clientIp}`, max: limits.perIpPerDay, windowMs: DAY_MS },
      );
    }
    const record: VerificationRecord = {
      id,
      to: number,
      codeHash,
      state: 'pending',
      attempts: 0,
      maxAttempts: this.options.maxAttempts,
      createdAt: now,
      expiresAt: now + this.options.ttlMs,
      resendAfter: now,
      priceRub: spend ? spend.pricePerSegmentRub : 0,
    };
    const dayStart = Math.floor(now / DAY_MS) * DAY_MS;
    return {
      now,
      record,
      limits: windows,
      cooldown: {
        key: `n:h:${number}`,
        windowMs: HOUR_MS,
        baseMs: this.options.resendCooldownMs,
        growth: this.options.resendCooldownGrowth,
        maxMs: this.options.maxResendCooldownMs,
      },
      pumping: pumping
        ? {
            range: number.slice(0, Math.max(1, number.length - pumping.rangeDigits)),
            maxStarts: pumping.maxStarts,
            windowMs: pumping.windowMs,
            blockMs: pumping.blockMs,
          }
        : undefined,
      spend: spend
        ? {
            day: new Date(dayStart).toISOString().slice(0, 10),
            capRub: spend.perDayRub,
            resetInMs: dayStart + DAY_MS - now,
          }
        : undefined,
      retainMs: SMS_VERIFY_DEFAULTS.retainMs,
    };
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
        return this.view(sent);
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

  private view(record: VerificationRecord): SmsVerification {
    const view: SmsVerification = {
      id: record.id,
      to: record.to,
      status: 'pending',
      expiresAt: new Date(record.expiresAt),
      resendAfter: new Date(record.resendAfter),
    };
    if (record.provider !== undefined) view.provider = record.provider;
    if (record.messageId !== undefined) view.messageId = record.messageId;
    return view;
  }

  private emit(event: DistributiveOmit<SmsVerifyEvent, 'at'>): void {
    this.events.next({ ...event, at: new Date(this.clock()) } as SmsVerifyEvent);
  }
}
