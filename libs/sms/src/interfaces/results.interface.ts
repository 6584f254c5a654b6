import { type DeliveryStatus } from './delivery-status';
import { type SmsErrorCode, type SmsFailureClass, type SmsOutcome } from '../errors/sms-error-code';

/** Why one recipient of a send was not accepted. */
export interface SentMessageError {
  code: SmsErrorCode;
  /** The provider's own code, as it sent it (`221`, `"111"`). */
  providerCode?: string | number;
  /** English description. */
  message: string;
  /** The provider's own text, when it gave one. */
  providerMessage?: string;
  /** `unknown` when the message may have reached the provider anyway (never resend it). */
  outcome?: SmsOutcome;
  /** What kind of failure it is: decides whether another provider may take this recipient. */
  failure?: SmsFailureClass;
}

/** The result for one recipient of a send, in input order. */
export interface SentMessage {
  /** The recipient, digits only, country code first (`79255070602`). */
  to: string;
  /** The text sent to this recipient. */
  text: string;
  /** Whether the provider took the message. */
  accepted: boolean;
  /** The provider's message id; a refused entry may carry one too. */
  id?: string;
  status: DeliveryStatus;
  /** SMS parts the text takes (computed locally). */
  segments: number;
  /** Price of this message in RUB, when the provider tells it. */
  price?: number;
  error?: SentMessageError;
  /** The provider that handled this recipient (with failover it may differ between recipients). */
  provider?: string;
}

/** One provider tried during a send (several with failover). */
export interface SendAttempt {
  provider: string;
  /** `sent`: the provider answered; `failed`: the attempt ended in an error; `skipped`: breaker open. */
  result: 'sent' | 'failed' | 'skipped';
  /** Recipients handled by this attempt. */
  recipients: number;
  /** The attempt's error; `failure` is its class, which decided whether the next provider was tried. */
  error?: { code: SmsErrorCode; outcome: SmsOutcome; failure: SmsFailureClass; message: string };
  durationMs: number;
}

/** What `SmsService.send` and `sendBatch` return. */
export interface SendResult {
  /** The provider that took the messages (the last one tried, with failover). */
  provider: string;
  /** One entry per distinct recipient, in input order. */
  messages: SentMessage[];
  /** Total cost in RUB, when the provider tells it. */
  cost?: number;
  /** Account balance after the send, when the provider tells it. */
  balance?: number;
  /** Every provider tried, in order. */
  attempts: SendAttempt[];
}

/** The status of one message. */
export interface MessageStatus {
  id: string;
  provider: string;
  status: DeliveryStatus;
  /** True when the status can no longer change. */
  final: boolean;
  /** The provider's own status code. */
  providerStatus: string | number;
  price?: number;
  /** The recipient, when the provider reports it. */
  to?: string;
  /** The provider's text for the status, when given. */
  providerMessage?: string;
}

/** Price of one recipient's message. */
export interface CostItem {
  to: string;
  segments: number;
  price?: number;
  error?: SentMessageError;
}

/** What `SmsService.getCost` returns. */
export interface CostResult {
  provider: string;
  /** Total price in RUB. */
  total: number;
  /** Total SMS parts, as computed by the provider when it tells it, otherwise locally. */
  totalSegments: number;
  currency: 'RUB';
  messages: CostItem[];
}

/** What `SmsService.getBalance` returns. */
export interface BalanceResult {
  provider: string;
  balance: number;
  currency: 'RUB';
}
