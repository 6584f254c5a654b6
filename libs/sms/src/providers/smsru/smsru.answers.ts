import { RECONCILE_HINT, SMS_ERROR_MESSAGES, SmsError } from '../../errors';
import {
  type CostItem,
  type DeliveryStatus,
  isFinalStatus,
  type OutgoingMessage,
  type ProviderMessageStatus,
  type SentMessage,
  type SentMessageError,
} from '../../interfaces';
import { type SmsFailureClass } from '../../errors';
import { type ChunkAnswer } from '../shared/send-assembly';
import { type HttpAnswer, type HttpTransport } from '../../transport/http-transport';
import { redact } from '../../transport/secrets';
import { SMSRU_OK, smsRuError, smsRuStatus } from './smsru.codes';

/** A JSON object as parsed. */
export type JsonObject = Record<string, unknown>;

const NUMERIC = /^\s*-?\d+(?:\.\d+)?\s*$/;
/** Provider texts kept in `providerMessage` are cut at this length. */
const PROVIDER_TEXT_MAX = 500;

/** Whether a parsed JSON value is an object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A number sent as a number or as a numeric string (`"10"`, `"0.00"`); `undefined` otherwise. */
export function readNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && NUMERIC.test(value)) return Number(value);
  return undefined;
}

/** A whole number sent as a number or a string; `undefined` otherwise. */
export function readInteger(value: unknown): number | undefined {
  const n = readNumber(value);
  return n !== undefined && Number.isInteger(n) ? n : undefined;
}

/** A message id (`"202626-1000000"`), also when sent as a number; `undefined` when absent or empty. */
export function readId(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/**
 * A keyed map of the answer (`sms`, `stoplist`): an object, or `[]`, which is how SMS.ru writes an
 * empty one. `undefined` for anything else.
 */
export function readMap(value: unknown): JsonObject | undefined {
  if (isJsonObject(value)) return value;
  if (Array.isArray(value) && value.length === 0) return {};
  return undefined;
}

/** The own property `key` of a map, never an inherited one. */
export function entryOf(map: JsonObject, key: string): unknown {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

/**
 * Reads SMS.ru answers: the `{status, status_code}` envelope, its error codes, and per-recipient
 * entries, into typed results and secret-free `SmsError`s.
 */
export class SmsRuResponseReader {
  constructor(
    private readonly provider: string,
    private readonly transport: HttpTransport,
    private readonly secrets: readonly string[],
  ) {}

  /**
   * The answer as a JSON object whose `status` is `OK`. A top-level `ERROR` throws the `SmsError` of
   * its code's row (see `requestError`); anything that is not the promised JSON throws
   * `BAD_RESPONSE` (outcome unknown).
   */
  envelope(answer: HttpAnswer, what: string): JsonObject {
    let data: unknown;
    try {
      data = JSON.parse(answer.body);
    } catch {
      throw this.transport.badResponse(answer, `${what}: the answer is not JSON`);
    }
    if (!isJsonObject(data))
      throw this.transport.badResponse(answer, `${what}: the answer is not a JSON object`);
    if (data.status === 'ERROR') {
      const code = readInteger(data.status_code);
      if (code === undefined)
        throw this.transport.badResponse(answer, `${what}: an error without a status_code`);
      throw this.requestError(what, code, data.status_text, answer.status);
    }
    if (data.status !== 'OK')
      throw this.transport.badResponse(answer, `${what}: the answer has no status OK or ERROR`);
    return data;
  }

  /**
   * The error of a request that SMS.ru refused as a whole: code and failure class from the outcome
   * table (a code the table lacks is `unknown`: the request may have been carried out).
   */
  requestError(what: string, providerCode: number, statusText: unknown, httpStatus?: number): SmsError {
    const row = smsRuError(providerCode);
    const hint = row.failure === 'unknown' ? ` ${RECONCILE_HINT}` : '';
    return new SmsError(`${this.provider}: ${what}: ${this.describe(providerCode)}${hint}`, {
      code: row.code,
      provider: this.provider,
      providerCode,
      providerMessage: this.providerText(statusText),
      failure: row.failure,
      httpStatus,
    });
  }

  /** Why SMS.ru refused one recipient, with the row's class and the outcome it implies. */
  recipientError(providerCode: number, statusText: unknown): SentMessageError {
    const row = smsRuError(providerCode);
    const hint = row.failure === 'unknown' ? ` ${RECONCILE_HINT}` : '';
    const error: SentMessageError = {
      code: row.code,
      providerCode,
      message: `${this.describe(providerCode)}${hint}`,
      outcome: row.failure === 'unknown' ? 'unknown' : 'not_sent',
      failure: row.failure,
    };
    const providerMessage = this.providerText(statusText);
    if (providerMessage !== undefined) error.providerMessage = providerMessage;
    return error;
  }

  /** A recipient whose fate the answer does not tell (missing or malformed entry): never resend it. */
  unknownRecipient(why: string): SentMessageError {
    return {
      code: 'BAD_RESPONSE',
      message: `${SMS_ERROR_MESSAGES.BAD_RESPONSE}: ${why}. ${RECONCILE_HINT}`,
      outcome: 'unknown',
      failure: 'unknown',
    };
  }

  private describe(providerCode: number): string {
    const row = smsRuError(providerCode);
    return `${SMS_ERROR_MESSAGES[row.code]} (SMS.ru ${providerCode}: ${row.description})`;
  }

  private providerText(value: unknown): string | undefined {
    if (typeof value !== 'string' || value.trim() === '') return undefined;
    return redact(value, this.secrets, PROVIDER_TEXT_MAX);
  }

  readSend(answer: HttpAnswer, batch: OutgoingMessage[], initial: DeliveryStatus): ChunkAnswer {
    const data = this.envelope(answer, 'send');
    const sms = readMap(data.sms);
    if (sms === undefined) throw this.transport.badResponse(answer, 'send: the answer has no "sms" map');
    const messages = batch.map((m) => this.readRecipient(m, entryOf(sms, m.to), initial));
    const balance = readNumber(data.balance);
    return balance === undefined ? { messages } : { messages, balance };
  }

  readRecipient(message: OutgoingMessage, entry: unknown, initial: DeliveryStatus): SentMessage {
    // Built field by field, not by spreading a base object: this runs once a recipient (10 000 times
    // for a bulk send), and object spread costs an order of magnitude more (see docs/benchmark.md).
    const { to, text } = message;
    const segments = message.segments.segments;
    const code = isJsonObject(entry) ? readInteger(entry.status_code) : undefined;
    if (!isJsonObject(entry) || code === undefined) {
      const why =
        entry === undefined
          ? 'the answer has no entry for this number'
          : 'the entry for this number is malformed';
      return {
        to,
        text,
        segments,
        accepted: false,
        status: 'unknown',
        error: this.unknownRecipient(why),
      };
    }
    const id = readId(entry.sms_id);
    if (entry.status === 'OK' && id !== undefined) {
      const sent: SentMessage = { to, text, segments, accepted: true, id, status: initial };
      const price = readNumber(entry.cost);
      if (price !== undefined) sent.price = price;
      return sent;
    }
    if (entry.status === 'ERROR') {
      const error = this.recipientError(code, entry.status_text);
      const status = RECIPIENT_STATUS[error.failure!];
      return id === undefined
        ? { to, text, segments, accepted: false, status, error }
        : { to, text, segments, accepted: false, id, status, error };
    }
    const error = this.unknownRecipient('the entry for this number is malformed');
    return { to, text, segments, accepted: false, status: 'unknown', error };
  }

  readStatuses(data: JsonObject, answer: HttpAnswer, ids: string[]): ProviderMessageStatus[] {
    const sms = readMap(data.sms);
    if (sms === undefined) throw this.transport.badResponse(answer, 'status: the answer has no "sms" map');
    return ids.map((id) => {
      const entry = entryOf(sms, id);
      const code = isJsonObject(entry) ? readInteger(entry.status_code) : undefined;
      if (!isJsonObject(entry) || code === undefined) {
        throw this.transport.badResponse(answer, `status: no readable entry for message ${id}`);
      }
      const { status } = smsRuStatus(code);
      const result: ProviderMessageStatus = {
        id,
        status,
        final: isFinalStatus(status),
        providerStatus: code,
      };
      const price = readNumber(entry.cost);
      if (price !== undefined) result.price = price;
      if (typeof entry.status_text === 'string' && entry.status_text !== '') {
        result.providerMessage = entry.status_text;
      }
      return result;
    });
  }

  readCost(data: JsonObject, answer: HttpAnswer, batch: OutgoingMessage[]): CostAnswer {
    const sms = readMap(data.sms);
    if (sms === undefined) throw this.transport.badResponse(answer, 'cost: the answer has no "sms" map');
    let reported = true;
    const items = batch.map((m): CostItem => {
      const entry = entryOf(sms, m.to);
      const code = isJsonObject(entry) ? readInteger(entry.status_code) : undefined;
      if (!isJsonObject(entry) || code === undefined) {
        throw this.transport.badResponse(answer, 'cost: a number has no readable entry');
      }
      if (entry.status === 'ERROR') {
        return {
          to: m.to,
          segments: m.segments.segments,
          error: this.recipientError(code, entry.status_text),
        };
      }
      const price = readNumber(entry.cost);
      if (entry.status !== 'OK' || code !== SMSRU_OK || price === undefined) {
        throw this.transport.badResponse(answer, 'cost: an entry has no cost');
      }
      const parts = readInteger(entry.sms);
      if (parts === undefined) reported = false;
      return { to: m.to, segments: parts ?? m.segments.segments, price };
    });
    const total = readNumber(data.total_cost) ?? items.reduce((sum, item) => sum + (item.price ?? 0), 0);
    const totalSms = readInteger(data.total_sms);
    const totalSegments =
      totalSms ?? (reported ? items.reduce((n, item) => n + item.segments, 0) : undefined);
    return totalSegments === undefined ? { items, total } : { items, total, totalSegments };
  }
}

/** What one request of a cost brought back. */
export interface CostAnswer {
  items: CostItem[];
  total: number;
  totalSegments?: number;
}

/**
 * The status of a recipient SMS.ru refused, by the class of its code: `failed` when SMS.ru could not
 * take it now, `unknown` when its code proves nothing, `rejected` for every refusal.
 */
const RECIPIENT_STATUS: Readonly<Record<SmsFailureClass, DeliveryStatus>> = {
  unavailable: 'failed',
  account: 'rejected',
  refused: 'rejected',
  no_route: 'rejected',
  unknown: 'unknown',
};
