import { type SmsRuProviderConfig } from './smsru.config';
import { SmsValidationError } from '../../errors';
import {
  type DeliveryStatus,
  type OutgoingMessage,
  type ProviderCallOptions,
  type ProviderSendRequest,
} from '../../interfaces';
import { normalizePhone, type SmsCountryCode } from '../../message/phone';
import { createProviderTransport } from '../../transport/create-transport';
import { type FormFields, type HttpAnswer, type HttpTransport } from '../../transport/http-transport';
import { type SmsDriverContext } from '../driver-definition';
import { isUrl } from '../shared/config-checks';
import { smsRuCredentials } from './smsru.config';
import { slices } from '../shared/batching';
import { type ChunkAnswer } from '../shared/send-assembly';
import { isJsonObject, type JsonObject, readNumber, SmsRuResponseReader } from './smsru.answers';

/** The SMS.ru API origin. */
export const SMSRU_BASE_URL = 'https://sms.ru';
/** Numbers (or message ids) SMS.ru takes in one request. */
export const SMSRU_MAX_PER_REQUEST = 100;
/** Requests of one call in flight at once, unless `chunkConcurrency` says otherwise. */
export const SMSRU_DEFAULT_CHUNK_CONCURRENCY = 4;

export const DAY_MS = 86_400_000;
/** Ids SMS.ru can take in a comma list. */
export const MESSAGE_ID = /^[^\s,]+$/;

/**
 * The request layer of the SMS.ru driver: the transport, credentials, the `OK` envelope of every
 * call and the request of a send. `SmsRuProvider` adds the operations.
 */
export abstract class SmsRuClient {
  /** The provider's name in the module options. */
  readonly name: string;
  protected readonly config: SmsRuProviderConfig;
  protected readonly transport: HttpTransport;
  protected readonly reader: SmsRuResponseReader;
  protected readonly defaultCountry: SmsCountryCode;
  protected readonly chunkConcurrency: number;

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

  /** Closes the driver's keep-alive sockets. */
  close(): void {
    this.transport.close();
  }

  protected sendChunk(batch: OutgoingMessage[], request: ProviderSendRequest): Promise<ChunkAnswer> {
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
  protected call<T>(
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
      { idempotent: true, signal: options.signal, deadlineAt: options.deadlineAt, retry: options.retry },
    );
  }

  protected credentials(): FormFields {
    return smsRuCredentials(this.config);
  }

  protected requireNumber(value: unknown, answer: HttpAnswer, what: string): number {
    const n = readNumber(value);
    if (n === undefined) throw this.transport.badResponse(answer, what);
    return n;
  }

  /** `used_today`: a number, or `null`/absent for none. */
  protected readUsedToday(data: JsonObject, answer: HttpAnswer, what: string): number {
    if (data.used_today === undefined || data.used_today === null) return 0;
    return this.requireNumber(data.used_today, answer, `${what}: used_today is not a number`);
  }

  /** A list of texts: an array, or a map of texts; absent means empty. */
  protected readStrings(value: unknown, answer: HttpAnswer, what: string): string[] {
    if (value === undefined) return [];
    const list = Array.isArray(value) ? value : isJsonObject(value) ? Object.values(value) : undefined;
    if (list === undefined || !list.every((v): v is string => typeof v === 'string')) {
      throw this.transport.badResponse(answer, `${what}: "${what}" is not a list of texts`);
    }
    return list;
  }

  protected phone(phone: string): string {
    const number = normalizePhone(phone, this.defaultCountry);
    if (number === undefined) {
      throw new SmsValidationError([{ field: 'phone', message: 'is not a valid phone number' }], this.name);
    }
    return number;
  }

  protected checkUrl(url: string): void {
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
export function planSend(messages: readonly OutgoingMessage[]): number[][] {
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
