import { type SmsErrorCode, type SmsFailureClass } from '../../errors/sms-error-code';
import { type DeliveryStatus } from '../../interfaces/delivery-status';

/** How one SMSPilot error code maps onto the library's codes, and what happens next. */
export interface SmsPilotErrorMapping {
  code: SmsErrorCode;
  /** The seed's English name of the error. */
  name: string;
  /** The failure class: it alone decides retry and failover (see `SmsFailureClass`). */
  failure: SmsFailureClass;
  /** Why the code has this class, in a few words. */
  why: string;
  /** The code is listed only in the changelog as no longer returned; mapped in case an old account sees it. */
  retired?: boolean;
}

const KEY = 'the API key or login is refused: this account cannot send, another provider may';
const MALFORMED = 'a malformed request: SMSPilot did not send it, and the fault is in the request';
const SENDER = 'the sender is not usable in this account; another provider may send';
const STATUS_CALL = 'a status check that SMSPilot could not read; nothing is sent by it';

/**
 * The outcome table of the SMSPilot driver: every error code of the SMSPilot document (table 1.5,
 * status errors 2.3 and the changelog), answered with HTTP 200 as
 * `{"error":{"code","description","description_ru"}}`, with its `SmsErrorCode` and failure class.
 * The driver reads it for every error, the tests walk it row by row, and the guides' tables are
 * written from it. A code missing here reads as `UNKNOWN`, class `unknown`.
 *
 * - 110 ("unexpected system error, possibly a wrong sender") proves nothing either way: `unknown`,
 *   never repeated, never failed over.
 * - 111 and 215 on a send mean that no number of the request was valid: the driver reports each
 *   recipient as refused (`INVALID_PHONE`) instead of throwing.
 * - 302 on a status check of one id makes it `not_found`; of many ids, each is asked again alone.
 * - 118 (rate limit) was SMSPilot's duplicate protection (changelog 1.8.5–1.8.7), like 243: a refusal.
 */
export const SMSPILOT_ERROR_CODES: Readonly<Record<string, SmsPilotErrorMapping>> = {
  '100': { code: 'AUTH', name: 'APIKEY is required', failure: 'account', why: KEY },
  '101': { code: 'AUTH', name: 'APIKEY is invalid', failure: 'account', why: KEY },
  '102': { code: 'AUTH', name: 'APIKEY not found', failure: 'account', why: KEY },
  '103': {
    code: 'INSUFFICIENT_FUNDS',
    name: 'APIKEY not paid',
    failure: 'account',
    why: 'the key is not paid for: this account cannot send, another provider may',
    retired: true,
  },
  '104': { code: 'AUTH', name: 'APIKEY not activated', failure: 'account', why: KEY, retired: true },
  '105': {
    code: 'INSUFFICIENT_FUNDS',
    name: 'APIKEY blocked (empty balance)',
    failure: 'account',
    why: 'the balance is empty: this account cannot send, another provider may',
    retired: true,
  },
  '106': {
    code: 'AUTH',
    name: 'APIKEY is blocked (spam)',
    failure: 'account',
    why: 'the key is blocked: this account cannot send, another provider may',
  },
  '108': { code: 'INVALID_PHONE', name: 'Phone is required', failure: 'refused', why: MALFORMED },
  '110': {
    code: 'UNKNOWN',
    name: 'System error',
    failure: 'unknown',
    why: '"unexpected system error, possibly a wrong sender": nothing proves the message was not sent',
  },
  '111': {
    code: 'INVALID_PHONE',
    name: 'Invalid phone',
    failure: 'refused',
    why: 'no number of the request is valid',
  },
  '112': {
    code: 'INSUFFICIENT_FUNDS',
    name: 'No money',
    failure: 'account',
    why: 'the balance is too low: this account cannot send, another provider may',
  },
  '113': {
    code: 'AUTH',
    name: 'IP restriction',
    failure: 'account',
    why: 'the account takes requests from its listed servers only: this one cannot send, another provider may',
  },
  '115': { code: 'SENDER_NOT_ALLOWED', name: 'Invalid sender', failure: 'account', why: SENDER },
  '116': { code: 'SENDER_NOT_ALLOWED', name: 'Deprecated sender', failure: 'account', why: SENDER },
  '117': {
    code: 'LIMIT_EXCEEDED',
    name: 'Account restriction',
    failure: 'account',
    why: 'a restriction of a test account: this account cannot send, another provider may',
    retired: true,
  },
  '118': {
    code: 'LIMIT_EXCEEDED',
    name: 'Rate limit (duplicate protection)',
    failure: 'refused',
    why: 'the old duplicate protection: another provider would send the duplicate',
    retired: true,
  },
  '204': { code: 'SENDER_NOT_ALLOWED', name: 'Sender (from) unregistered', failure: 'account', why: SENDER },
  '215': {
    code: 'INVALID_PHONE',
    name: 'Invalid phone length',
    failure: 'refused',
    why: 'no number of the request has a valid length',
  },
  '220': { code: 'VALIDATION', name: 'TEXT is required', failure: 'refused', why: MALFORMED },
  '223': {
    code: 'CONTENT_REJECTED',
    name: 'Spam protection',
    failure: 'refused',
    why: 'a spam filter (advertising, a text off its template, a number off the white list)',
  },
  '243': {
    code: 'LIMIT_EXCEEDED',
    name: 'Loop protection, blacklist',
    failure: 'refused',
    why: 'the duplicate protection (same text, same number) or forbidden words: another provider would send the duplicate',
  },
  '250': { code: 'VALIDATION', name: 'Invalid SEND_DATETIME', failure: 'refused', why: MALFORMED },
  '260': { code: 'VALIDATION', name: 'Invalid callback URL', failure: 'refused', why: MALFORMED },
  '270': { code: 'VALIDATION', name: 'Invalid ttl', failure: 'refused', why: MALFORMED },
  '300': { code: 'VALIDATION', name: 'SMS server_id is required', failure: 'refused', why: STATUS_CALL },
  '301': { code: 'VALIDATION', name: 'SMS server_id is invalid', failure: 'refused', why: STATUS_CALL },
  '302': { code: 'VALIDATION', name: 'SMS server_id not found', failure: 'refused', why: STATUS_CALL },
  '303': { code: 'VALIDATION', name: 'Invalid IDs list', failure: 'refused', why: STATUS_CALL },
  '400': { code: 'AUTH', name: 'User not found', failure: 'account', why: KEY },
  '401': { code: 'AUTH', name: 'Invalid login details', failure: 'account', why: KEY },
};

/** The row of a code the table lacks: its meaning is unknown, so the message may have gone out. */
export const SMSPILOT_UNKNOWN_ERROR: SmsPilotErrorMapping = Object.freeze({
  code: 'UNKNOWN',
  name: 'not a documented code',
  failure: 'unknown',
  why: 'a code nobody documented: the request may have been carried out, so never resent',
});

/** The row of an SMSPilot error code; `SMSPILOT_UNKNOWN_ERROR` for a code the table lacks. */
export function smsPilotError(code: string): SmsPilotErrorMapping {
  return Object.prototype.hasOwnProperty.call(SMSPILOT_ERROR_CODES, code)
    ? SMSPILOT_ERROR_CODES[code]
    : SMSPILOT_UNKNOWN_ERROR;
}

/** Errors that, on a send, refuse every recipient of the request rather than the request itself. */
export const SMSPILOT_ALL_RECIPIENTS_INVALID: ReadonlySet<string> = new Set(['111', '215']);

/**
 * Error of a status check: "SMS not found". For a check of one id it means that id; for a check of
 * many the document does not say which, so each id is asked again alone.
 */
export const SMSPILOT_ID_NOT_FOUND = '302';

/**
 * The refusals of one recipient in a send answer. SMSPilot gives no error code per number: a number
 * comes back with status -2 ("error: message length, phone number"), or is left out of the answer
 * (an invalid number, dropped). Rows in the shape of `SMSPILOT_ERROR_CODES`, keyed `-2` and `dropped`.
 */
export const SMSPILOT_RECIPIENT_REFUSALS: Readonly<Record<'-2' | 'dropped', SmsPilotErrorMapping>> = {
  '-2': {
    code: 'VALIDATION',
    name: 'status -2, "error (message length, phone number)"',
    failure: 'refused',
    why: 'the number or the length of the text was refused, SMSPilot does not say which; not sent',
  },
  dropped: {
    code: 'INVALID_PHONE',
    name: 'the number left out of the answer, as invalid numbers are',
    failure: 'refused',
    why: 'SMSPilot drops the numbers it finds invalid from the request; not sent',
  },
};

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
