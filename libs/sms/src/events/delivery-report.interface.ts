import { type DeliveryStatus } from '../interfaces/delivery-status';

/**
 * What a delivery report is about: an SMS, or an SMS.ru call check (`callcheck_status`, where
 * `delivered` means the number was confirmed by a call and `expired` that the check ran out).
 */
export type DeliveryReportKind = 'sms' | 'callcheck';

/** The error a status callback carries. */
export interface DeliveryReportError {
  /** The provider's own error code, as it sent it (as the callback names it). */
  providerCode: string;
  /** The provider's text for it, when the callback carries one . */
  providerMessage?: string;
}

/**
 * A status change that a provider pushed to the application's callback URL, in the library's
 * vocabulary. The same (provider, id, status) is published once within `webhooks.dedupeWindowMs`.
 */
export interface DeliveryReport {
  /** The provider's name in `SmsModule` options (`main`, `backup`). */
  provider: string;
  /** The message id the send returned (`SentMessage.id`), or the call check id. */
  id: string;
  kind: DeliveryReportKind;
  status: DeliveryStatus;
  /** True when the status can no longer change. */
  final: boolean;
  /** The provider's own status code (`103`, `2`). */
  providerStatus: number | string;
  /** When the status changed: the callback's own time, or when it arrived if it tells none. */
  at: Date;
  /** Why the message failed, when the callback says (left out when it says no error). */
  error?: DeliveryReportError;
  /**
   * What the provider sent for this report: SMS.ru's data entry (`sms_status\n<id>\n<code>\n<time>`),
   * the fields of a callback (`server_id`, `status`, `error` and any others asked for).
   */
  raw: string | Readonly<Record<string, string>>;
}

/**
 * The application's handler of delivery reports (`onDeliveryReport` in the module options). The
 * endpoint acknowledges a callback only after the handler resolved for each of its reports; when it
 * throws, the endpoint answers 500, the report is not marked as seen, and the provider repeats it.
 */
export type DeliveryReportHandler = (report: DeliveryReport) => void | Promise<void>;
