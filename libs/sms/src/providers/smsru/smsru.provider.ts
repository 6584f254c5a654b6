import { type SmsRuProviderConfig } from './smsru.config';
import { SmsError, SmsValidationError, type SmsValidationDetail } from '../../errors';
import {
  type CostItem,
  type DeliveryStatus,
  type OutgoingMessage,
  type ProviderCallOptions,
  type ProviderCostResult,
  type ProviderMessageStatus,
  type ProviderSendRequest,
  type ProviderSendResult,
  type SmsCapability,
  type SmsProvider,
  type SmsProviderLimits,
} from '../../interfaces';
import { normalizePhone, type SmsCountryCode } from '../../message/phone';
import { createProviderTransport } from '../../transport/create-transport';
import { type FormFields, type HttpAnswer, type HttpTransport } from '../../transport/http-transport';
import { type SmsDriverContext } from '../driver-definition';
import { isUrl } from '../shared/config-checks';
import { smsRuCredentials } from './smsru.config';
import { mapLimited, slices } from '../shared/batching';
import { assembleSend, type ChunkAnswer, roundMoney } from '../shared/send-assembly';
import { isJsonObject, type JsonObject, readMap, readNumber, SmsRuResponseReader } from './smsru.answers';
import { type SmsRuFreeMessages, type SmsRuLimit, type SmsRuStoplistEntry } from './smsru.types';

/** The SMS.ru API origin. */
export const SMSRU_BASE_URL = 'https://sms.ru';
/** Numbers (or message ids) SMS.ru takes in one request. */
export const SMSRU_MAX_PER_REQUEST = 100;
/** Requests of one call in flight at once, unless `chunkConcurrency` says otherwise. */
export const SMSRU_DEFAULT_CHUNK_CONCURRENCY = 4;

const DAY_MS = 86_400_000;
/** Ids SMS.ru can take in a comma list. */
const MESSAGE_ID = /^[^\s,]+$/;

/**
 * The SMS.ru driver (`driver: 'smsru'`): sends, statuses, cost, balance, and the account operations
 * (auth check, limits, senders, stop list, callbacks) over `POST https://sms.ru/<method>?json=1`,
 * credentials in the form body.
 *
 * Sends of more than 100 numbers go out as requests of at most 100, `chunkConcurrency` at once, and
 * come back as one result in input order.
 *
 * @example
 * const smsru = sms.driver('main', SmsRuProvider);
 * await smsru.addToStoplist('+7 925 507-06-02', 'asked to stop');
 * const { total, usedToday } = await smsru.getLimit();
 */
export class SmsRuProvider implements SmsProvider {
  readonly capabilities: readonly SmsCapability[] = [
    'send',
    'batch',
    'status',
    'cost',
    'balance',
    'schedule',
    'ttl',
    'translit',
    'daytime',
    'clientIp',
    'testMode',
  ];
  /** At most 8 parts a text (code 205), `sendAt` at most 60 days ahead, `ttlMinutes` 1–1440. */
  readonly limits: Partial<SmsProviderLimits> = {
    maxParts: 8,
    maxScheduleAheadMs: 60 * DAY_MS,
    ttlMinutes: { min: 1, max: 1440 },
  };
  /** The provider's name in the module options. */
  readonly name: string;
  private readonly config: SmsRuProviderConfig;
  private readonly transport: HttpTransport;
  private readonly reader: SmsRuResponseReader;
  private readonly defaultCountry: SmsCountryCode;
  private readonly chunkConcurrency: number;

  constructor(context: SmsDriverContext<SmsRuProviderConfig>) {
    const { name, config } = context;
    const secrets = [config.apiId, config.login, config.password];
    this.name = name;
    this.config = config;
    this.transport = createProviderTransport(context, { baseUrl: SMSRU_BASE_URL, secrets });
    this.reader = new SmsRuResponseReader(
      name,
      this.transport,
      secrets.filter((s): s is string => typeof s === 'string' && s.length > 0),
    );
    this.defaultCountry = context.options.defaultCountry;
    this.chunkConcurrency = config.chunkConcurrency ?? SMSRU_DEFAULT_CHUNK_CONCURRENCY;
  }

  /**
   * Sends through `sms/send`: one text as `to=<list>&msg=`, different texts as `to[<number>]=<text>`.
   * A refused recipient is `accepted: false` in place; a request refused as a whole throws, unless
   * other requests of the same call went through, in which case its recipients carry its error.
   */
  async send(request: ProviderSendRequest): Promise<ProviderSendResult> {
    if (request.messages.length === 0) return { messages: [] };
    return assembleSend(this.name, request, planSend(request.messages), this.chunkConcurrency, (batch) =>
      this.sendChunk(batch, request),
    );
  }

  /** Statuses through `sms/status`, 100 ids a request; in the order of `ids`. */
  async getStatus(ids: string[], options: ProviderCallOptions = {}): Promise<ProviderMessageStatus[]> {
    const bad = ids.findIndex((id) => typeof id !== 'string' || !MESSAGE_ID.test(id));
    if (bad >= 0) {
      throw new SmsValidationError(
        [{ field: `ids[${bad}]`, message: 'must be an SMS.ru message id' }],
        this.name,
      );
    }
    const parts = await mapLimited(slices(ids, SMSRU_MAX_PER_REQUEST), this.chunkConcurrency, (batch) =>
      this.call('sms/status', 'status', { sms_id: batch.join(',') }, options, (data, answer) =>
        this.reader.readStatuses(data, answer, batch),
      ),
    );
    return parts.flat();
  }

  /** What a send would cost, through `sms/cost`, 100 numbers a request; the text goes as `msg`, as in a send. */
  async getCost(request: ProviderSendRequest): Promise<ProviderCostResult> {
    const { messages } = request;
    const groups = new Map<string, number[]>();
    messages.forEach((m, i) => groups.set(m.text, [...(groups.get(m.text) ?? []), i]));
    const chunks = [...groups.values()].flatMap((indexes) => slices(indexes, SMSRU_MAX_PER_REQUEST));
    const answers = await mapLimited(chunks, this.chunkConcurrency, (indexes) => {
      const batch = indexes.map((i) => messages[i]);
      const fields: FormFields = {
        to: batch.map((m) => m.to).join(','),
        msg: batch[0].text,
        from: request.sender,
        translit: request.translit ? 1 : undefined,
      };
      const options = { signal: request.signal, deadlineAt: request.deadlineAt };
      return this.call('sms/cost', 'cost', fields, options, (data, answer) =>
        this.reader.readCost(data, answer, batch),
      );
    });
    const items = new Array<CostItem>(messages.length);
    answers.forEach((answer, c) => chunks[c].forEach((i, k) => (items[i] = answer.items[k])));
    const segments = answers.map((a) => a.totalSegments);
    const result: ProviderCostResult = {
      total: roundMoney(answers.reduce((sum, a) => sum + a.total, 0)),
      messages: items,
    };
    if (segments.every((n) => n !== undefined)) result.totalSegments = segments.reduce((a, b) => a + b, 0);
    return result;
  }

  /** The account balance in RUB (`my/balance`). */
  async getBalance(options: ProviderCallOptions = {}): Promise<number> {
    return this.call('my/balance', 'balance', {}, options, (data, answer) => {
      const balance = readNumber(data.balance);
      if (balance === undefined)
        throw this.transport.badResponse(answer, 'balance: the answer has no balance');
      return balance;
    });
  }

  /**
   * Whether SMS.ru accepts the configured credentials (`auth/check`): `false` for an `AUTH` answer,
   * an error for anything else that goes wrong.
   */
  async checkAuth(options: ProviderCallOptions = {}): Promise<boolean> {
    try {
      return await this.call('auth/check', 'auth check', {}, options, () => true);
    } catch (e) {
      if (e instanceof SmsError && e.code === 'AUTH') return false;
      throw e;
    }
  }

  /** The daily sending limit and what is used of it today (`my/limit`). */
  async getLimit(options: ProviderCallOptions = {}): Promise<SmsRuLimit> {
    return this.call('my/limit', 'limit', {}, options, (data, answer) => ({
      total: this.requireNumber(data.total_limit, answer, 'limit: the answer has no total_limit'),
      usedToday: this.readUsedToday(data, answer, 'limit'),
    }));
  }

  /** The free messages to the account's own number and what is used of them today (`my/free`). */
  async getFree(options: ProviderCallOptions = {}): Promise<SmsRuFreeMessages> {
    return this.call('my/free', 'free', {}, options, (data, answer) => ({
      total: this.requireNumber(data.total_free, answer, 'free: the answer has no total_free'),
      usedToday: this.readUsedToday(data, answer, 'free'),
    }));
  }

  /** The account's approved sender names (`my/senders`); empty when it has none. */
  async getSenders(options: ProviderCallOptions = {}): Promise<string[]> {
    return this.call('my/senders', 'senders', {}, options, (data, answer) =>
      this.readStrings(data.senders, answer, 'senders'),
    );
  }

  /** Adds a number to the account's stop list (`stoplist/add`); nothing is sent to it afterwards. */
  async addToStoplist(phone: string, note: string, options: ProviderCallOptions = {}): Promise<void> {
    const details: SmsValidationDetail[] = [];
    const number = normalizePhone(phone, this.defaultCountry);
    if (number === undefined) details.push({ field: 'phone', message: 'is not a valid phone number' });
    if (typeof note !== 'string' || note.trim() === '')
      details.push({ field: 'note', message: 'must be a non-empty text' });
    if (details.length > 0) throw new SmsValidationError(details, this.name);
    const fields = { stoplist_phone: number, stoplist_text: note };
    await this.call('stoplist/add', 'stop list add', fields, options, () => undefined);
  }

  /** Removes a number from the account's stop list (`stoplist/del`). */
  async removeFromStoplist(phone: string, options: ProviderCallOptions = {}): Promise<void> {
    const number = this.phone(phone);
    await this.call('stoplist/del', 'stop list remove', { stoplist_phone: number }, options, () => undefined);
  }

  /** The account's stop list (`stoplist/get`). */
  async getStoplist(options: ProviderCallOptions = {}): Promise<SmsRuStoplistEntry[]> {
    return this.call('stoplist/get', 'stop list', {}, options, (data, answer) => {
      const map = data.stoplist === undefined ? {} : readMap(data.stoplist);
      if (map === undefined) throw this.transport.badResponse(answer, 'stop list: "stoplist" is not a map');
      return Object.entries(map).map(([phone, note]) => {
        if (typeof note !== 'string' && note !== null) {
          throw this.transport.badResponse(answer, 'stop list: a note is not a text');
        }
        return { phone, note: note ?? '' };
      });
    });
  }

  /** Registers a delivery callback URL (`callback/add`); resolves to every registered URL. */
  async addCallback(url: string, options: ProviderCallOptions = {}): Promise<string[]> {
    this.checkUrl(url);
    return this.call('callback/add', 'callback add', { url }, options, (data, answer) =>
      this.readStrings(data.callback, answer, 'callback'),
    );
  }

  /** Removes a delivery callback URL (`callback/del`); resolves to the URLs still registered. */
  async removeCallback(url: string, options: ProviderCallOptions = {}): Promise<string[]> {
    this.checkUrl(url);
    return this.call('callback/del', 'callback remove', { url }, options, (data, answer) =>
      this.readStrings(data.callback, answer, 'callback'),
    );
  }

  /** The registered delivery callback URLs (`callback/get`). */
  async getCallbacks(options: ProviderCallOptions = {}): Promise<string[]> {
    return this.call('callback/get', 'callbacks', {}, options, (data, answer) =>
      this.readStrings(data.callback, answer, 'callback'),
    );
  }

  /** Closes the driver's keep-alive sockets. */
  close(): void {
    this.transport.close();
  }

  private sendChunk(batch: OutgoingMessage[], request: ProviderSendRequest): Promise<ChunkAnswer> {
    const fields: FormFields = {};
    const text = batch[0].text;
    if (batch.every((m) => m.text === text)) {
      fields.to = batch.map((m) => m.to).join(',');
      fields.msg = text;
    } else {
      for (const m of batch) fields[`to[${m.to}]`] = m.text;
    }
    Object.assign(fields, {
      from: request.sender,
      time: request.sendAt ? Math.floor(request.sendAt.getTime() / 1000) : undefined,
      ttl: request.ttlMinutes,
      daytime: request.daytime ? 1 : undefined,
      translit: request.translit ? 1 : undefined,
      test: (request.test ?? this.config.test) ? 1 : undefined,
      ip: request.clientIp,
      partner_id: this.config.partnerId,
      ...this.credentials(),
    });
    const initial: DeliveryStatus =
      request.sendAt && !request.daytime && request.sendAt.getTime() > Date.now() ? 'scheduled' : 'queued';
    return this.transport.postForm(
      '/sms/send?json=1',
      fields,
      (answer) => this.reader.readSend(answer, batch, initial),
      {
        idempotent: false,
        signal: request.signal,
        deadlineAt: request.deadlineAt,
      },
    );
  }

  /** POSTs one read or account call (repeatable) and reads its `OK` envelope. */
  private call<T>(
    method: string,
    what: string,
    fields: FormFields,
    options: ProviderCallOptions,
    read: (data: JsonObject, answer: HttpAnswer) => T,
  ): Promise<T> {
    return this.transport.postForm(
      `/${method}?json=1`,
      { ...fields, ...this.credentials() },
      (answer) => read(this.reader.envelope(answer, what), answer),
      { idempotent: true, signal: options.signal, deadlineAt: options.deadlineAt },
    );
  }

  private credentials(): FormFields {
    return smsRuCredentials(this.config);
  }

  private requireNumber(value: unknown, answer: HttpAnswer, what: string): number {
    const n = readNumber(value);
    if (n === undefined) throw this.transport.badResponse(answer, what);
    return n;
  }

  /** `used_today`: a number, or `null`/absent for none. */
  private readUsedToday(data: JsonObject, answer: HttpAnswer, what: string): number {
    if (data.used_today === undefined || data.used_today === null) return 0;
    return this.requireNumber(data.used_today, answer, `${what}: used_today is not a number`);
  }

  /** A list of texts: an array, or a map of texts; absent means empty. */
  private readStrings(value: unknown, answer: HttpAnswer, what: string): string[] {
    if (value === undefined) return [];
    const list = Array.isArray(value) ? value : isJsonObject(value) ? Object.values(value) : undefined;
    if (list === undefined || !list.every((v): v is string => typeof v === 'string')) {
      throw this.transport.badResponse(answer, `${what}: "${what}" is not a list of texts`);
    }
    return list;
  }

  private phone(phone: string): string {
    const number = normalizePhone(phone, this.defaultCountry);
    if (number === undefined) {
      throw new SmsValidationError([{ field: 'phone', message: 'is not a valid phone number' }], this.name);
    }
    return number;
  }

  private checkUrl(url: string): void {
    if (!isUrl(url)) {
      throw new SmsValidationError(
        [{ field: 'url', message: 'must be an http:// or https:// URL' }],
        this.name,
      );
    }
  }
}

/**
 * Splits a send into requests of at most 100 numbers, each number at most once a request (the k-th
 * text for a number goes into the k-th round of requests). Returns message indexes.
 */
function planSend(messages: readonly OutgoingMessage[]): number[][] {
  if (messages.length === 1) return [[0]];
  const rounds: number[][] = [];
  const seen = new Map<string, number>();
  messages.forEach((m, i) => {
    const round = seen.get(m.to) ?? 0;
    seen.set(m.to, round + 1);
    (rounds[round] ??= []).push(i);
  });
  return rounds.flatMap((round) => slices(round, SMSRU_MAX_PER_REQUEST));
}
