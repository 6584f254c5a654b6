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
  type CostItem,
  type OutgoingMessage,
  type ProviderCallOptions,
  type ProviderCostResult,
  type ProviderMessageStatus,
  type ProviderSendRequest,
  type ProviderSendResult,
  type SentMessage,
  type SentMessageError,
  type SmsCapability,
  type SmsProvider,
  type SmsProviderLimits,
} from '../../interfaces';
import { countSegments } from '../../message/segments';
import { normalizePhone, type SmsCountryCode } from '../../message/phone';
import {
  createProviderTransport,
  type FormFields,
  type HttpAnswer,
  type HttpTransport,
} from '../../transport';
import { type SmsDriverContext } from '../driver-definition';
import { mapLimited, slices } from '../shared/batching';
import { assembleSend, type ChunkAnswer, recipientErrorOf, roundMoney } from '../shared/send-assembly';
import {
  SmsPilotAnswerError,
  parseAnswer,
  readAccountInfo,
  readBalance,
  readCheckAnswer,
  readCost,
  readError,
  readInbound,
  readSendAnswer,
  type SmsPilotErrorAnswer,
  type SmsPilotMessageEntry,
  type SmsPilotSendAnswer,
} from './smspilot.answers';
import {
  SMSPILOT_ALL_RECIPIENTS_INVALID,
  SMSPILOT_HLR_STATUSES,
  SMSPILOT_ID_NOT_FOUND,
  SMSPILOT_RECIPIENT_REFUSALS,
  SMSPILOT_STATUSES,
  smsPilotError,
} from './smspilot.codes';
import { credentialFields } from './smspilot.config';
import {
  type SmsPilotAccountInfo,
  type SmsPilotCallOptions,
  type SmsPilotHlrResult,
  type SmsPilotInboundFilter,
  type SmsPilotInboundMessage,
  type SmsPilotMessageInput,
  type SmsPilotSubmission,
} from './smspilot.types';

/** SMSPilot's origin; the API is `POST {baseUrl}/api.php`. */
export const SMSPILOT_DEFAULT_BASE_URL = 'https://smspilot.ru';
const API_PATH = '/api.php';
/** Numbers in one send request, and ids in one status check. */
const MAX_NUMBERS_PER_REQUEST = 500;
const DEFAULT_CHUNK_CONCURRENCY = 4;

/** One request of a send: a text and the positions of its numbers in the send. */
interface Chunk {
  text: string;
  indexes: number[];
}

type Call = ProviderCallOptions;
type SendOutcome = { answer: SmsPilotSendAnswer } | { refused: SmsPilotErrorAnswer };
type CostOutcome = { cost: number } | { refused: SmsPilotErrorAnswer };

/** Groups messages by text (first appearance first) and cuts each group to requests of at most `size` numbers. */
function chunkByText(messages: readonly OutgoingMessage[], size: number): Chunk[] {
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
 * The SMSPilot driver (`driver: 'smspilot'`): every call is `POST {baseUrl}/api.php` with a form body
 * holding the credentials and `format=json`.
 *
 * Besides the `SmsProvider` operations it offers SMSPilot's own: account info, inbound messages, HLR
 * and PING requests, voice calls and 2WAY messages.
 *
 * @example
 * const pilot = sms.driver('backup', SmsPilotProvider);
 * const hlr = await pilot.sendHlr('+7 908 796-47-81');
 * const [result] = await pilot.getHlrStatus(hlr.id!);
 */
export class SmsPilotProvider implements SmsProvider {
  readonly capabilities: readonly SmsCapability[] = [
    'send',
    'batch',
    'status',
    'cost',
    'balance',
    'schedule',
    'ttl',
    'testMode',
  ];
  /** SMSPilot takes `ttl` from 10 to 1440 minutes. */
  readonly limits: Partial<SmsProviderLimits> = { ttlMinutes: { min: 10, max: 1440 } };
  /** The provider's name in the module options. */
  readonly name: string;
  private readonly config: SmsPilotProviderConfig;
  private readonly transport: HttpTransport;
  private readonly defaultCountry: SmsCountryCode;
  private readonly chunkConcurrency: number;

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

  /**
   * Sends one request per distinct text (and per 500 numbers), `chunkConcurrency` at a time. A number
   * SMSPilot leaves out of its answer was dropped as invalid: `accepted: false`, `INVALID_PHONE`.
   */
  async send(request: ProviderSendRequest): Promise<ProviderSendResult> {
    return this.submit(request.messages, this.sendFields(request.sender, request), request);
  }

  /**
   * Statuses by id, in the order asked. An id SMSPilot answers 302 ("not found") for when asked alone
   * is `not_found`; one it answered for without listing it is `unknown`, not final.
   */
  async getStatus(ids: string[], options: ProviderCallOptions = {}): Promise<ProviderMessageStatus[]> {
    const { entries, notFound } = await this.check(ids, options);
    return ids.map((id): ProviderMessageStatus => {
      const entry = entries.get(id);
      if (!entry) {
        return notFound.has(id)
          ? { id, status: 'not_found', final: true, providerStatus: SMSPILOT_ID_NOT_FOUND }
          : { id, status: 'unknown', final: false, providerStatus: 'not_listed' };
      }
      const mapping = SMSPILOT_STATUSES[String(entry.status)];
      return {
        id,
        status: mapping?.status ?? 'unknown',
        final: mapping?.final ?? false,
        providerStatus: entry.status,
        ...defined({ price: entry.price, to: entry.phone || undefined }),
      };
    });
  }

  /**
   * The price of a send (`cost=1`, nothing sent). SMSPilot prices a request as a whole, so a
   * recipient's own price is known only when its text goes to it alone.
   */
  async getCost(request: ProviderSendRequest): Promise<ProviderCostResult> {
    const { messages } = request;
    const chunks = chunkByText(messages, MAX_NUMBERS_PER_REQUEST);
    const items = new Array<CostItem>(messages.length);
    const totals = await mapLimited(chunks, this.chunkConcurrency, async (chunk) => {
      const numbers = chunk.indexes.map((i) => messages[i].to);
      const fields = { from: request.sender, cost: 1, send: chunk.text, to: numbers.join(',') };
      const answer = await this.post(
        fields,
        this.parse('not_sent', (json): CostOutcome => {
          const error = readError(json);
          if (!error) return { cost: readCost(json) };
          if (SMSPILOT_ALL_RECIPIENTS_INVALID.has(error.code)) return { refused: error };
          throw this.providerError(error);
        }),
        { ...request, idempotent: true },
      );
      for (const i of chunk.indexes) {
        const item: CostItem = { to: messages[i].to, segments: messages[i].segments.segments };
        if ('refused' in answer) item.error = this.refusal(answer.refused);
        else if (chunk.indexes.length === 1) item.price = answer.cost;
        items[i] = item;
      }
      return 'cost' in answer ? answer.cost : 0;
    });
    return { total: roundMoney(totals.reduce((sum, n) => sum + n, 0)), messages: items };
  }

  /** The balance in RUB (`balance=rur`). */
  async getBalance(options: ProviderCallOptions = {}): Promise<number> {
    const parse = this.parse('not_sent', (json) => readBalance(this.orThrow(json)));
    return this.post({ balance: 'rur' }, parse, { ...options, idempotent: true });
  }

  /** The account behind the credentials: contract, tariff, balance, senders. */
  async getInfo(options: SmsPilotCallOptions = {}): Promise<SmsPilotAccountInfo> {
    const parse = this.parse('not_sent', (json) => readAccountInfo(this.orThrow(json)));
    return this.post({}, parse, { ...options, idempotent: true });
  }

  /**
   * Messages received on the account's numbers: `all`, the unread ones (`new`, which marks them
   * read, so a lost answer is not asked again) or those received since a moment.
   *
   * @example
   * const replies = await pilot.getInbound(new Date(Date.now() - 3_600_000));
   */
  async getInbound(
    filter: SmsPilotInboundFilter,
    options: SmsPilotCallOptions = {},
  ): Promise<SmsPilotInboundMessage[]> {
    const isDate = filter instanceof Date && !Number.isNaN(filter.getTime());
    if (filter !== 'all' && filter !== 'new' && !isDate) {
      throw new SmsValidationError(
        [{ field: 'filter', message: 'must be "all", "new" or a valid Date' }],
        this.name,
      );
    }
    const inbound = filter instanceof Date ? Math.floor(filter.getTime() / 1000) : filter;
    const markedRead = inbound === 'new';
    return this.post(
      { inbound },
      this.parse(markedRead ? 'unknown' : 'not_sent', (json) => readInbound(this.orThrow(json))),
      { ...options, idempotent: !markedRead },
    );
  }

  /** Asks the operator's HLR whether a number is served; read the result with `getHlrStatus(id)`. */
  async sendHlr(phone: string, options: SmsPilotCallOptions = {}): Promise<SentMessage> {
    return this.sendHidden(phone, 'HLR', options);
  }

  /** HLR results by the ids `sendHlr` returned, in the order asked. */
  async getHlrStatus(
    ids: string | string[],
    options: SmsPilotCallOptions = {},
  ): Promise<SmsPilotHlrResult[]> {
    const list = this.ids(ids);
    const { entries, notFound } = await this.check(list, options);
    return list.map((id): SmsPilotHlrResult => {
      const entry = entries.get(id);
      if (!entry && notFound.has(id)) {
        return { id, providerStatus: -2, state: 'failed', final: true, roaming: false };
      }
      if (!entry) return { id, providerStatus: 'not_listed', state: 'unknown', final: false, roaming: false };
      const mapping = SMSPILOT_HLR_STATUSES[String(entry.status)];
      const { imsi, msc, mcc, mnc, cn, net, rcn, rnet } = entry.hlr;
      return {
        id,
        ...defined({ phone: entry.phone || undefined, price: entry.price }),
        providerStatus: entry.status,
        state: mapping?.state ?? 'unknown',
        final: mapping?.final ?? false,
        ...defined({ imsi, msc, mcc, mnc, country: cn, network: net }),
        roaming: rcn !== undefined || rnet !== undefined,
        ...defined({ roamingCountry: rcn, roamingNetwork: rnet }),
      };
    });
  }

  /** Sends a hidden PING message to see whether the handset is on; read it with `getStatus`. */
  async sendPing(phone: string, options: SmsPilotCallOptions = {}): Promise<SentMessage> {
    return this.sendHidden(phone, 'PING', options);
  }

  /** A robot calls the numbers and reads the text out (`from=GOLOS`). */
  async sendVoice(
    input: SmsPilotMessageInput,
    options: SmsPilotCallOptions = {},
  ): Promise<SmsPilotSubmission> {
    return this.sendAs('GOLOS', input, options);
  }

  /** An SMS from a mobile number that the recipient can answer; replies arrive in `getInbound` (`from=2WAY`). */
  async sendTwoWay(
    input: SmsPilotMessageInput,
    options: SmsPilotCallOptions = {},
  ): Promise<SmsPilotSubmission> {
    return this.sendAs('2WAY', input, options);
  }

  /** Closes the keep-alive sockets. */
  close(): void {
    this.transport.close();
  }

  private sendFields(
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

  private async submit(
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

  private async sendChunk(messages: OutgoingMessage[], fields: FormFields, call: Call): Promise<ChunkAnswer> {
    const outcome = await this.post(
      { ...fields, send: messages[0].text, to: messages.map((m) => m.to).join(',') },
      this.parse('unknown', (json): SendOutcome => {
        const error = readError(json);
        if (!error) return { answer: readSendAnswer(json) };
        if (SMSPILOT_ALL_RECIPIENTS_INVALID.has(error.code)) return { refused: error };
        throw this.providerError(error);
      }),
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
  private match(messages: readonly OutgoingMessage[], entries: SmsPilotMessageEntry[]): SentMessage[] {
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

  private fromEntry(m: OutgoingMessage, entry: SmsPilotMessageEntry): SentMessage {
    const common = { ...this.base(m), id: entry.serverId, ...defined({ price: entry.price }) };
    const mapping = SMSPILOT_STATUSES[String(entry.status)];
    if (mapping?.status === 'failed') {
      return { ...common, accepted: false, status: 'failed', error: this.recipientRefusal('-2') };
    }
    return { ...common, accepted: true, status: mapping?.status ?? 'unknown' };
  }

  private base(m: OutgoingMessage) {
    return { to: m.to, text: m.text, segments: m.segments.segments };
  }

  /** A whole-request error that refuses each recipient (111, 215), as each recipient's error. */
  private refusal(error: SmsPilotErrorAnswer): SentMessageError {
    return recipientErrorOf(this.providerError(error));
  }

  /** The error of a recipient refused inside a send answer: status -2, or left out of it. */
  private recipientRefusal(kind: keyof typeof SMSPILOT_RECIPIENT_REFUSALS): SentMessageError {
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
  private async check(ids: string[], call: Call) {
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

  private async sendHidden(
    phone: string,
    text: 'HLR' | 'PING',
    options: SmsPilotCallOptions,
  ): Promise<SentMessage> {
    const details: SmsValidationDetail[] = [];
    const to = this.phone(phone, 'phone', details);
    if (to === undefined) throw new SmsValidationError(details, this.name);
    const message = { to, text, segments: countSegments(text) };
    const fields = this.sendFields(undefined, { test: this.config.test });
    // The callback of an HLR or PING request is no delivery report of an SMS: `fields=message` makes
    // SMSPilot put the text (HLR, PING) in it, so that the webhook endpoint can tell.
    if (typeof fields.callback === 'string')
      fields.callback = withCallbackFields(fields.callback, ['message']);
    const result = await this.submit([message], fields, options);
    return result.messages[0];
  }

  private async sendAs(
    from: 'GOLOS' | '2WAY',
    input: SmsPilotMessageInput,
    options: SmsPilotCallOptions,
  ): Promise<SmsPilotSubmission> {
    const details: SmsValidationDetail[] = [];
    if (input === null || typeof input !== 'object') {
      throw new SmsValidationError([{ field: 'input', message: 'must be an object' }], this.name);
    }
    const list: unknown[] = Array.isArray(input.to) ? input.to : [input.to];
    if (list.length === 0) details.push({ field: 'to', message: 'must name at least one number' });
    const numbers = new Set<string>();
    list.forEach((raw, i) => {
      const phone = this.phone(raw, Array.isArray(input.to) ? `to[${i}]` : 'to', details);
      if (phone !== undefined) numbers.add(phone);
    });
    if (typeof input.text !== 'string' || input.text.trim() === '') {
      details.push({ field: 'text', message: 'must be a non-empty text' });
    }
    if (input.test !== undefined && typeof input.test !== 'boolean') {
      details.push({ field: 'test', message: 'must be a boolean' });
    }
    if (details.length > 0) throw new SmsValidationError(details, this.name);
    const segments = countSegments(input.text);
    const messages = [...numbers].map((to) => ({ to, text: input.text, segments }));
    return this.submit(messages, this.sendFields(from, { test: input.test ?? this.config.test }), options);
  }

  private phone(raw: unknown, field: string, details: SmsValidationDetail[]): string | undefined {
    const phone = typeof raw === 'string' ? normalizePhone(raw, this.defaultCountry) : undefined;
    if (phone === undefined) details.push({ field, message: 'is not a valid phone number' });
    return phone;
  }

  private ids(ids: string | string[]): string[] {
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

  private post<T>(
    fields: FormFields,
    parse: (answer: HttpAnswer) => T,
    options: Call & { idempotent: boolean },
  ): Promise<T> {
    return this.transport.postForm(
      API_PATH,
      { ...credentialFields(this.config), ...fields, format: 'json' },
      parse,
      { idempotent: options.idempotent, signal: options.signal, deadlineAt: options.deadlineAt },
    );
  }

  /** Reads a JSON answer; a shape the API does not promise becomes `BAD_RESPONSE` with this outcome. */
  private parse<T>(
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

  /** The answer itself, or the `SmsError` of its `{"error":…}`. */
  private orThrow(json: Record<string, unknown>): Record<string, unknown> {
    const error = readError(json);
    if (error) throw this.providerError(error);
    return json;
  }

  /** The `SmsError` of an `{"error":…}` answer: code and failure class from the outcome table. */
  private providerError(error: SmsPilotErrorAnswer): SmsError {
    const row = smsPilotError(error.code);
    const text = error.descriptionRu || error.description;
    const hint = row.failure === 'unknown' ? ` ${RECONCILE_HINT}` : '';
    return new SmsError(
      `${this.name}: ${SMS_ERROR_MESSAGES[row.code]} (SMSPilot error ${error.code}: ${row.name})${hint}`,
      {
        code: row.code,
        provider: this.name,
        providerCode: error.code,
        ...defined({ providerMessage: text ? this.transport.excerpt(text) : undefined }),
        failure: row.failure,
      },
    );
  }
}

/**
 * A callback URL whose `fields` parameter (SMSPilot's list of extra callback fields) also names
 * `wanted`.
 */
function withCallbackFields(url: string, wanted: readonly string[]): string {
  const parsed = new URL(url);
  const asked = (parsed.searchParams.get('fields') ?? '').split(',').map((f) => f.trim());
  parsed.searchParams.set('fields', [...new Set([...asked, ...wanted])].filter((f) => f !== '').join(','));
  return parsed.toString();
}

/** The entries of `fields` that are not `undefined`. */
function defined<T extends Record<string, unknown>>(fields: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(fields) as Array<keyof T>) {
    if (fields[key] !== undefined) out[key] = fields[key];
  }
  return out;
}
