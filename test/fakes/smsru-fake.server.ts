import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { countSegments } from 'nestjs-sms';
import { type SmsRuProviderConfig } from 'nestjs-sms/driver';
import {
  FakeHttpServer,
  type FakeHttpServerOptions,
  type FakeReply,
  type RecordedRequest,
} from './fake-http-server';

/** Where the responses recorded against the live SMS.ru API are kept (`shared/` beside the repository). */
export const SMSRU_RECORDED_PATH = resolve(__dirname, '../../../shared/fixtures/smsru-recorded.json');

/** The placeholder of the api_id in the recordings. */
const RECORDED_API_ID = '<API_ID>';
const CREDENTIAL_FIELDS = ['api_id', 'login', 'password'];

/** One request and its answer, recorded against the live API. */
export interface SmsRuRecording {
  /** The group of the recording file (`deliver_single`, `balance`, …). */
  group: string;
  method: string;
  /** `/sms/send` */
  path: string;
  /** `json=1` */
  query: string;
  /** The recorded body, api_id as `<API_ID>`. */
  body: string;
  status: number;
  contentType: string;
  responseBody: string;
}

interface RecordingFile {
  [group: string]: Array<{
    request: { method: string; uri: string; body: string };
    response: { status: number; content_type: string; body: string };
  }>;
}

/** Reads the recordings of the live SMS.ru API. */
export function loadSmsRuRecordings(path = SMSRU_RECORDED_PATH): SmsRuRecording[] {
  const file = JSON.parse(readFileSync(path, 'utf8')) as RecordingFile;
  return Object.entries(file)
    .filter(([group]) => !group.startsWith('_'))
    .flatMap(([group, list]) =>
      list.map(({ request, response }) => {
        const url = new URL(request.uri);
        return {
          group,
          method: request.method,
          path: url.pathname,
          query: url.search.slice(1),
          body: request.body,
          status: response.status,
          contentType: response.content_type,
          responseBody: response.body,
        };
      }),
    );
}

/** `status_text` of every code of the SMS.ru table, as SMS.ru writes it. */
export const SMSRU_CODE_TEXTS: Readonly<Record<number, string>> = {
  [-1]: 'Сообщение не найдено',
  100: 'Запрос выполнен или сообщение находится в нашей очереди',
  101: 'Сообщение передается оператору',
  102: 'Сообщение отправлено (в пути)',
  103: 'Сообщение доставлено',
  104: 'Не может быть доставлено: время жизни истекло',
  105: 'Не может быть доставлено: удалено оператором',
  106: 'Не может быть доставлено: сбой в телефоне',
  107: 'Не может быть доставлено: неизвестная причина',
  108: 'Не может быть доставлено: отклонено',
  110: 'Сообщение прочитано (для Viber, временно не работает)',
  150: 'Не может быть доставлено: не найден маршрут на данный номер',
  200: 'Неправильный api_id',
  201: 'Не хватает средств на лицевом счету',
  202: 'Неправильно указан номер телефона получателя, либо на него нет маршрута',
  203: 'Нет текста сообщения',
  204: 'Вы не подключили данного оператора на данном отправителе (а также запасном или отправителе по умолчанию). Подайте заявку через раздел Отправители.',
  205: 'Сообщение слишком длинное (превышает 8 СМС)',
  206: 'Будет превышен или уже превышен дневной лимит на отправку сообщений',
  207: 'На этот номер нет маршрута для доставки сообщений',
  208: 'Параметр time указан неправильно',
  209: 'Вы добавили этот номер (или один из номеров) в стоп-лист',
  210: 'Используется GET, где необходимо использовать POST',
  211: 'Метод не найден',
  212: 'Текст сообщения необходимо передать в кодировке UTF-8 (вы передали в другой кодировке)',
  213: 'Указано более 5000 номеров в списке получателей',
  214: 'Номер находится за рубежом (включена настройка "Отправлять только на номера РФ")',
  215: 'Этот номер находится в стоп-листе SMS.RU (от получателя поступала жалоба на спам)',
  216: 'В тексте сообщения содержится запрещенное слово',
  217: 'В тексте сообщения содержится реклама кредита, но нет фразы "Оцените свои финансовые возможности и риски"',
  220: 'Сервис временно недоступен, попробуйте чуть позже',
  221: 'Для работы с нашим сервисом, необходимо создать буквенного отправителя, соответствующего вашему сайту, названию юр. лица или товарному знаку - https://sms.ru/?panel=senders',
  230: 'Превышен общий лимит количества сообщений на этот номер в день',
  231: 'Превышен лимит одинаковых сообщений на этот номер в минуту',
  232: 'Превышен лимит одинаковых сообщений на этот номер в день',
  233: 'Превышен лимит отправки повторных сообщений с кодом на этот номер за короткий промежуток времени ("защита от мошенников", можно отключить в разделе "Настройки")',
  300: 'Неправильный token (возможно истек срок действия, либо ваш IP изменился)',
  301: 'Неправильный api_id, либо логин/пароль',
  302: 'Пользователь авторизован, но аккаунт не подтвержден (пользователь не ввел код, присланный в регистрационной смс)',
  303: 'Код подтверждения неверен',
  304: 'Отправлено слишком много кодов подтверждения. Пожалуйста, повторите запрос позднее',
  305: 'Слишком много неверных вводов кода, повторите попытку позднее',
  500: 'Ошибка на сервере. Повторите запрос.',
  501: 'Превышен лимит: IP пользователя из сети TOR, слишком много таких сообщений за короткий промежуток времени (можно настроить в ЛК).',
  502: 'Превышен лимит: IP пользователя не совпадает с его страной, слишком много таких сообщений за короткий промежуток времени (можно настроить в ЛК).',
  503: 'Превышен лимит: Слишком много сообщений в эту страну за короткий промежуток времени (можно настроить в ЛК).',
  504: 'Превышен лимит: Слишком много кодов авторизаций зарубеж за короткий промежуток времени (можно настроить в ЛК).',
  505: 'Превышен лимит: Слишком много сообщений на один IP адрес (можно настроить в ЛК).',
  506: 'Превышен лимит: Слишком много сообщений, где IP адрес конечного пользователя принадлежит хостинговой компании (%s за последние 10 минут). Обычно это указывает на то, что запросы идут от ботов, а не пользователей.',
  507: 'IP адрес пользователя указан неверно, либо идет из частной подсети (192.*, 10.*, итд). Вы можете добавить его (или подсеть) в исключения - https://sms.ru/?panel=settings&subpanel=send',
  508: 'Превышен лимит: Превышено количество допустимых звонков за 5 минут (принято запросов на звонки - %s, лимит - %s). Изменить настройку - https://sms.ru/?',
  550: 'Страна заблокирована в целях безопасности',
  901: 'Callback: URL неверный (не начинается на http://)',
  902: 'Callback: Обработчик не найден (возможно был удален ранее)',
};

/** Every error code of the seed's table. */
export const SMSRU_SEED_ERROR_CODES: readonly number[] = Object.keys(SMSRU_CODE_TEXTS)
  .map(Number)
  .filter((code) => code >= 200);
/** Every message status code of the seed's table. */
export const SMSRU_SEED_STATUS_CODES: readonly number[] = Object.keys(SMSRU_CODE_TEXTS)
  .map(Number)
  .filter((code) => code < 200)
  .sort((a, b) => a - b);

/**
 * How the fake answers for one number of `sms/send` or `sms/cost`:
 * - `{ code }`: `100` accepts it, another code refuses it (`withId` adds an `sms_id` to the refusal,
 *   as the live API does);
 * - `'omit'`: the number is missing from the answer's `sms` map;
 * - `{ raw }`: its entry is this value, as is (malformed entries).
 */
export type SmsRuRecipientRule =
  { code: number; withId?: boolean; statusText?: string } | 'omit' | { raw: unknown };

/** Settings of the fake; every one can be changed later on the instance. */
export interface SmsRuFakeOptions {
  /** The api_id the fake accepts. Default `fake-api-id-0123456789`. */
  apiId?: string;
  /** The login and password the fake accepts instead. */
  login?: string;
  password?: string;
  /** Account balance in RUB. Default 1000 (as recorded). */
  balance?: number;
  /** Price of one SMS part in RUB. Default 1.5. */
  pricePerPart?: number;
  /** Answer the recorded requests with the recorded bodies. Default `true`. */
  replayRecorded?: boolean;
  /** Status of a message sent through the fake, when no sequence is set. Default 103 (delivered). */
  defaultStatus?: number;
  /** How long every answer takes, in ms. Default 0. */
  latencyMs?: number;
  /** Settings of the HTTP server (HTTPS with `tls`). */
  server?: FakeHttpServerOptions;
}

/** A message the fake accepted. */
export interface SmsRuFakeMessage {
  id: string;
  to: string;
  text: string;
  parts: number;
  test: boolean;
  from?: string;
}

/** A float as PHP prints it in JSON (`1000.0`). */
class PhpFloat {
  constructor(readonly value: number) {}
}

/**
 * JSON as SMS.ru prints it (PHP `JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE`): four-space indent,
 * `\/` for slashes, floats with a decimal point. Key order is kept (`Map` for number keys).
 */
export function smsRuJson(value: unknown, indent = ''): string {
  if (value instanceof PhpFloat)
    return Number.isInteger(value.value) ? value.value.toFixed(1) : String(value.value);
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value).replace(/\//g, '\\/');
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const inner = `${indent}    `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => inner + smsRuJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = (value instanceof Map ? [...value.entries()] : Object.entries(value as object)).filter(
    ([, v]) => v !== undefined,
  );
  if (entries.length === 0) return '{}';
  const lines = entries.map(([k, v]) => `${inner}${smsRuJson(String(k))}: ${smsRuJson(v, inner)}`);
  return `{\n${lines.join(',\n')}\n${indent}}`;
}

/** Parsed recipients of a send or cost request. */
interface Recipients {
  list: Array<{ to: string; text: string | null }>;
}

const METHODS = new Set([
  '/sms/send',
  '/sms/status',
  '/sms/cost',
  '/my/balance',
  '/my/limit',
  '/my/free',
  '/my/senders',
  '/auth/check',
  '/stoplist/add',
  '/stoplist/del',
  '/stoplist/get',
  '/callback/add',
  '/callback/del',
  '/callback/get',
]);
const MAX_PER_REQUEST = 100;
const TWO_MONTHS_S = 62 * 86_400;

/**
 * A fake SMS.ru on 127.0.0.1. It answers the recorded requests with the live bodies byte for byte, and
 * everything else as the seed describes, in the same JSON layout. Per-number outcomes, status
 * sequences, whole-request error codes, balance, limits, senders, stop list and callbacks are
 * settable, so any test can stage what it needs; `server` gives the raw fakes (resets, hangs, scripted
 * bodies).
 *
 * @example
 * const fake = await SmsRuFake.start();
 * fake.recipient('79255070602', { code: 207 });
 * fake.failRequests('sms/send', 220, 1);
 * fake.statusSequence('202626-1000000', [100, 102, 103]);
 */
export class SmsRuFake {
  apiId: string;
  login?: string;
  password?: string;
  balance: number;
  pricePerPart: number;
  replayRecorded: boolean;
  defaultStatus: number;
  latencyMs: number;
  /** `my/limit` */
  limit: { total: number; usedToday: number } = { total: 10, usedToday: 0 };
  /** `my/free` (`usedToday: null` as recorded for an account that used none). */
  free: { total: number; usedToday: number | null } = { total: 5, usedToday: null };
  /** Approved senders; when not empty, a `from` outside it is refused per number with 204. */
  senders: string[] = [];
  /** The account's stop list: number → note. */
  readonly stoplist = new Map<string, string>();
  readonly callbacks: string[] = [];
  /** What the fake accepted, by id. */
  readonly messages = new Map<string, SmsRuFakeMessage>();
  private readonly rules = new Map<string, SmsRuRecipientRule>();
  private readonly statuses = new Map<string, number[]>();
  private readonly failures = new Map<string, { code: number; remaining: number }>();
  private readonly recordings: SmsRuRecording[];
  private sequence = 1_000_100;

  private constructor(
    readonly server: FakeHttpServer,
    options: SmsRuFakeOptions,
  ) {
    this.apiId = options.apiId ?? 'fake-api-id-0123456789';
    this.login = options.login;
    this.password = options.password;
    this.balance = options.balance ?? 1000;
    this.pricePerPart = options.pricePerPart ?? 1.5;
    this.replayRecorded = options.replayRecorded ?? true;
    this.defaultStatus = options.defaultStatus ?? 103;
    this.latencyMs = options.latencyMs ?? 0;
    this.recordings = loadSmsRuRecordings();
  }

  /** Starts the fake on a free port of 127.0.0.1. */
  static async start(options: SmsRuFakeOptions = {}): Promise<SmsRuFake> {
    const ref: { fake?: SmsRuFake } = {};
    const server = await FakeHttpServer.start((request) => {
      const fake = ref.fake!;
      const reply = fake.answer(request);
      return 'fault' in reply || fake.latencyMs === 0 ? reply : { ...reply, delayMs: fake.latencyMs };
    }, options.server);
    ref.fake = new SmsRuFake(server, options);
    return ref.fake;
  }

  /** `http://127.0.0.1:<port>`: the driver's `baseUrl`. */
  get url(): string {
    return this.server.url;
  }

  /** A provider config that points the `smsru` driver at this fake, with its credentials. */
  providerConfig(overrides: Partial<SmsRuProviderConfig> = {}): SmsRuProviderConfig {
    const credentials =
      this.login !== undefined ? { login: this.login, password: this.password } : { apiId: this.apiId };
    return { driver: 'smsru', ...credentials, baseUrl: this.url, ...overrides };
  }

  /** Every request the fake received. */
  get requests(): RecordedRequest[] {
    return this.server.requests;
  }

  /** Requests to one method (`sms/send`). */
  requestsTo(method: string): RecordedRequest[] {
    return this.server.requestsTo(`/${method.replace(/^\//, '')}`);
  }

  /** The numbers one send or cost request carried, in order. */
  recipientsOf(request: RecordedRequest): string[] {
    return parseRecipients(request.form).list.map((r) => r.to);
  }

  /** Sets how the fake answers for a number (see `SmsRuRecipientRule`). */
  recipient(phone: string, rule: SmsRuRecipientRule): this {
    this.rules.set(phone, rule);
    return this;
  }

  /** The statuses `sms/status` reports for an id, one per query; the last one repeats. */
  statusSequence(id: string, codes: number[]): this {
    this.statuses.set(id, [...codes]);
    return this;
  }

  /** The next `times` requests to `method` (`sms/send`, `my/balance`, …) fail as a whole with `code`. */
  failRequests(method: string, code: number, times = Infinity): this {
    this.failures.set(`/${method.replace(/^\//, '')}`, { code, remaining: times });
    return this;
  }

  /** Forgets requests, rules, sequences, failures and scripted replies; keeps the account state. */
  reset(): void {
    this.server.reset();
    this.rules.clear();
    this.statuses.clear();
    this.failures.clear();
  }

  async close(): Promise<void> {
    await this.server.close();
  }

  private answer(request: RecordedRequest): FakeReply {
    if (request.method !== 'POST') return this.error(210);
    if (!METHODS.has(request.path)) return this.error(211);
    if (!this.authorized(request.form)) return this.error(request.form.has('api_id') ? 200 : 301);
    const failure = this.failures.get(request.path);
    if (failure && failure.remaining > 0) {
      failure.remaining--;
      return this.error(failure.code);
    }
    const recorded = this.replayRecorded ? this.recorded(request) : undefined;
    if (recorded) return recorded;
    const json = request.query.get('json') === '1';
    switch (request.path) {
      case '/sms/send':
        return this.send(request.form, json);
      case '/sms/status':
        return this.status(request.form);
      case '/sms/cost':
        return this.cost(request.form);
      case '/my/balance':
        return this.ok({ balance: new PhpFloat(this.balance) });
      case '/my/limit':
        return this.ok({ total_limit: String(this.limit.total), used_today: this.limit.usedToday });
      case '/my/free':
        return this.ok({ total_free: this.free.total, used_today: this.free.usedToday });
      case '/my/senders':
        return this.ok(this.senders.length > 0 ? { senders: this.senders } : {});
      case '/stoplist/add':
      case '/stoplist/del':
        return this.stoplistChange(request.path, request.form);
      case '/stoplist/get':
        return this.ok({ stoplist: this.stoplist.size > 0 ? new Map(this.stoplist) : [] });
      case '/callback/add':
      case '/callback/del':
        return this.callbackChange(request.path, request.form.get('url') ?? '');
      case '/callback/get':
        return this.ok({ callback: [...this.callbacks] });
      default:
        return this.ok({});
    }
  }

  private authorized(form: URLSearchParams): boolean {
    if (form.has('api_id')) return form.get('api_id') === this.apiId;
    return (
      this.login !== undefined && form.get('login') === this.login && form.get('password') === this.password
    );
  }

  /** The recorded answer of a recorded `sms/*` request (same path, query and form, credentials aside). */
  private recorded(request: RecordedRequest): FakeReply | undefined {
    if (!request.path.startsWith('/sms/')) return undefined;
    const key = formKey(request.form);
    const match = this.recordings.find(
      (r) =>
        r.method === request.method &&
        r.path === request.path &&
        r.query === request.query.toString() &&
        formKey(new URLSearchParams(r.body.replace(RECORDED_API_ID, 'x'))) === key,
    );
    return (
      match && {
        status: match.status,
        headers: { 'content-type': match.contentType },
        body: match.responseBody,
      }
    );
  }

  private send(form: URLSearchParams, json: boolean): FakeReply {
    const { list } = parseRecipients(form);
    if (list.length === 0) return this.error(202);
    if (list.length > MAX_PER_REQUEST) return this.error(213);
    if (list.some((r) => r.text === null || r.text === '')) return this.error(203);
    const time = form.get('time');
    if (time !== null && (!/^\d+$/.test(time) || Number(time) > Date.now() / 1000 + TWO_MONTHS_S)) {
      return this.error(208);
    }
    const ip = form.get('ip');
    if (ip !== null && !isPublicIp(ip)) return this.error(507);
    const test = form.get('test') === '1';
    const from = form.get('from') ?? undefined;
    const sms = new Map<string, unknown>();
    const accepted: SmsRuFakeMessage[] = [];
    for (const { to, text } of list) {
      const parts = countSegments(text!).segments;
      const rule = this.rules.get(to) ?? this.naturalRule(to, parts, from);
      if (rule === 'omit') continue;
      if ('raw' in rule) {
        sms.set(to, rule.raw);
        continue;
      }
      if (rule.code === 100) {
        const message = { id: this.nextId(), to, text: text!, parts, test, from };
        accepted.push(message);
        sms.set(to, { status: 'OK', status_code: 100, sms_id: message.id });
      } else {
        sms.set(to, this.refusal(rule));
      }
    }
    const cost = accepted.reduce((sum, m) => sum + m.parts * this.pricePerPart, 0);
    if (!test && cost > this.balance) return this.error(201);
    for (const message of accepted) this.messages.set(message.id, message);
    if (!test) this.balance = Math.round((this.balance - cost) * 100) / 100;
    if (!json) return this.plainSend(list, sms);
    return this.ok({ sms, balance: new PhpFloat(this.balance) });
  }

  private status(form: URLSearchParams): FakeReply {
    const ids = (form.get('sms_id') ?? '').split(',').filter((id) => id !== '');
    if (ids.length === 0) return this.error(202);
    if (ids.length > MAX_PER_REQUEST) return this.error(213);
    const sms = new Map<string, unknown>();
    for (const id of ids) {
      const sequence = this.statuses.get(id);
      const message = this.messages.get(id);
      const code = sequence
        ? sequence.length > 1
          ? sequence.shift()!
          : sequence[0]
        : message
          ? this.defaultStatus
          : -1;
      if (code === -1) {
        sms.set(id, { status: 'ERROR', status_code: -1, status_text: SMSRU_CODE_TEXTS[-1] });
        continue;
      }
      const parts = message?.parts ?? 1;
      sms.set(id, {
        status: 'OK',
        status_code: code,
        cost: money(parts * this.pricePerPart),
        sms: parts,
        status_text: SMSRU_CODE_TEXTS[code] ?? '',
      });
    }
    return this.ok({ sms });
  }

  /** `sms/cost` takes `to` and `msg`, as a send does; without `msg` it is 203, "no message text". */
  private cost(form: URLSearchParams): FakeReply {
    const text = form.get('msg');
    const numbers = (form.get('to') ?? '').split(',').filter((n) => n !== '');
    if (numbers.length === 0) return this.error(202);
    if (numbers.length > MAX_PER_REQUEST) return this.error(213);
    if (!text) return this.error(203);
    const parts = countSegments(text).segments;
    const sms = new Map<string, unknown>();
    let total = 0;
    let totalParts = 0;
    for (const to of numbers) {
      const rule = this.rules.get(to) ?? this.naturalRule(to, parts, form.get('from') ?? undefined);
      if (rule === 'omit') continue;
      if ('raw' in rule) sms.set(to, rule.raw);
      else if (rule.code === 100) {
        total += parts * this.pricePerPart;
        totalParts += parts;
        sms.set(to, { status: 'OK', status_code: 100, cost: money(parts * this.pricePerPart), sms: parts });
      } else sms.set(to, this.refusal(rule));
    }
    if (totalParts === 0) return this.ok({ sms });
    return this.ok({ sms, total_cost: new PhpFloat(Math.round(total * 100) / 100), total_sms: totalParts });
  }

  private stoplistChange(path: string, form: URLSearchParams): FakeReply {
    const phone = form.get('stoplist_phone') ?? '';
    if (!/^\d{10,15}$/.test(phone)) return this.error(202);
    if (path === '/stoplist/add') this.stoplist.set(phone, form.get('stoplist_text') ?? '');
    else this.stoplist.delete(phone);
    return this.ok({});
  }

  private callbackChange(path: string, url: string): FakeReply {
    if (path === '/callback/add') {
      if (!/^https?:\/\//.test(url)) return this.error(901);
      if (!this.callbacks.includes(url)) this.callbacks.push(url);
      return this.ok({ callback: [...this.callbacks] });
    }
    const at = this.callbacks.indexOf(url);
    if (at < 0) return this.error(902);
    this.callbacks.splice(at, 1);
    return this.ok({});
  }

  /** What SMS.ru itself would say of a number with no rule. */
  private naturalRule(to: string, parts: number, from: string | undefined): SmsRuRecipientRule {
    if (!/^\d{10,15}$/.test(to)) return { code: 202 };
    if (this.stoplist.has(to)) return { code: 209 };
    if (parts > 8) return { code: 205 };
    if (from !== undefined && this.senders.length > 0 && !this.senders.includes(from)) return { code: 204 };
    return { code: 100 };
  }

  private refusal(rule: { code: number; withId?: boolean; statusText?: string }): Record<string, unknown> {
    return {
      status: 'ERROR',
      status_code: rule.code,
      status_text: rule.statusText ?? SMSRU_CODE_TEXTS[rule.code] ?? '',
      sms_id: rule.withId ? this.nextId() : undefined,
    };
  }

  /** The plain-text answer of a send without `json=1`: the code, one line a number, the balance. */
  private plainSend(list: Recipients['list'], sms: Map<string, unknown>): FakeReply {
    const lines = list.map(({ to }) => {
      const entry = sms.get(to) as { status_code?: number; sms_id?: string } | undefined;
      return entry?.status_code === 100 ? entry.sms_id : String(entry?.status_code ?? 500);
    });
    return {
      status: 200,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: ['100', ...lines, `balance=${this.balance}`].join('\n'),
    };
  }

  private nextId(): string {
    return `202626-${this.sequence++}`;
  }

  private ok(fields: Record<string, unknown>): FakeReply {
    return { status: 200, body: smsRuJson({ status: 'OK', status_code: 100, ...fields }) };
  }

  private error(code: number): FakeReply {
    return {
      status: 200,
      body: smsRuJson({ status: 'ERROR', status_code: code, status_text: SMSRU_CODE_TEXTS[code] ?? '' }),
    };
  }
}

/** The numbers and texts of a send: `to` list + `msg`, or `to[<number>]` / `multi[<number>]` fields. */
function parseRecipients(form: URLSearchParams): Recipients {
  const list: Recipients['list'] = [];
  for (const [key, value] of form) {
    const keyed = /^(?:to|multi)\[(.+)\]$/.exec(key);
    if (keyed) list.push({ to: keyed[1], text: value });
  }
  if (list.length > 0) return { list };
  const text = form.get('msg');
  const numbers = (form.get('to') ?? '').split(',').filter((n) => n !== '');
  return { list: numbers.map((to) => ({ to, text })) };
}

/**
 * Whether `ip` is an address SMS.ru's anti-fraud takes: a valid IPv4 or IPv6 address outside the
 * private, loopback and link-local ranges (the seed's 507: "wrong, or from a private subnet (192.*,
 * 10.*, …)").
 */
function isPublicIp(ip: string): boolean {
  const version = isIP(ip);
  if (version === 4) {
    const [a, b] = ip.split('.').map(Number);
    return !(
      a === 10 ||
      a === 127 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254)
    );
  }
  if (version === 6) return !/^(?:::1?$|fe[89ab]|f[cd])/i.test(ip);
  return false;
}

/** A form without credentials, as a comparable key. */
function formKey(form: URLSearchParams): string {
  return [...form]
    .filter(([key]) => !CREDENTIAL_FIELDS.includes(key))
    .map(([key, value]) => `${key}=${value}`)
    .sort()
    .join('&');
}

function money(value: number): string {
  return value.toFixed(2);
}
