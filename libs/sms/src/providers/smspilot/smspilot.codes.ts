import { type SmsErrorCode } from '../../errors/sms-error-code';
import { type DeliveryStatus } from '../../interfaces/delivery-status';

/** How one SMSPilot error code maps onto the library's codes. */
export interface SmsPilotErrorMapping {
  code: SmsErrorCode;
  /** The seed's English name of the error. */
  name: string;
  /** Trying again later can succeed (the transport retries it: the request was not carried out). */
  retryable?: boolean;
  /** The code is listed only in the changelog as no longer returned; mapped in case an old account sees it. */
  retired?: boolean;
}

/**
 * Every error code of the SMSPilot API document (table 1.5, status errors 2.3 and the changelog),
 * answered with HTTP 200 as `{"error":{"code","description","description_ru"}}`.
 *
 * - 110 (system error) is `UNAVAILABLE`, retryable and not sent: the transport repeats the request.
 * - 111 and 215 on a send mean that no number of the request was valid: the driver reports each
 *   recipient as refused (`INVALID_PHONE`) instead of throwing.
 * - 302 on a status check makes every asked id `not_found` instead of throwing.
 * - 118 (rate limit) was SMSPilot's duplicate protection (changelog 1.8.5–1.8.7), like 243: repeating
 *   the same message cannot help, so both are `LIMIT_EXCEEDED` and not retried.
 */
export const SMSPILOT_ERROR_CODES: Readonly<Record<string, SmsPilotErrorMapping>> = {
  '100': { code: 'AUTH', name: 'APIKEY is required' },
  '101': { code: 'AUTH', name: 'APIKEY is invalid' },
  '102': { code: 'AUTH', name: 'APIKEY not found' },
  '103': { code: 'INSUFFICIENT_FUNDS', name: 'APIKEY not paid', retired: true },
  '104': { code: 'AUTH', name: 'APIKEY not activated', retired: true },
  '105': { code: 'INSUFFICIENT_FUNDS', name: 'APIKEY blocked (empty balance)', retired: true },
  '106': { code: 'AUTH', name: 'APIKEY is blocked (spam)' },
  '108': { code: 'INVALID_PHONE', name: 'Phone is required' },
  '110': { code: 'UNAVAILABLE', name: 'System error', retryable: true },
  '111': { code: 'INVALID_PHONE', name: 'Invalid phone' },
  '112': { code: 'INSUFFICIENT_FUNDS', name: 'No money' },
  '113': { code: 'AUTH', name: 'IP restriction' },
  '115': { code: 'SENDER_NOT_ALLOWED', name: 'Invalid sender' },
  '116': { code: 'SENDER_NOT_ALLOWED', name: 'Deprecated sender' },
  '117': { code: 'LIMIT_EXCEEDED', name: 'Account restriction', retired: true },
  '118': { code: 'LIMIT_EXCEEDED', name: 'Rate limit (duplicate protection)', retired: true },
  '204': { code: 'SENDER_NOT_ALLOWED', name: 'Sender (from) unregistered' },
  '215': { code: 'INVALID_PHONE', name: 'Invalid phone length' },
  '220': { code: 'VALIDATION', name: 'TEXT is required' },
  '223': { code: 'CONTENT_REJECTED', name: 'Spam protection' },
  '243': { code: 'LIMIT_EXCEEDED', name: 'Loop protection, blacklist' },
  '250': { code: 'VALIDATION', name: 'Invalid SEND_DATETIME' },
  '260': { code: 'VALIDATION', name: 'Invalid callback URL' },
  '270': { code: 'VALIDATION', name: 'Invalid ttl' },
  '300': { code: 'VALIDATION', name: 'SMS server_id is required' },
  '301': { code: 'VALIDATION', name: 'SMS server_id is invalid' },
  '302': { code: 'VALIDATION', name: 'SMS server_id not found' },
  '303': { code: 'VALIDATION', name: 'Invalid IDs list' },
  '400': { code: 'AUTH', name: 'User not found' },
  '401': { code: 'AUTH', name: 'Invalid login details' },
};

/** Errors that, on a send, refuse every recipient of the request rather than the request itself. */
export const SMSPILOT_ALL_RECIPIENTS_INVALID: ReadonlySet<string> = new Set(['111', '215']);

/** Error of a status check that means none of the asked ids exists. */
export const SMSPILOT_ID_NOT_FOUND = '302';

/** How one SMSPilot message status maps onto `DeliveryStatus`. */
export interface SmsPilotStatusMapping {
  status: DeliveryStatus;
  /** The seed's "final" column. */
  final: boolean;
  /** The seed's description. */
  description: string;
}

/** Message statuses of tables 1.2 and 2.2 (send answers, status checks and status callbacks). */
export const SMSPILOT_STATUSES: Readonly<Record<string, SmsPilotStatusMapping>> = {
  '-2': { status: 'failed', final: true, description: 'Error: not accepted, invalid number or unknown id' },
  '-1': { status: 'undelivered', final: true, description: 'Not delivered (handset off or out of reach)' },
  '0': { status: 'queued', final: false, description: 'New message, being prepared' },
  '1': { status: 'sent', final: false, description: 'Queued at the operator' },
  '2': { status: 'delivered', final: true, description: 'Delivered' },
  '3': { status: 'scheduled', final: false, description: 'Scheduled (send_datetime)' },
};

/** What an HLR request found out. */
export type SmsPilotHlrState = 'failed' | 'not_served' | 'accepted' | 'in_progress' | 'served' | 'unknown';

/** How one status of an HLR request maps onto `SmsPilotHlrState`. */
export interface SmsPilotHlrStatusMapping {
  state: SmsPilotHlrState;
  final: boolean;
  description: string;
}

/** Statuses of HLR requests (table 6.3). */
export const SMSPILOT_HLR_STATUSES: Readonly<Record<string, SmsPilotHlrStatusMapping>> = {
  '-2': { state: 'failed', final: true, description: 'Request refused: invalid number or unknown id' },
  '-1': { state: 'not_served', final: true, description: 'The number is not served' },
  '0': { state: 'accepted', final: false, description: 'Request accepted' },
  '1': { state: 'in_progress', final: false, description: 'Request passed to the operator' },
  '2': { state: 'served', final: true, description: 'The number is served' },
};
