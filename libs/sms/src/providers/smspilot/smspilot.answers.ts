import { RECONCILE_HINT, SMS_ERROR_MESSAGES, SmsError } from '../../errors';
import { smsPilotError } from './smspilot.codes';
import { type SmsPilotAccountInfo, type SmsPilotInboundMessage } from './smspilot.types';

/** An answer that is not the shape the API promises; the driver turns it into `BAD_RESPONSE`. */
export class SmsPilotAnswerError extends Error {}

/** `{"error":{…}}` as SMSPilot sends it. */
export interface SmsPilotErrorAnswer {
  code: string;
  description?: string;
  descriptionRu?: string;
}

/** One entry of a `send` or `check` list, numbers converted. */
export interface SmsPilotMessageEntry {
  serverId: string;
  phone: string;
  price?: number;
  status: number;
  /** HLR fields of a `check` entry, empty values left out. */
  hlr: Partial<Record<'imsi' | 'msc' | 'mcc' | 'mnc' | 'cn' | 'net' | 'rcn' | 'rnet', string>>;
}

/** A `send` answer. */
export interface SmsPilotSendAnswer {
  entries: SmsPilotMessageEntry[];
  cost?: number;
  balance?: number;
}

const DECIMAL = /^-?\d+(?:\.\d+)?$/;
const INTEGER = /^-?\d+$/;
const GMT_DATE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const HLR_FIELDS = ['imsi', 'msc', 'mcc', 'mnc', 'cn', 'net', 'rcn', 'rnet'] as const;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(what: string): never {
  throw new SmsPilotAnswerError(what);
}

/** A number SMSPilot sent as a string (`"1.68"`); a JSON number is taken too. */
function decimal(value: unknown, field: string): number {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !DECIMAL.test(text.trim())) fail(`"${field}" is not a number`);
  return Number(text);
}

function optionalDecimal(value: unknown, field: string): number | undefined {
  return value === undefined ? undefined : decimal(value, field);
}

function integer(value: unknown, field: string): number {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !INTEGER.test(text.trim())) fail(`"${field}" is not a whole number`);
  return Number(text);
}

function text(value: unknown, field: string): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') fail(`"${field}" is missing`);
  return value;
}

function nonEmpty(value: unknown, field: string): string {
  const out = text(value, field).trim();
  if (out === '') fail(`"${field}" is empty`);
  return out;
}

/** `2014-10-20 19:11:21`, which SMSPilot writes in GMT. */
function gmtDate(value: unknown, field: string): Date {
  const match = GMT_DATE.exec(text(value, field).trim());
  if (!match) fail(`"${field}" is not a date`);
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    fail(`"${field}" is not a date`);
  }
  return date;
}

function list(answer: Json, key: string): unknown[] {
  const value = answer[key];
  if (!Array.isArray(value)) fail(`"${key}" is not a list`);
  return value;
}

/** Parses a JSON answer into an object. */
export function parseAnswer(body: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(body.replace(/^\uFEFF/, ''));
  } catch {
    fail('the answer is not JSON');
  }
  if (!isObject(value)) fail('the answer is not a JSON object');
  return value;
}

/** The error of an answer, or `undefined` when it is not one. */
export function readError(answer: Json): SmsPilotErrorAnswer | undefined {
  if (!('error' in answer)) return undefined;
  const error = answer.error;
  if (!isObject(error)) fail('"error" is not an object');
  const code = String(integer(error.code, 'error.code'));
  const description = typeof error.description === 'string' ? error.description : undefined;
  const descriptionRu = typeof error.description_ru === 'string' ? error.description_ru : undefined;
  return { code, description, descriptionRu };
}

function readEntry(value: unknown, key: string, index: number): SmsPilotMessageEntry {
  const at = `${key}[${index}]`;
  if (!isObject(value)) fail(`${at} is not an object`);
  const hlr: SmsPilotMessageEntry['hlr'] = {};
  for (const field of HLR_FIELDS) {
    const v = value[field];
    if (v === undefined || v === null) continue;
    const s = text(v, `${at}.${field}`).trim();
    if (s !== '') hlr[field] = s;
  }
  return {
    serverId: nonEmpty(value.server_id, `${at}.server_id`),
    phone: text(value.phone ?? '', `${at}.phone`).replace(/\D/g, ''),
    price: optionalDecimal(value.price, `${at}.price`),
    status: integer(value.status, `${at}.status`),
    hlr,
  };
}

/** `{"send":[{server_id, phone, price, status}], "balance", "cost"}` */
export function readSendAnswer(answer: Json): SmsPilotSendAnswer {
  const entries = list(answer, 'send').map((entry, i) => readEntry(entry, 'send', i));
  return {
    entries,
    cost: optionalDecimal(answer.cost, 'cost'),
    balance: optionalDecimal(answer.balance, 'balance'),
  };
}

/** `{"check":[{server_id, phone, price, status, …HLR fields}]}` */
export function readCheckAnswer(answer: Json): SmsPilotMessageEntry[] {
  return list(answer, 'check').map((entry, i) => readEntry(entry, 'check', i));
}

/** `{"cost":"0.89"}` */
export function readCost(answer: Json): number {
  return decimal(answer.cost, 'cost');
}

/** `{"balance":"2934.76"}` */
export function readBalance(answer: Json): number {
  return decimal(answer.balance, 'balance');
}

/** `{"id","tariff_id","email","name","phone","balance","date","default_sender","senders"}` */
export function readAccountInfo(answer: Json): SmsPilotAccountInfo {
  const senders = typeof answer.senders === 'string' ? answer.senders : '';
  const defaultSender = typeof answer.default_sender === 'string' ? answer.default_sender.trim() : '';
  return {
    id: integer(answer.id, 'id'),
    tariffId: integer(answer.tariff_id, 'tariff_id'),
    email: text(answer.email, 'email').trim(),
    name: text(answer.name ?? '', 'name').trim(),
    phone: text(answer.phone ?? '', 'phone').replace(/\D/g, ''),
    balance: decimal(answer.balance, 'balance'),
    registeredAt: gmtDate(answer.date, 'date'),
    ...(defaultSender ? { defaultSender } : {}),
    senders: senders
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  };
}

/** `{"inbound":[{"id","phone","num","text","created","seen"}]}` */
export function readInbound(answer: Json): SmsPilotInboundMessage[] {
  return list(answer, 'inbound').map((value, i) => {
    const at = `inbound[${i}]`;
    if (!isObject(value)) fail(`${at} is not an object`);
    const seen = integer(value.seen, `${at}.seen`);
    if (seen !== 0 && seen !== 1) fail(`${at}.seen is neither 0 nor 1`);
    return {
      id: nonEmpty(value.id, `${at}.id`),
      from: text(value.phone, `${at}.phone`).replace(/\D/g, ''),
      to: text(value.num, `${at}.num`).trim(),
      text: text(value.text, `${at}.text`),
      receivedAt: gmtDate(value.created, `${at}.created`),
      seen: seen === 1,
    };
  });
}

/**
 * The `SmsError` of an `{"error":…}` answer of provider `provider`: code and failure class from the
 * outcome table; SMSPilot's own text goes through `excerpt`.
 */
export function smsPilotErrorOf(
  provider: string,
  error: SmsPilotErrorAnswer,
  excerpt: (text: string) => string,
): SmsError {
  const row = smsPilotError(error.code);
  const text = error.descriptionRu || error.description;
  const hint = row.failure === 'unknown' ? ` ${RECONCILE_HINT}` : '';
  const init = {
    code: row.code,
    provider,
    providerCode: error.code,
    ...(text ? { providerMessage: excerpt(text) } : {}),
    failure: row.failure,
  };
  return new SmsError(
    `${provider}: ${SMS_ERROR_MESSAGES[row.code]} (SMSPilot error ${error.code}: ${row.name})${hint}`,
    init,
  );
}
