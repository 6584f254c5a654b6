import { type SmsErrorCode } from '../../errors/sms-error-code';
import { type DeliveryStatus } from '../../interfaces/delivery-status';

/** How one SMS.ru error code reads in the library's vocabulary. */
export interface SmsRuErrorRow {
  code: SmsErrorCode;
  /** What SMS.ru means by it, in English. */
  description: string;
  /** The request was not carried out and may be repeated at once (220, 500). */
  retryable?: boolean;
}

/** How one SMS.ru message status code reads as a `DeliveryStatus`. */
export interface SmsRuStatusRow {
  status: DeliveryStatus;
  description: string;
}

/** The code of a request or recipient that SMS.ru accepted. */
export const SMSRU_OK = 100;

/**
 * Every error code of the SMS.ru table (and 150, "no route", which also comes back per recipient),
 * mapped onto `SmsErrorCode`. A code missing here reads as `UNKNOWN`.
 */
export const SMSRU_ERROR_CODES: Readonly<Record<number, SmsRuErrorRow>> = Object.freeze({
  150: { code: 'NO_ROUTE', description: 'no route to this number' },
  200: { code: 'AUTH', description: 'wrong api_id' },
  201: { code: 'INSUFFICIENT_FUNDS', description: 'not enough money on the account' },
  202: { code: 'INVALID_PHONE', description: 'wrong recipient number, or no route to it' },
  203: { code: 'VALIDATION', description: 'no message text' },
  204: { code: 'SENDER_NOT_ALLOWED', description: 'this operator is not enabled for the sender' },
  205: { code: 'TEXT_TOO_LONG', description: 'the message is longer than 8 SMS' },
  206: { code: 'LIMIT_EXCEEDED', description: 'the daily sending limit is or would be exceeded' },
  207: { code: 'NO_ROUTE', description: 'no route for messages to this number' },
  208: { code: 'VALIDATION', description: 'the time parameter is wrong' },
  209: { code: 'STOP_LIST', description: "the number is on the account's stop list" },
  210: { code: 'VALIDATION', description: 'GET used where POST is required' },
  211: { code: 'UNSUPPORTED', description: 'method not found' },
  212: { code: 'VALIDATION', description: 'the text must be UTF-8' },
  213: { code: 'VALIDATION', description: 'more than 5000 numbers in the recipient list' },
  214: {
    code: 'NO_ROUTE',
    description: 'the number is abroad and the account sends to Russian numbers only',
  },
  215: {
    code: 'STOP_LIST',
    description: 'the number is on the SMS.RU stop list (the recipient reported spam)',
  },
  216: { code: 'CONTENT_REJECTED', description: 'the text contains a forbidden word' },
  217: { code: 'CONTENT_REJECTED', description: 'a credit advertisement without the mandatory risk warning' },
  220: { code: 'UNAVAILABLE', description: 'the service is temporarily unavailable', retryable: true },
  221: { code: 'SENDER_NOT_ALLOWED', description: 'an alphanumeric sender must be registered first' },
  230: { code: 'LIMIT_EXCEEDED', description: 'daily limit of messages to this number exceeded' },
  231: {
    code: 'LIMIT_EXCEEDED',
    description: 'limit of identical messages to this number per minute exceeded',
  },
  232: { code: 'LIMIT_EXCEEDED', description: 'limit of identical messages to this number per day exceeded' },
  233: { code: 'LIMIT_EXCEEDED', description: 'limit of repeated code messages to this number exceeded' },
  300: { code: 'AUTH', description: 'wrong token (expired, or the IP address changed)' },
  301: { code: 'AUTH', description: 'wrong api_id, or login and password' },
  302: { code: 'AUTH', description: 'the account is not confirmed' },
  303: { code: 'AUTH', description: 'wrong confirmation code' },
  304: { code: 'RATE_LIMITED', description: 'too many confirmation codes sent' },
  305: { code: 'RATE_LIMITED', description: 'too many wrong code entries' },
  500: { code: 'UNAVAILABLE', description: 'server error', retryable: true },
  501: { code: 'RATE_LIMITED', description: "limit: the user's IP address is a TOR node" },
  502: {
    code: 'RATE_LIMITED',
    description: "limit: the user's IP address does not match the number's country",
  },
  503: { code: 'RATE_LIMITED', description: 'limit: too many messages to this country' },
  504: { code: 'RATE_LIMITED', description: 'limit: too many authorization codes abroad' },
  505: { code: 'RATE_LIMITED', description: 'limit: too many messages for one IP address' },
  506: { code: 'RATE_LIMITED', description: 'limit: too many messages from hosting IP addresses' },
  507: { code: 'RATE_LIMITED', description: "the user's IP address is wrong or private" },
  508: { code: 'RATE_LIMITED', description: 'limit: too many calls in 5 minutes' },
  550: { code: 'NO_ROUTE', description: 'the country is blocked for security reasons' },
  901: { code: 'VALIDATION', description: 'callback URL is wrong (must start with http://)' },
  902: { code: 'VALIDATION', description: 'callback handler not found' },
} satisfies Record<number, SmsRuErrorRow>);

/** Every message status code of the SMS.ru table, mapped onto `DeliveryStatus`. */
export const SMSRU_STATUS_CODES: Readonly<Record<number, SmsRuStatusRow>> = Object.freeze({
  [-1]: { status: 'not_found', description: 'message not found' },
  100: { status: 'queued', description: 'in the SMS.ru queue' },
  101: { status: 'sent', description: 'being passed to the operator' },
  102: { status: 'sent', description: 'sent, in transit' },
  103: { status: 'delivered', description: 'delivered' },
  104: { status: 'expired', description: 'not delivered: its lifetime expired' },
  105: { status: 'rejected', description: 'not delivered: deleted by the operator' },
  106: { status: 'undelivered', description: 'not delivered: handset failure' },
  107: { status: 'undelivered', description: 'not delivered: unknown reason' },
  108: { status: 'rejected', description: 'not delivered: rejected' },
  110: { status: 'read', description: 'read' },
  150: { status: 'failed', description: 'not delivered: no route to this number' },
} satisfies Record<number, SmsRuStatusRow>);

const UNKNOWN_ERROR: SmsRuErrorRow = { code: 'UNKNOWN', description: 'unknown error code' };
const UNKNOWN_STATUS: SmsRuStatusRow = { status: 'unknown', description: 'unknown status code' };

/** The row of an SMS.ru error code; `UNKNOWN` for a code the table lacks. */
export function smsRuError(code: number): SmsRuErrorRow {
  return Object.prototype.hasOwnProperty.call(SMSRU_ERROR_CODES, code)
    ? SMSRU_ERROR_CODES[code]
    : UNKNOWN_ERROR;
}

/** The row of an SMS.ru status code; `unknown` for a code the table lacks. */
export function smsRuStatus(code: number): SmsRuStatusRow {
  return Object.prototype.hasOwnProperty.call(SMSRU_STATUS_CODES, code)
    ? SMSRU_STATUS_CODES[code]
    : UNKNOWN_STATUS;
}
