import { type SmsErrorCode, type SmsOutcome } from '../errors/sms-error-code';

interface SmsEventBase {
  /** The provider the event concerns. */
  provider: string;
  at: Date;
}

/** A send that a provider answered (some recipients may still be refused). */
export interface SmsSentEvent extends SmsEventBase {
  type: 'sent';
  recipients: number;
  accepted: number;
  segments: number;
  durationMs: number;
}

/** A send attempt on one provider that ended in an error. */
export interface SmsFailedEvent extends SmsEventBase {
  type: 'failed';
  code: SmsErrorCode;
  outcome: SmsOutcome;
  recipients: number;
  durationMs: number;
}

/** A request repeated after a failure that provably did not reach the provider. */
export interface SmsRetryEvent extends SmsEventBase {
  type: 'retry';
  attempt: number;
  delayMs: number;
  code: SmsErrorCode;
}

/** A send moved on from `provider` to `to`. */
export interface SmsFailoverEvent extends SmsEventBase {
  type: 'failover';
  to: string;
  code: SmsErrorCode;
}

/** A provider's circuit breaker opened (sends skip it) or closed again. */
export interface SmsCircuitEvent extends SmsEventBase {
  type: 'circuit-open' | 'circuit-close';
}

/** Everything `SmsService.events$` emits, for metrics and audit. */
export type SmsEvent = SmsSentEvent | SmsFailedEvent | SmsRetryEvent | SmsFailoverEvent | SmsCircuitEvent;
