import {
  FakeHttpServer,
  type FakeHttpServerOptions,
  type FakeReply,
  type RecordedRequest,
} from './fake-http-server';

/**
 * Bodies the live SMSPilot API answered (`/work/shared/fixtures/smspilot-recorded.json`): the fake
 * answers the same request with the same bytes.
 */
export const SMSPILOT_RECORDED = {
  /** `send` to 79021234567 on an account holding 20 008.65 RUB. */
  sendJson:
    '{"send":[{"server_id":"10000","phone":"79021234567","price":"1.68","status":"0"}],"balance":"20006.97","cost":"1.68"}',
  /** Any request with an invalid key. */
  errorJson:
    '{"error":{"code":"101","description":"APIKEY is invalid","description_ru":"Неправильный API-ключ (см. настройки API в личном кабинете)"}}',
  /** A send without `format=json`. */
  sendText: 'SUCCESS=SMS SENT 0.89/320.50\n4566,79037672215,0.60,0',
} as const;

/** The error texts of the seed's tables (101 as recorded). */
export const SMSPILOT_ERROR_TEXTS: Readonly<Record<string, [description: string, descriptionRu: string]>> = {
  '100': ['APIKEY is required', 'Не указан параметр apikey'],
  '101': ['APIKEY is invalid', 'Неправильный API-ключ (см. настройки API в личном кабинете)'],
  '102': ['APIKEY not found', 'Такой ключ не найден'],
  '103': ['APIKEY not paid', 'Ключ не оплачен'],
  '104': ['APIKEY not activated', 'Ключ ещё не активирован'],
  '105': ['APIKEY blocked (empty)', 'Требуется пополнить баланс данного ключа'],
  '106': ['APIKEY is blocked (spam)', 'Подозрение в рассылке спама. Свяжитесь со службой поддержки.'],
  '108': ['Phone is required', 'Пустое значение параметра to'],
  '110': ['System error', 'Непредвиденная ошибка системы, возможно неверный адрес отправителя'],
  '111': ['Invalid phone', 'Неправильный номер телефона'],
  '112': ['No money', 'Попытка отправить много смс при низком балансе'],
  '113': ['IP restriction', 'Попытка доступа с чужого сервера (при включенном ограничении по IP).'],
  '115': ['Invalid sender', 'Ошибка значения отправителя (from)'],
  '116': ['Depricated sender', 'Отправителя нет в списке разрешенных'],
  '117': ['Account restriction', 'Ограничения тестового аккаунта'],
  '118': ['Rate limit', 'Сработала защита от дубликатов'],
  '204': ['Sender (from) unregistered', 'Имя отправителя (from) еще не зарегистрировано'],
  '215': ['Invalid phone length', 'Проверьте длину телефона, для России 11 цифр'],
  '220': ['TEXT is required', 'Пустое значение параметра send'],
  '223': ['Spam protection', 'Запрет на рекламу, текст не совпадает с шаблоном, номера нет в белом списке.'],
  '243': ['Loop protection, blacklist', 'Сработала защита от дубликатов (то же сообщение, на тот-же номер)'],
  '250': ['Invalid SEND_DATETIME', 'Неправильное время отправки'],
  '260': ['Invalid callback URL', 'Исправьте адрес скрипта (https не поддерживается)'],
  '270': ['Invalid ttl', 'Исправьте время жизни сообщения, укажите в минутах от 10 до 1440'],
  '300': ['SMS server_id is required', 'Статус: server_id не указан'],
  '301': ['SMS server_id is invalid', 'Статус: server_id неправильный'],
  '302': ['SMS server_id not found', 'Статус: SMS не найдена'],
  '303': ['Invalid IDs list', 'Статус: ошибка запроса'],
  '400': [
    'User not found',
    'Пользователь с такими логином и паролем не найден. Возможно неправильный пароль',
  ],
  '401': [
    'Invalid login details',
    'Не указан login или password. Возможно неверный формат эл. почты для login',
  ],
};

/** HLR fields of a `check` entry, as SMSPilot names them. */
export interface SmsPilotFakeHlr {
  imsi: string;
  msc: string;
  mcc: string;
  mnc: string;
  cn: string;
  net: string;
  rcn: string;
  rnet: string;
}

/** How the fake treats one number. */
export interface SmsPilotFakeNumber {
  /** Left out of send answers, as SMSPilot does with invalid numbers. */
  drop?: boolean;
  /** Price of one message in RUB. Default 1.68 (as recorded); HLR 0.17. */
  price?: number;
  /** Status in the send answer. Default 0 (3 with a future `send_datetime`). */
  sendStatus?: number;
  /** Statuses that successive checks report; the last one stays. Default: the send status (HLR: 2). */
  statuses?: number[];
  /** HLR fields reported for HLR requests to this number. Default: the seed's example. */
  hlr?: Partial<SmsPilotFakeHlr>;
}

/** A message the fake took. */
export interface SmsPilotFakeMessage {
  serverId: string;
  phone: string;
  text: string;
  from?: string;
  /** In kopecks. */
  price: number;
  status: number;
  /** Statuses still to report, oldest first (none for a `test=1` message: it is never passed on). */
  pending: number[];
  /** Sent with `test=1`: the emulator took it, nothing was charged, nothing is delivered. */
  test: boolean;
  form: Record<string, string>;
}

/** The operations of the API, told apart by their parameters as SMSPilot does. */
export type SmsPilotOperation = 'send' | 'check' | 'balance' | 'inbound' | 'info';

/**
 * What a `check` of several ids answers when some are unknown: `'none-found'` (the default) answers
 * 302 only when no asked id is known and lists the known ones otherwise; `'any-missing'` answers 302
 * as soon as one asked id is unknown. The document does not say which SMSPilot does, so the driver
 * must be right under both.
 */
export type SmsPilotNotFoundRule = 'none-found' | 'any-missing';

/** An inbound message as SMSPilot lists it. */
export interface SmsPilotFakeInbound {
  id: string;
  phone: string;
  num: string;
  text: string;
  /** `YYYY-MM-DD HH:MM:SS`, GMT. */
  created: string;
  seen: '0' | '1';
}

/** Settings of the fake account. */
export interface SmsPilotFakeOptions {
  apiKey?: string;
  login?: string;
  password?: string;
  /** RUB. Default 20 008.65, so that the recorded send leaves the recorded 20 006.97. */
  balance?: number;
  /** Registered senders; `GOLOS`, `2WAY` and `PING` are always allowed. */
  senders?: string[];
  /** Settings of the HTTP server (HTTPS with `tls`). */
  server?: FakeHttpServerOptions;
}

const SEED_HLR: SmsPilotFakeHlr = {
  imsi: '250203122060176',
  msc: '790434',
  mcc: '250',
  mnc: '20',
  cn: 'Russia',
  net: 'Tele2',
  rcn: '',
  rnet: '',
};

/** The seed's two inbound examples. */
export const SMSPILOT_SEED_INBOUND: readonly SmsPilotFakeInbound[] = [
  {
    id: '6061',
    phone: '79087964781',
    num: '79021121075',
    text: '51 test',
    created: '2014-10-20 19:11:21',
    seen: '0',
  },
  {
    id: '6060',
    phone: '79087964781',
    num: '79021121075',
    text: '51 test\nLine2',
    created: '2014-10-20 19:10:30',
    seen: '1',
  },
];

const SPECIAL_SENDERS = new Set(['GOLOS', '2WAY', 'PING']);
const SENDER = /^(?:[A-Za-z0-9.-]{3,11}|\d{6,14})$/;
const GMT = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

function rub(kopecks: number): string {
  return (kopecks / 100).toFixed(2);
}

function parseTime(value: string): number | undefined {
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const m = GMT.exec(value);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : undefined;
}

/** Which operation a request asks for, by its parameters. */
export function operationOf(form: Record<string, string>): SmsPilotOperation {
  if (form.send !== undefined) return 'send';
  if (form.check !== undefined) return 'check';
  if (form.balance !== undefined) return 'balance';
  if (form.inbound !== undefined) return 'inbound';
  return 'info';
}

/** The form fields of a request (body, then query) as a plain object. */
export function formOf(request: RecordedRequest): Record<string, string> {
  return { ...Object.fromEntries(request.query), ...Object.fromEntries(request.form) };
}

/**
 * A fake SMSPilot on 127.0.0.1 (`/api.php`) built on `FakeHttpServer`, answering like the live API:
 * the recorded bodies, numbers as strings, errors with HTTP 200, invalid numbers silently dropped
 * (111 when none is valid), balance kept, statuses advancing check by check, inbound messages, HLR.
 *
 * @example
 * const pilot = await SmsPilotFake.start({ apiKey: 'k' });
 * pilot.configureNumber('79161231212', { drop: true });
 * pilot.failNext('112');
 */
export class SmsPilotFake {
  /** Registered senders. */
  readonly senders: Set<string>;
  /** Messages taken, oldest first. */
  readonly messages: SmsPilotFakeMessage[] = [];
  /** Inbound messages, newest first (as SMSPilot lists them). */
  readonly inbound: SmsPilotFakeInbound[] = SMSPILOT_SEED_INBOUND.map((m) => ({ ...m }));
  /** Order of the entries of a send answer. */
  answerOrder: 'request' | 'reversed' = 'request';
  /** Balance in kopecks. */
  balanceKopecks: number;
  /** The body of the last answer the fake itself made (scripted replies aside). */
  lastAnswer: string | undefined;
  /** When a check of several ids answers 302 (see `SmsPilotNotFoundRule`). */
  notFoundRule: SmsPilotNotFoundRule = 'none-found';
  private readonly numbers = new Map<string, SmsPilotFakeNumber>();
  private readonly errors: Array<{ code: string; on?: SmsPilotOperation }> = [];
  private nextServerId = 10000;

  private constructor(
    readonly http: FakeHttpServer,
    readonly options: SmsPilotFakeOptions,
  ) {
    this.balanceKopecks = Math.round((options.balance ?? 20008.65) * 100);
    this.senders = new Set(options.senders ?? ['INFORM', 'test', 'MyShop']);
  }

  /** Starts the fake on a free port of 127.0.0.1. */
  static async start(options: SmsPilotFakeOptions = { apiKey: 'test-api-key' }): Promise<SmsPilotFake> {
    const http = await FakeHttpServer.start(() => ({ status: 503 }), options.server);
    const fake = new SmsPilotFake(http, options);
    http.setHandler((request) => fake.handle(request));
    return fake;
  }

  /** `http://127.0.0.1:<port>`, the driver's `baseUrl`. */
  get url(): string {
    return this.http.url;
  }

  /** Every request, in order. */
  get requests(): RecordedRequest[] {
    return this.http.requests;
  }

  /** The form fields of the last request. */
  lastForm(): Record<string, string> {
    const last = this.http.requests[this.http.requests.length - 1];
    if (!last) throw new Error('no request reached the fake');
    return formOf(last);
  }

  /** Sets how the fake treats a number. */
  configureNumber(phone: string, outcome: SmsPilotFakeNumber): this {
    this.numbers.set(phone, { ...this.numbers.get(phone), ...outcome });
    return this;
  }

  /** Makes SMSPilot drop these numbers as invalid. */
  dropNumbers(...phones: string[]): this {
    for (const phone of phones) this.configureNumber(phone, { drop: true });
    return this;
  }

  /**
   * Answers the next `times` requests (of operation `on`, when given) with this error code, any code
   * of the outcome table or outside it, with the seed's texts.
   */
  failNext(code: string, times = 1, on?: SmsPilotOperation): this {
    for (let i = 0; i < times; i++) this.errors.push({ code, on });
    return this;
  }

  /** Requests of one operation (`send`, `check`, …), in order. */
  requestsOf(operation: SmsPilotOperation): RecordedRequest[] {
    return this.http.requests.filter((r) => operationOf(formOf(r)) === operation);
  }

  /** Answers the next requests with these raw replies, in order. */
  reply(...replies: FakeReply[]): this {
    this.http.script(...replies);
    return this;
  }

  /** Adds an inbound message at the head of the list. */
  addInbound(message: Omit<SmsPilotFakeInbound, 'id'> & { id?: string }): SmsPilotFakeInbound {
    const id = message.id ?? String(Math.max(6061, ...this.inbound.map((m) => Number(m.id))) + 1);
    const added = { ...message, id };
    this.inbound.unshift(added);
    return added;
  }

  /** A message the fake took, by server id. */
  message(serverId: string): SmsPilotFakeMessage | undefined {
    return this.messages.find((m) => m.serverId === serverId);
  }

  /** Forgets requests, scripted replies, queued errors and number settings; keeps the account state. */
  reset(): void {
    this.http.reset();
    this.errors.length = 0;
    this.numbers.clear();
    this.notFoundRule = 'none-found';
    this.answerOrder = 'request';
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  /**
   * Answers a request as SMSPilot would (the default handler of `http`; wrap it with
   * `http.setHandler` to add delays or faults).
   */
  handle(request: RecordedRequest): FakeReply {
    const reply = this.answer(request);
    if ('body' in reply) this.lastAnswer = reply.body;
    return reply;
  }

  private answer(request: RecordedRequest): FakeReply {
    const form = formOf(request);
    const json = form.format === 'json';
    const operation = operationOf(form);
    const queued = this.errors.findIndex((e) => e.on === undefined || e.on === operation);
    if (queued >= 0) return this.error(this.errors.splice(queued, 1)[0].code, json);
    if (request.path !== '/api.php') return { status: 404, body: 'Not Found' };
    const auth = this.authenticate(form);
    if (auth) return this.error(auth, json);
    if (form.send !== undefined) return this.send(form, json);
    if (form.check !== undefined) return this.check(form);
    if (form.balance !== undefined) return this.body({ balance: rub(this.balanceKopecks) });
    if (form.inbound !== undefined) return this.listInbound(form.inbound);
    return this.body({
      id: '5671',
      tariff_id: '5',
      email: 'info@example.com',
      name: ' Иванов Сергей Николаевич ',
      phone: '79087964781',
      balance: rub(this.balanceKopecks),
      date: '2010-06-03 09:45:41',
      default_sender: 'INFORM',
      senders: ['79021121075', '79087964781', ...this.senders].join(','),
    });
  }

  private authenticate(form: Record<string, string>): string | undefined {
    if (form.apikey !== undefined) return form.apikey === this.options.apiKey ? undefined : '101';
    if (form.login === undefined && form.password === undefined) return '100';
    if (!form.login || !form.password || !form.login.includes('@')) return '401';
    return form.login === this.options.login && form.password === this.options.password ? undefined : '400';
  }

  private send(form: Record<string, string>, json: boolean): FakeReply {
    const text = form.send.trim();
    const to = (form.to ?? '')
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n !== '');
    if (text === '') return this.error('220', json);
    if (to.length === 0) return this.error('108', json);
    const from = form.from;
    if (from !== undefined && from !== '' && !SPECIAL_SENDERS.has(from)) {
      if (!SENDER.test(from)) return this.error('115', json);
      if (!this.senders.has(from)) return this.error('204', json);
    }
    if (form.ttl !== undefined && !(/^\d+$/.test(form.ttl) && +form.ttl >= 10 && +form.ttl <= 1440)) {
      return this.error('270', json);
    }
    let scheduled = false;
    if (form.send_datetime !== undefined) {
      const at = parseTime(form.send_datetime);
      if (at === undefined || at < Date.now() - 60_000) return this.error('250', json);
      scheduled = at > Date.now();
    }
    if (form.callback !== undefined && !form.callback.startsWith('http://')) return this.error('260', json);
    const hlr = text.toUpperCase() === 'HLR';
    const valid = to.filter((phone) => /^\d{10,15}$/.test(phone) && !this.numbers.get(phone)?.drop);
    if (valid.length === 0) return this.error('111', json);
    const priceOf = (phone: string) =>
      Math.round((this.numbers.get(phone)?.price ?? (hlr ? 0.17 : 1.68)) * 100);
    const total = valid.reduce((sum, phone) => sum + priceOf(phone), 0);
    if (form.cost === '1') return this.body({ cost: rub(total) });
    // test=1: "without passing to the operator (emulator)": priced in the answer, never charged,
    // never delivered (its status stays where the send left it).
    const test = form.test === '1';
    if (!test && total > this.balanceKopecks) return this.error('112', json);
    if (!test) this.balanceKopecks -= total;
    const taken = valid.map((phone): SmsPilotFakeMessage => {
      const config = this.numbers.get(phone) ?? {};
      const status = config.sendStatus ?? (scheduled ? 3 : 0);
      const message = {
        serverId: String(this.nextServerId++),
        phone,
        text: form.send,
        from,
        price: priceOf(phone),
        status,
        pending: test ? [] : [...(config.statuses ?? (hlr ? [2] : []))],
        test,
        form,
      };
      this.messages.push(message);
      return message;
    });
    if (this.answerOrder === 'reversed') taken.reverse();
    if (!json) {
      const lines = taken.map((m) => `${m.serverId},${m.phone},${rub(m.price)},${m.status}`);
      return { body: [`SUCCESS=SMS SENT ${rub(total)}/${rub(this.balanceKopecks)}`, ...lines].join('\n') };
    }
    return this.body({
      send: taken.map((m) => ({
        server_id: m.serverId,
        phone: m.phone,
        price: rub(m.price),
        status: String(m.status),
      })),
      balance: rub(this.balanceKopecks),
      cost: rub(total),
    });
  }

  private check(form: Record<string, string>): FakeReply {
    const ids = form.check.split(',').map((id) => id.trim());
    if (form.check.trim() === '') return this.error('300', true);
    if (ids.some((id) => !/^\d+$/.test(id))) return this.error('301', true);
    const found = ids.map((id) => this.message(id)).filter((m): m is SmsPilotFakeMessage => m !== undefined);
    const missing = ids.some((id) => this.message(id) === undefined);
    if (found.length === 0 || (missing && this.notFoundRule === 'any-missing'))
      return this.error('302', true);
    return this.body({
      check: found.map((m) => {
        if (m.pending.length > 0) m.status = m.pending.shift()!;
        const entry: Record<string, string> = {
          server_id: m.serverId,
          phone: m.phone,
          price: rub(m.price),
          status: String(m.status),
        };
        if (m.text.toUpperCase() !== 'HLR' || m.status < 1) return entry;
        return { ...entry, ...SEED_HLR, ...this.numbers.get(m.phone)?.hlr };
      }),
    });
  }

  private listInbound(filter: string): FakeReply {
    let list = this.inbound;
    if (filter === 'new') {
      list = list.filter((m) => m.seen === '0');
      const copy = list.map((m) => ({ ...m }));
      for (const m of list) m.seen = '1';
      list = copy;
    } else if (filter !== 'all') {
      const since = parseTime(filter);
      if (since === undefined) return this.body({ inbound: [] });
      list = list.filter((m) => parseTime(m.created)! >= since);
    }
    return this.body({ inbound: list });
  }

  private body(value: unknown): FakeReply {
    return { status: 200, body: JSON.stringify(value) };
  }

  private error(code: string, json: boolean): FakeReply {
    const [description, descriptionRu] = SMSPILOT_ERROR_TEXTS[code] ?? [
      'Unknown error',
      'Неизвестная ошибка',
    ];
    if (!json)
      return {
        status: 200,
        headers: { 'content-type': 'text/plain' },
        body: `ERROR=${code}: ${description.toUpperCase()}`,
      };
    return this.body({ error: { code, description, description_ru: descriptionRu } });
  }
}
