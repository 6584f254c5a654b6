import { type SmsPilotProviderConfig } from './smspilot.config';
import {
  RECONCILE_HINT,
  SMS_ERROR_MESSAGES,
  SmsError,
  SmsValidationError,
  type SmsValidationDetail,
} from '../../errors';
import { type SmsOutcome } from '../../errors/sms-error-code';
import {
  type OutgoingMessage,
  type ProviderCallOptions,
  type ProviderSendResult,
  type SentMessage,
  type SentMessageError,
} from '../../interfaces';
import { normalizePhone, type SmsCountryCode } from '../../message/phone';
import {
  createProviderTransport,
  type FormFields,
  type HttpAnswer,
  type HttpTransport,
} from '../../transport';
import { type SmsDriverContext } from '../driver-definition';
import { mapLimited, slices } from '../shared/batching';
import { assembleSend, type ChunkAnswer, recipientErrorOf } from '../shared/send-assembly';
import {
  SmsPilotAnswerError,
  parseAnswer,
  readCheckAnswer,
  readError,
  readSendAnswer,
  smsPilotErrorOf,
  type SmsPilotErrorAnswer,
  type SmsPilotMessageEntry,
} from './smspilot.answers';
import {
  SMSPILOT_ALL_RECIPIENTS_INVALID,
  SMSPILOT_ID_NOT_FOUND,
  SMSPILOT_RECIPIENT_REFUSALS,
  SMSPILOT_STATUSES,
} from './smspilot.codes';
import { credentialFields } from './smspilot.config';

/** SMSPilot's origin; the API is `POST {baseUrl}/api.php`. */
export const SMSPILOT_DEFAULT_BASE_URL = 'https://smspilot.ru';
const API_PATH = '/api.php';
/** Numbers in one send request, and ids in one status check. */
export const MAX_NUMBERS_PER_REQUEST = 500;
const DEFAULT_CHUNK_CONCURRENCY = 4;

/** One request of a send: a text and the positions of its numbers in the send. */
interface Chunk {
  text: string;
  indexes: number[];
}

export type Call = ProviderCallOptions;

/** Groups messages by text (first appearance first) and cuts each group to requests of at most `size` numbers. */
export function chunkByText(messages: readonly OutgoingMessage[], size: number): Chunk[] {
  const groups = new Map<string, number[]>();
  messages.forEach((m, i) => {
    const group = groups.get(m.text);
    if (group) group.push(i);
    else groups.set(m.text, [i]);
  });
  const chunks: Chunk[] = [];
  for (const [text, indexes] of groups) {
    for (let i = 0; i < indexes.length; i += size) chunks.push({ text, indexes: indexes.slice(i, i + size) });
  }
  return chunks;
}

/**
 * The request layer of the SMSPilot driver: the transport, credentials, answer reading and the send
 * of one or more requests. `SmsPilotProvider` adds the operations.
 */
export abstract class SmsPilotClient {
  /** The provider's name in the module options. */
  readonly name: string;
  protected readonly config: SmsPilotProviderConfig;
  protected readonly transport: HttpTransport;
  protected readonly defaultCountry: SmsCountryCode;
  protected readonly chunkConcurrency: number;

  constructor(context: SmsDriverContext<SmsPilotProviderConfig>) {
    this.name = context.name;
    this.config = context.config;
    this.defaultCountry = context.options.defaultCountry;
    this.chunkConcurrency = context.config.chunkConcurrency ?? DEFAULT_CHUNK_CONCURRENCY;
    this.transport = createProviderTransport(context, {
      baseUrl: SMSPILOT_DEFAULT_BASE_URL,
      secrets: [context.config.apiKey, context.config.login, context.config.password],
    });
  }

  /** Closes the keep-alive sockets. */
  close(): void {
    this.transport.close();
  }

  protected sendFields(
    from: string | undefined,
    options: { sendAt?: Date; ttlMinutes?: number; test?: boolean },
  ): FormFields {
    const { callbackUrl } = this.config;
    return {
      from,
      send_datetime: options.sendAt ? Math.floor(options.sendAt.getTime() / 1000) : undefined,
      ttl: options.ttlMinutes,
      test: options.test ? 1 : undefined,
      callback: callbackUrl,
      callback_method: callbackUrl ? (this.config.callbackMethod ?? 'get') : undefined,
    };
  }

  protected async submit(
    messages: readonly OutgoingMessage[],
    fields: FormFields,
    call: Call,
  ): Promise<ProviderSendResult> {
    const chunks = chunkByText(messages, MAX_NUMBERS_PER_REQUEST).map((c) => c.indexes);
    return assembleSend(
      this.name,
      { messages, signal: call.signal },
      chunks,
      this.chunkConcurrency,
      (batch) => this.sendChunk(batch, fields, call),
    );
  }

  protected async sendChunk(
    messages: OutgoingMessage[],
    fields: FormFields,
    call: Call,
  ): Promise<ChunkAnswer> {
    const outcome = await this.post(
      { ...fields, send: messages[0].text, to: messages.map((m) => m.to).join(',') },
      this.parseRefusable('unknown', (json) => ({ answer: readSendAnswer(json) })),
      { ...call, idempotent: false },
    );
    if ('refused' in outcome) {
      const error = this.refusal(outcome.refused);
      return {
        messages: messages.map((m) => ({ ...this.base(m), accepted: false, status: 'failed', error })),
      };
    }
    const { entries, cost, balance } = outcome.answer;
    return { messages: this.match(messages, entries), ...defined({ cost, balance }) };
  }

  /**
   * Pairs the answer's entries with the numbers asked, by phone. A number missing from the answer was
   * dropped as invalid, unless the answer also lists numbers that were not asked: then a missing
   * number may be one of those, so its outcome is unknown.
   */
  protected match(messages: readonly OutgoingMessage[], entries: SmsPilotMessageEntry[]): SentMessage[] {
    const asked = new Set(messages.map((m) => m.to));
    const byPhone = new Map<string, SmsPilotMessageEntry>();
    let strangers = 0;
    for (const entry of entries) {
      if (asked.has(entry.phone) && !byPhone.has(entry.phone)) byPhone.set(entry.phone, entry);
      else strangers++;
    }
    return messages.map((m): SentMessage => {
      const entry = byPhone.get(m.to);
      if (entry) return this.fromEntry(m, entry);
      if (strangers > 0) {
        return {
          ...this.base(m),
          accepted: false,
          status: 'unknown',
          error: {
            code: 'BAD_RESPONSE',
            message: `${this.name}: SMSPilot's answer left this number out but listed ${strangers} number(s) that were not asked for. ${RECONCILE_HINT}`,
            outcome: 'unknown',
            failure: 'unknown',
          },
        };
      }
      return { ...this.base(m), accepted: false, status: 'failed', error: this.recipientRefusal('dropped') };
    });
  }

  protected fromEntry(m: OutgoingMessage, entry: SmsPilotMessageEntry): SentMessage {
    const common = { ...this.base(m), id: entry.serverId, ...defined({ price: entry.price }) };
    const mapping = SMSPILOT_STATUSES[String(entry.status)];
    if (mapping?.status === 'failed') {
      return { ...common, accepted: false, status: 'failed', error: this.recipientRefusal('-2') };
    }
    return { ...common, accepted: true, status: mapping?.status ?? 'unknown' };
  }

  protected base(m: OutgoingMessage) {
    return { to: m.to, text: m.text, segments: m.segments.segments };
  }

  /** A whole-request error that refuses each recipient (111, 215), as each recipient's error. */
  protected refusal(error: SmsPilotErrorAnswer): SentMessageError {
    return recipientErrorOf(this.providerError(error));
  }

  /** The error of a recipient refused inside a send answer: status -2, or left out of it. */
  protected recipientRefusal(kind: keyof typeof SMSPILOT_RECIPIENT_REFUSALS): SentMessageError {
    const row = SMSPILOT_RECIPIENT_REFUSALS[kind];
    const error: SentMessageError = {
      code: row.code,
      message: `${SMS_ERROR_MESSAGES[row.code]} (SMSPilot: ${row.name})`,
      outcome: 'not_sent',
      failure: row.failure,
    };
    if (kind === '-2') error.providerCode = -2;
    return error;
  }

  /**
   * `check` in requests of at most 500 ids: the entries by id, and the ids SMSPilot does not know.
   * A check of many ids that answers 302 ("not found") or leaves ids out does not say which ids it
   * does not know, so each id left without an entry is asked again alone; only a 302 for one id
   * alone puts it in `notFound`.
   */
  protected async check(ids: string[], call: Call) {
    const entries = new Map<string, SmsPilotMessageEntry>();
    const notFound = new Set<string>();
    const again = new Set<string>();
    const ask = async (chunk: string[]) => {
      const listed = await this.post(
        { check: chunk.join(',') },
        this.parse('not_sent', (json) => {
          const error = readError(json);
          if (!error) return readCheckAnswer(json);
          if (error.code === SMSPILOT_ID_NOT_FOUND) return undefined;
          throw this.providerError(error);
        }),
        { ...call, idempotent: true },
      );
      if (listed === undefined && chunk.length === 1) notFound.add(chunk[0]);
      const asked = new Set(chunk);
      for (const entry of listed ?? []) {
        if (asked.has(entry.serverId) && !entries.has(entry.serverId)) entries.set(entry.serverId, entry);
      }
      if (chunk.length > 1) for (const id of chunk) if (!entries.has(id)) again.add(id);
    };
    await mapLimited(slices(ids, MAX_NUMBERS_PER_REQUEST), this.chunkConcurrency, ask);
    await mapLimited([...again], this.chunkConcurrency, (id) => ask([id]));
    return { entries, notFound };
  }

  protected phone(raw: unknown, field: string, details: SmsValidationDetail[]): string | undefined {
    const phone = typeof raw === 'string' ? normalizePhone(raw, this.defaultCountry) : undefined;
    if (phone === undefined) details.push({ field, message: 'is not a valid phone number' });
    return phone;
  }

  protected ids(ids: string | string[]): string[] {
    const list = (Array.isArray(ids) ? ids : [ids]).map((id) => (typeof id === 'string' ? id.trim() : ''));
    const bad = list.findIndex((id) => id === '');
    if (list.length === 0 || bad >= 0) {
      throw new SmsValidationError(
        [{ field: bad >= 0 ? `ids[${bad}]` : 'ids', message: 'must be non-empty ids' }],
        this.name,
      );
    }
    return [...new Set(list)];
  }

  protected post<T>(
    fields: FormFields,
    parse: (answer: HttpAnswer) => T,
    options: Call & { idempotent: boolean },
  ): Promise<T> {
    return this.transport.postForm(
      API_PATH,
      { ...credentialFields(this.config), ...fields, format: 'json' },
      parse,
      {
        idempotent: options.idempotent,
        signal: options.signal,
        deadlineAt: options.deadlineAt,
        retry: options.retry,
      },
    );
  }

  /** Reads a JSON answer; a shape the API does not promise becomes `BAD_RESPONSE` with this outcome. */
  protected parse<T>(
    outcome: SmsOutcome,
    read: (json: Record<string, unknown>) => T,
  ): (answer: HttpAnswer) => T {
    return (answer) => {
      try {
        return read(parseAnswer(answer.body));
      } catch (e) {
        if (e instanceof SmsPilotAnswerError) {
          throw this.transport.badResponse(
            answer,
            `SMSPilot answered an unexpected shape: ${e.message}`,
            outcome,
          );
        }
        throw e;
      }
    };
  }

  /**
   * Reads an answer in which an error that refuses every recipient (111, 215) is a result for each
   * of them, not a thrown error; any other error throws.
   */
  protected parseRefusable<T>(
    outcome: SmsOutcome,
    read: (json: Record<string, unknown>) => T,
  ): (answer: HttpAnswer) => T | { refused: SmsPilotErrorAnswer } {
    return this.parse(outcome, (json) => {
      const error = readError(json);
      if (!error) return read(json);
      if (SMSPILOT_ALL_RECIPIENTS_INVALID.has(error.code)) return { refused: error };
      throw this.providerError(error);
    });
  }

  /** The answer itself, or the `SmsError` of its `{"error":…}`. */
  protected orThrow(json: Record<string, unknown>): Record<string, unknown> {
    const error = readError(json);
    if (error) throw this.providerError(error);
    return json;
  }

  /** The `SmsError` of an `{"error":…}` answer. */
  protected providerError(error: SmsPilotErrorAnswer): SmsError {
    return smsPilotErrorOf(this.name, error, (text) => this.transport.excerpt(text));
  }
}

/** The entries of `fields` that are not `undefined`. */
export function defined<T extends Record<string, unknown>>(fields: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(fields) as Array<keyof T>) {
    if (fields[key] !== undefined) out[key] = fields[key];
  }
  return out;
}
