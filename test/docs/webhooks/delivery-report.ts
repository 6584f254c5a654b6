import { type DeliveryReport as LibraryDeliveryReport, type DeliveryStatus } from 'nestjs-sms';

// #region report
interface DeliveryReport {
  provider: string; // the provider's name in the options
  id: string; // the message id the send returned (or an SMS.ru call check id)
  kind: 'sms' | 'callcheck';
  status: DeliveryStatus; // queued, sent, delivered, undelivered, expired, rejected, failed, …
  final: boolean; // the status can no longer change
  providerStatus: number | string; // SMS.ru 103, SMSPilot 2
  at: Date; // SMS.ru: the time in the entry; SMSPilot: when the callback arrived
  error?: { providerCode: string; providerMessage?: string }; // SMSPilot's `error`, when it is not 0
  raw: string | Readonly<Record<string, string>>; // the SMS.ru entry, or every SMSPilot field
}
// #endregion report

/** `true` only when both are the same type: the typecheck fails when the library's report changes. */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
export const documentedIsTheLibrarysReport: Same<DeliveryReport, LibraryDeliveryReport> = true;

/** The fields the documented interface names, required and optional. */
export const DOCUMENTED_REPORT_FIELDS: ReadonlyArray<keyof DeliveryReport> = [
  'provider',
  'id',
  'kind',
  'status',
  'final',
  'providerStatus',
  'at',
  'error',
  'raw',
];
