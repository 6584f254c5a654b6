import { type Socket } from 'node:net';
import { type TestingModule } from '@nestjs/testing';
import { SmsConfigurationError, SmsError, SmsRuProvider, SmsService, SmsValidationError } from 'nestjs-sms';
import { type SmsRuProviderConfig } from 'nestjs-sms/driver';
import { loadSmsRuRecordings, SmsRuFake, SMSRU_CODE_TEXTS } from '../fakes/smsru-fake.server';
import { bootSmsRu, createSmsModule } from './smsru-app';

const API_ID = 'acct-api-id-5e8d2b7c';

describe('SMS.ru driver: status, cost, balance and the account operations', () => {
  let fake: SmsRuFake;
  let moduleRef: TestingModule;
  let sms: SmsService;
  let smsru: SmsRuProvider;

  beforeEach(async () => {
    fake = await SmsRuFake.start({ apiId: API_ID });
    ({
      moduleRef,
      sms,
      driver: smsru,
    } = await bootSmsRu({ driver: 'smsru', apiId: API_ID, baseUrl: fake.url }));
  });
  afterEach(async () => {
    await moduleRef.close();
    await fake.close();
  });

  /** The one request made to a method, checked for POST, `?json=1` and credentials in the body only. */
  function onlyRequest(method: string) {
    const requests = fake.requestsTo(method);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request.method).toBe('POST');
    expect(request.url).toBe(`/${method}?json=1`);
    expect(request.form.get('api_id')).toBe(API_ID);
    return request;
  }

  it('sends through SmsModule.forRoot + SmsService, then reads the delivery status', async () => {
    const sent = await sms.send({ to: '+7 925 507-06-02', text: 'Order 42 shipped' });
    expect(sent).toMatchObject({ provider: 'main', attempts: [{ provider: 'main', result: 'sent' }] });
    const id = sent.messages[0].id!;
    expect(sent.messages[0]).toMatchObject({ to: '79255070602', accepted: true, status: 'queued' });

    const [status] = await sms.getStatus(id);
    expect(status).toEqual({
      id,
      provider: 'main',
      status: 'delivered',
      final: true,
      providerStatus: 103,
      price: 1.5,
      providerMessage: SMSRU_CODE_TEXTS[103],
    });
    expect(Object.fromEntries(onlyRequest('sms/status').form)).toEqual({ sms_id: id, api_id: API_ID });
  });

  it('follows a status sequence as it changes', async () => {
    fake.statusSequence('202626-1', [100, 102, 103]);
    const seen = [];
    for (let i = 0; i < 3; i++) seen.push((await sms.getStatus('202626-1'))[0]);
    expect(seen.map((s) => [s.status, s.final])).toEqual([
      ['queued', false],
      ['sent', false],
      ['delivered', true],
    ]);
  });

  it('reads the recorded status answer for an unknown id as not_found', async () => {
    await expect(sms.getStatus('000000-10000000')).resolves.toEqual([
      {
        id: '000000-10000000',
        provider: 'main',
        status: 'not_found',
        final: true,
        providerStatus: -1,
        providerMessage: 'Сообщение не найдено',
      },
    ]);
  });

  it('asks for 250 statuses in 3 requests of at most 100 ids, in input order', async () => {
    const ids = Array.from({ length: 250 }, (_, i) => `202626-${2_000_000 + i}`);
    ids.forEach((id, i) => fake.statusSequence(id, [i % 2 === 0 ? 103 : 102]));
    const statuses = await sms.getStatus(ids);
    const requests = fake.requestsTo('sms/status');
    expect(requests).toHaveLength(3);
    expect(requests.map((r) => r.form.get('sms_id')!.split(',').length).sort((a, b) => b - a)).toEqual([
      100, 100, 50,
    ]);
    expect(statuses.map((s) => s.id)).toEqual(ids);
    expect(statuses.map((s) => s.status)).toEqual(ids.map((_, i) => (i % 2 === 0 ? 'delivered' : 'sent')));
  });

  it('refuses an id that cannot go into a comma list before any request', async () => {
    await expect(smsru.getStatus(['1,2'])).rejects.toBeInstanceOf(SmsValidationError);
    expect(fake.requests).toHaveLength(0);
  });

  it('asks the cost with to + msg, as documented, and reads the recorded live answer', async () => {
    const recorded = loadSmsRuRecordings().find((r) => r.group === 'cost')!;
    fake.server.script({ status: 200, body: recorded.responseBody });
    const cost = await sms.getCost({ to: '79255070602', text: 'How much is this?' });
    expect(Object.fromEntries(onlyRequest('sms/cost').form)).toEqual({
      to: '79255070602',
      msg: 'How much is this?',
      api_id: API_ID,
    });
    expect(cost).toEqual({
      provider: 'main',
      total: 0,
      totalSegments: 1,
      currency: 'RUB',
      messages: [
        {
          to: '79255070602',
          segments: 1,
          error: expect.objectContaining({
            code: 'SENDER_NOT_ALLOWED',
            providerCode: 221,
            outcome: 'not_sent',
            failure: 'account',
          }),
        },
      ],
    });
  });

  it('is priced by the fake only because msg is there: the fake answers 203 without it', async () => {
    const cost = await sms.getCost({ to: '79255070602', text: 'Priced' });
    expect(cost).toMatchObject({ total: 1.5, totalSegments: 1 });
    expect(onlyRequest('sms/cost').form.has('text')).toBe(false);
  });

  it('reads a priced cost answer: per number, total and parts from SMS.ru', async () => {
    fake.recipient('74993221627', { code: 207 });
    const text = 'Длинный текст '.repeat(6);
    const cost = await sms.getCost({
      to: ['79255070602', '74993221627', '79161234567'],
      text,
      sender: 'MyShop',
    });
    expect(onlyRequest('sms/cost').form.get('from')).toBe('MyShop');
    expect(cost.messages).toEqual([
      { to: '79255070602', segments: 2, price: 3 },
      {
        to: '74993221627',
        segments: 2,
        error: expect.objectContaining({ code: 'NO_ROUTE', providerCode: 207 }),
      },
      { to: '79161234567', segments: 2, price: 3 },
    ]);
    expect(cost).toMatchObject({ total: 6, totalSegments: 4 });
  });

  it('reads the balance: the recorded 1000.0, then whatever the account holds', async () => {
    await expect(sms.getBalance()).resolves.toEqual({ provider: 'main', balance: 1000, currency: 'RUB' });
    expect(Object.fromEntries(onlyRequest('my/balance').form)).toEqual({ api_id: API_ID });
    fake.balance = 12.34;
    await expect(sms.getBalance()).resolves.toMatchObject({ balance: 12.34 });
  });

  it('checks the credentials: true when SMS.ru accepts them, false when it answers an auth error', async () => {
    await expect(smsru.checkAuth()).resolves.toBe(true);
    onlyRequest('auth/check');
    fake.apiId = 'another';
    await expect(smsru.checkAuth()).resolves.toBe(false);
    fake.apiId = API_ID;
    fake.failRequests('auth/check', 201);
    await expect(smsru.checkAuth()).rejects.toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
  });

  it('reads the limit ("10" as a string) and the free messages (used_today null) as recorded', async () => {
    await expect(smsru.getLimit()).resolves.toEqual({ total: 10, usedToday: 0 });
    await expect(smsru.getFree()).resolves.toEqual({ total: 5, usedToday: 0 });
    onlyRequest('my/limit');
    onlyRequest('my/free');
    fake.limit = { total: 500, usedToday: 42 };
    fake.free = { total: 5, usedToday: 3 };
    await expect(smsru.getLimit()).resolves.toEqual({ total: 500, usedToday: 42 });
    await expect(smsru.getFree()).resolves.toEqual({ total: 5, usedToday: 3 });
  });

  it('reads the senders: none (no key, as recorded), then a list', async () => {
    await expect(smsru.getSenders()).resolves.toEqual([]);
    onlyRequest('my/senders');
    fake.senders = ['MyShop', 'SMS.RU'];
    await expect(smsru.getSenders()).resolves.toEqual(['MyShop', 'SMS.RU']);
  });

  it('adds, lists and removes stop-list numbers, normalizing the number', async () => {
    await smsru.addToStoplist('8 (925) 507-06-02', 'asked to stop');
    expect(Object.fromEntries(onlyRequest('stoplist/add').form)).toEqual({
      stoplist_phone: '79255070602',
      stoplist_text: 'asked to stop',
      api_id: API_ID,
    });
    await expect(smsru.getStoplist()).resolves.toEqual([{ phone: '79255070602', note: 'asked to stop' }]);
    const sent = await sms.send({ to: '79255070602', text: 'promo' });
    expect(sent.messages[0]).toMatchObject({
      accepted: false,
      error: { code: 'STOP_LIST', providerCode: 209 },
    });

    await smsru.removeFromStoplist('+79255070602');
    expect(onlyRequest('stoplist/del').form.get('stoplist_phone')).toBe('79255070602');
    await expect(smsru.getStoplist()).resolves.toEqual([]);
  });

  it('refuses a bad number or an empty note before any request', async () => {
    const error = await smsru.addToStoplist('12', '').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmsValidationError);
    expect((error as SmsValidationError).details.map((d) => d.field)).toEqual(['phone', 'note']);
    await expect(smsru.removeFromStoplist('not a phone')).rejects.toBeInstanceOf(SmsValidationError);
    expect(fake.requests).toHaveLength(0);
  });

  it('adds, lists and removes callbacks as recorded', async () => {
    const url = 'https://example.com/sms/callback';
    await expect(smsru.addCallback(url)).resolves.toEqual([url]);
    expect(Object.fromEntries(onlyRequest('callback/add').form)).toEqual({ url, api_id: API_ID });
    await expect(smsru.getCallbacks()).resolves.toEqual([url]);
    await expect(smsru.removeCallback(url)).resolves.toEqual([]);
    await expect(smsru.getCallbacks()).resolves.toEqual([]);

    const missing = await smsru.removeCallback(url).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(SmsError);
    expect(missing).toMatchObject({ code: 'VALIDATION', providerCode: 902 });
  });

  it('refuses a callback URL that is not http(s) before any request', async () => {
    await expect(smsru.addCallback('ftp://example.com/x')).rejects.toBeInstanceOf(SmsValidationError);
    await expect(smsru.removeCallback('nope')).rejects.toBeInstanceOf(SmsValidationError);
    expect(fake.requests).toHaveLength(0);
  });

  it('maps an account error of a read and repeats a read that SMS.ru could not carry out', async () => {
    fake.failRequests('my/balance', 200);
    await expect(sms.getBalance()).rejects.toMatchObject({
      code: 'AUTH',
      providerCode: 200,
      outcome: 'not_sent',
    });
    expect(fake.requestsTo('my/balance')).toHaveLength(1);

    fake.reset();
    fake.failRequests('my/limit', 220, 2);
    await expect(smsru.getLimit()).resolves.toEqual({ total: 10, usedToday: 0 });
    expect(fake.requestsTo('my/limit')).toHaveLength(3);
  });

  it('closes its keep-alive sockets on shutdown', async () => {
    await smsru.getBalance();
    const sockets = (fake.server as unknown as { sockets: Set<Socket> }).sockets;
    expect(sockets.size).toBe(1);
    await moduleRef.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(sockets.size).toBe(0);
  });
});

describe('SMS.ru driver: configuration', () => {
  async function configure(config: Partial<SmsRuProviderConfig>): Promise<unknown> {
    return createSmsModule({ providers: { main: { driver: 'smsru', ...config } } }).then(
      (m) => m.close(),
      (e: unknown) => e,
    );
  }

  it.each([
    [{}, '"apiId" is required'],
    [{ apiId: '' }, '"apiId" must be a non-empty text'],
    [{ login: '79255070602' }, '"password" is required'],
    [{ password: 'x' }, '"login" is required'],
    [{ apiId: 'x', baseUrl: 'ftp://sms.example' }, '"baseUrl" must be an http:// or https:// URL'],
    [{ apiId: 'x', baseUrl: 'not a url' }, '"baseUrl"'],
    [{ apiId: 'x', chunkConcurrency: 0 }, '"chunkConcurrency" must be a positive whole number'],
    [{ apiId: 'x', sender: 'a' }, '"sender"'],
    [{ apiId: 'x', partnerId: '' }, '"partnerId"'],
  ])('refuses %j at start, naming the field', async (config, message) => {
    const error = await configure(config as Partial<SmsRuProviderConfig>);
    expect(error).toBeInstanceOf(SmsConfigurationError);
    expect((error as Error).message).toContain('provider "main" (smsru)');
    expect((error as Error).message).toContain(message);
  });

  it('accepts apiId, or login + password, with an http(s) baseUrl', async () => {
    await expect(configure({ apiId: 'x', baseUrl: 'http://127.0.0.1:9' })).resolves.toBeUndefined();
    await expect(configure({ login: '79255070602', password: 'p' })).resolves.toBeUndefined();
  });

  it('declares what SMS.ru can do and its limits', async () => {
    const moduleRef = await createSmsModule({
      providers: { main: { driver: 'smsru', apiId: 'x', baseUrl: 'http://127.0.0.1:9' } },
    });
    const driver = moduleRef.get(SmsService).driver('main', SmsRuProvider);
    expect([...driver.capabilities].sort()).toEqual(
      [
        'balance',
        'batch',
        'clientIp',
        'cost',
        'daytime',
        'schedule',
        'send',
        'status',
        'testMode',
        'translit',
        'ttl',
      ].sort(),
    );
    expect(driver.limits).toEqual({
      maxParts: 8,
      maxScheduleAheadMs: 60 * 86_400_000,
      ttlMinutes: { min: 1, max: 1440 },
    });
    await moduleRef.close();
  });
});
