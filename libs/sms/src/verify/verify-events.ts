import { type SmsErrorCode } from '../errors/sms-error-code';

interface VerifyEventBase {
  at: Date;
  /** The number, masked (`7925***0602`). */
  to?: string;
  /** The verification, when there is one. */
  id?: string;
}

/** A code went out. */
export interface SmsVerifyStartedEvent extends VerifyEventBase {
  type: 'started';
  provider: string;
  messageId?: string;
  /** Until then a new start for the number returns this verification. */
  resendAfter: Date;
}

/** A start within the cooldown returned the pending verification; nothing was sent. */
export interface SmsVerifyReusedEvent extends VerifyEventBase {
  type: 'reused';
}

/** A start refused before any request. */
export interface SmsVerifyRefusedEvent extends VerifyEventBase {
  type: 'refused';
  code: SmsErrorCode;
  /** `captcha`, `country`, `mobile_only`, `cooldown`, `limit`, `range_blocked`, `pumping`, `spend_limit`. */
  reason: string;
  /** The limit that refused (`number-hour`, `ip-day`, …). */
  limit?: string;
  retryAfterSeconds?: number;
}

/** Pumping detected: the range is blocked. */
export interface SmsVerifyRangeBlockedEvent extends VerifyEventBase {
  type: 'range-blocked';
  /** The leading digits of the range (`79255070`). */
  range: string;
  until: Date;
}

/** The send of a code failed; `outcome: unknown` keeps the verification (the code may arrive). */
export interface SmsVerifySendFailedEvent extends VerifyEventBase {
  type: 'send-failed';
  code: SmsErrorCode;
  outcome: 'not_sent' | 'unknown';
}

/** A check and what it found. */
export interface SmsVerifyCheckedEvent extends VerifyEventBase {
  type: 'checked';
  status: 'approved' | 'pending' | 'expired' | 'max_attempts' | 'not_found';
  attemptsLeft: number;
}

/** A verification cancelled. */
export interface SmsVerifyCancelledEvent extends VerifyEventBase {
  type: 'cancelled';
}

/** Everything `SmsVerifyService.events$` emits. None carries a code. */
export type SmsVerifyEvent =
  | SmsVerifyStartedEvent
  | SmsVerifyReusedEvent
  | SmsVerifyRefusedEvent
  | SmsVerifyRangeBlockedEvent
  | SmsVerifySendFailedEvent
  | SmsVerifyCheckedEvent
  | SmsVerifyCancelledEvent;
