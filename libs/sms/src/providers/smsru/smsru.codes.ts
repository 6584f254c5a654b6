import { type SmsErrorCode, type SmsFailureClass } from '../../errors/sms-error-code';
import { type DeliveryStatus } from '../../interfaces/delivery-status';

/** How one SMS.ru error code reads in the library's vocabulary, and what happens next. */
export interface SmsRuErrorRow {
  code: SmsErrorCode;
  /** What SMS.ru means by it, in English. */
  description: string;
  /** The failure class: it alone decides retry and failover (see `SmsFailureClass`). */
  failure: SmsFailureClass;
  /** Why the code has this class, in a few words. */
  why: string;
}

/** How one SMS.ru message status code reads as a `DeliveryStatus`. */
export interface SmsRuStatusRow {
  status: DeliveryStatus;
  description: string;
}

/** The code of a request or recipient that SMS.ru accepted. */
export const SMSRU_OK = 100;

const MALFORMED =
  'a malformed request: SMS.ru did not send it, and the fault is in the request, not in SMS.ru';
const CREDENTIALS = 'the credentials are refused: this account cannot send, another provider may';
const ANTI_FRAUD = "SMS.ru's anti-fraud limit on the end user's IP: moving the message on would go around it";
const FLOOD = 'a flood protection for this number: another provider would go around it';

/**
 * The outcome table of the SMS.ru driver: every error code of the SMS.ru document (and 150, "no
 * route", which also comes back per recipient) with its `SmsErrorCode` and failure class. The driver
 * reads it for whole-request and per-recipient errors, the tests walk it row by row, and the guides'
 * tables are written from it. A code missing here reads as `UNKNOWN`, class `unknown`.
 */
export const SMSRU_ERROR_CODES: Readonly<Record<number, SmsRuErrorRow>> = Object.freeze({
  150: {
    code: 'NO_ROUTE',
    description: 'no route to this number',
    failure: 'no_route',
    why: 'SMS.ru has no route to the number; another provider may have one',
  },
  200: { code: 'AUTH', description: 'wrong api_id', failure: 'account', why: CREDENTIALS },
  201: {
    code: 'INSUFFICIENT_FUNDS',
    description: 'not enough money on the account',
    failure: 'account',
    why: 'the account cannot pay; not sent, another provider may',
  },
  202: {
    code: 'INVALID_PHONE',
    description: 'wrong recipient number, or no route to it',
    failure: 'refused',
    why: 'an invalid number or no route, SMS.ru does not say which: read as the refusal, which never moves',
  },
  203: { code: 'VALIDATION', description: 'no message text', failure: 'refused', why: MALFORMED },
  204: {
    code: 'SENDER_NOT_ALLOWED',
    description: 'this operator is not enabled for the sender',
    failure: 'account',
    why: "the sender is not enabled for the number's operator in this account; another provider may send",
  },
  205: {
    code: 'TEXT_TOO_LONG',
    description: 'the message is longer than 8 SMS',
    failure: 'refused',
    why: 'the text breaks the documented limit of 8 parts; a malformed request',
  },
  206: {
    code: 'LIMIT_EXCEEDED',
    description: 'the daily sending limit is or would be exceeded',
    failure: 'account',
    why: "the account's own daily limit: this account cannot send today, another provider may",
  },
  207: {
    code: 'NO_ROUTE',
    description: 'no route for messages to this number',
    failure: 'no_route',
    why: 'SMS.ru has no route to the number; another provider may have one',
  },
  208: { code: 'VALIDATION', description: 'the time parameter is wrong', failure: 'refused', why: MALFORMED },
  209: {
    code: 'STOP_LIST',
    description: "the number is on the account's stop list",
    failure: 'refused',
    why: "the account's own stop list: nothing may go to this number",
  },
  210: {
    code: 'VALIDATION',
    description: 'GET used where POST is required',
    failure: 'refused',
    why: MALFORMED,
  },
  211: { code: 'UNSUPPORTED', description: 'method not found', failure: 'refused', why: MALFORMED },
  212: { code: 'VALIDATION', description: 'the text must be UTF-8', failure: 'refused', why: MALFORMED },
  213: {
    code: 'VALIDATION',
    description: 'more than 5000 numbers in the recipient list',
    failure: 'refused',
    why: MALFORMED,
  },
  214: {
    code: 'NO_ROUTE',
    description: 'the number is abroad and the account sends to Russian numbers only',
    failure: 'refused',
    why: 'a protection the account owner switched on ("Russian numbers only"); another provider would go around it',
  },
  215: {
    code: 'STOP_LIST',
    description: 'the number is on the SMS.RU stop list (the recipient reported spam)',
    failure: 'refused',
    why: 'the recipient complained of spam; no provider should send to it',
  },
  216: {
    code: 'CONTENT_REJECTED',
    description: 'the text contains a forbidden word',
    failure: 'refused',
    why: 'a spam filter refused the text',
  },
  217: {
    code: 'CONTENT_REJECTED',
    description: 'a credit advertisement without the mandatory risk warning',
    failure: 'refused',
    why: 'the text breaks an advertising rule',
  },
  220: {
    code: 'UNAVAILABLE',
    description: 'the service is temporarily unavailable',
    failure: 'unavailable',
    why: 'SMS.ru did not carry the request out ("try a little later")',
  },
  221: {
    code: 'SENDER_NOT_ALLOWED',
    description: 'an alphanumeric sender must be registered first',
    failure: 'account',
    why: 'the account has no registered sender; another provider may send',
  },
  230: {
    code: 'LIMIT_EXCEEDED',
    description: 'daily limit of messages to this number exceeded',
    failure: 'refused',
    why: FLOOD,
  },
  231: {
    code: 'LIMIT_EXCEEDED',
    description: 'limit of identical messages to this number per minute exceeded',
    failure: 'refused',
    why: 'a duplicate protection for this number: another provider would send the duplicate',
  },
  232: {
    code: 'LIMIT_EXCEEDED',
    description: 'limit of identical messages to this number per day exceeded',
    failure: 'refused',
    why: 'a duplicate protection for this number: another provider would send the duplicate',
  },
  233: {
    code: 'LIMIT_EXCEEDED',
    description: 'limit of repeated code messages to this number exceeded',
    failure: 'refused',
    why: 'the protection against repeated codes ("protection from fraudsters"): another provider would go around it',
  },
  300: {
    code: 'AUTH',
    description: 'wrong token (expired, or the IP address changed)',
    failure: 'account',
    why: CREDENTIALS,
  },
  301: {
    code: 'AUTH',
    description: 'wrong api_id, or login and password',
    failure: 'account',
    why: CREDENTIALS,
  },
  302: {
    code: 'AUTH',
    description: 'the account is not confirmed',
    failure: 'account',
    why: 'the account is not confirmed yet: it cannot send, another provider may',
  },
  303: {
    code: 'AUTH',
    description: 'wrong confirmation code',
    failure: 'account',
    why: "a step of the account's own sign-in failed: this account cannot act now",
  },
  304: {
    code: 'RATE_LIMITED',
    description: 'too many confirmation codes sent',
    failure: 'account',
    why: "the account's own sign-in is locked for a while: this account cannot act now",
  },
  305: {
    code: 'RATE_LIMITED',
    description: 'too many wrong code entries',
    failure: 'account',
    why: "the account's own sign-in is locked for a while: this account cannot act now",
  },
  500: {
    code: 'UNAVAILABLE',
    description: 'server error',
    failure: 'unavailable',
    why: 'SMS.ru did not carry the request out ("repeat the request")',
  },
  501: {
    code: 'RATE_LIMITED',
    description: "limit: the user's IP address is a TOR node",
    failure: 'refused',
    why: ANTI_FRAUD,
  },
  502: {
    code: 'RATE_LIMITED',
    description: "limit: the user's IP address does not match the number's country",
    failure: 'refused',
    why: ANTI_FRAUD,
  },
  503: {
    code: 'RATE_LIMITED',
    description: 'limit: too many messages to this country',
    failure: 'refused',
    why: 'an anti-fraud limit on messages to this country: another provider would go around it',
  },
  504: {
    code: 'RATE_LIMITED',
    description: 'limit: too many authorization codes abroad',
    failure: 'refused',
    why: 'an anti-fraud limit on codes sent abroad: another provider would go around it',
  },
  505: {
    code: 'RATE_LIMITED',
    description: 'limit: too many messages for one IP address',
    failure: 'refused',
    why: ANTI_FRAUD,
  },
  506: {
    code: 'RATE_LIMITED',
    description: 'limit: too many messages from hosting IP addresses',
    failure: 'refused',
    why: ANTI_FRAUD,
  },
  507: {
    code: 'VALIDATION',
    description: "the user's IP address is wrong or private",
    failure: 'refused',
    why: "the end user's IP is invalid or private: SMS.ru's anti-fraud cannot vouch for it",
  },
  508: {
    code: 'RATE_LIMITED',
    description: 'limit: too many calls in 5 minutes',
    failure: 'refused',
    why: 'a flood protection on calls: another provider would go around it',
  },
  550: {
    code: 'NO_ROUTE',
    description: 'the country is blocked for security reasons',
    failure: 'refused',
    why: 'a security block of the country: another provider would go around it',
  },
  901: {
    code: 'VALIDATION',
    description: 'callback URL is wrong (must start with http://)',
    failure: 'refused',
    why: MALFORMED,
  },
  902: { code: 'VALIDATION', description: 'callback handler not found', failure: 'refused', why: MALFORMED },
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

/** The row of a code the table lacks: its meaning is unknown, so the message may have gone out. */
export const SMSRU_UNKNOWN_ERROR: SmsRuErrorRow = Object.freeze({
  code: 'UNKNOWN',
  description: 'a code the SMS.ru document does not list',
  failure: 'unknown',
  why: 'a code nobody documented: the request may have been carried out, so never resent',
});
const UNKNOWN_STATUS: SmsRuStatusRow = { status: 'unknown', description: 'unknown status code' };

/** The row of an SMS.ru error code; `SMSRU_UNKNOWN_ERROR` for a code the table lacks. */
export function smsRuError(code: number): SmsRuErrorRow {
  return Object.prototype.hasOwnProperty.call(SMSRU_ERROR_CODES, code)
    ? SMSRU_ERROR_CODES[code]
    : SMSRU_UNKNOWN_ERROR;
}

/** The row of an SMS.ru status code; `unknown` for a code the table lacks. */
export function smsRuStatus(code: number): SmsRuStatusRow {
  return Object.prototype.hasOwnProperty.call(SMSRU_STATUS_CODES, code)
    ? SMSRU_STATUS_CODES[code]
    : UNKNOWN_STATUS;
}
