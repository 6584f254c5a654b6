import { type TestingModule } from '@nestjs/testing';
import { countSegments, SmsError, type SmsModuleOptions, SmsRuProvider, SmsService } from 'nestjs-sms';
import { type SmsRuProviderConfig, type OutgoingMessage } from 'nestjs-sms/driver';
import { loadSmsRuRecordings, SmsRuFake, SMSRU_CODE_TEXTS } from '../fakes/smsru-fake.server';
import { bootSmsRu } from './smsru-app';

const API_ID = 'A1B2C3D4-E5F6-0000-1111-SECRETAPIID';

/** `count` valid Russian mobile numbers, digits only. */
function numbers(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `7925${String(1_000_000 + i)}`);
}

function outgoing(to: string, text: string): OutgoingMessage {
  return { to, text, segments: countSegments(text) };
}

describe('SMS.ru driver: send', () => {
  let fake: SmsRuFake;
  let moduleRef: TestingModule;
  let sms: SmsService;
  let driver: SmsRuProvider;

  async function start(config: Partial<SmsRuProviderConfig> = {}, options: Partial<SmsModuleOptions> = {}) {
    await moduleRef?.close();
    ({ moduleRef, sms, driver } = await bootSmsRu(fake.providerConfig(config), {
      retry: { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 20 },
      ...options,
    }));
  }

  beforeEach(async () => {
    fake = await SmsRuFake.start({ apiId: API_ID });
    await start();
  });
  afterEach(async () => {
    await moduleRef.close();
    await fake.close();
  });

  it('POSTs /sms/send?json=1 with the credentials and every option in the form body, none in the URL', async () => {
    const sendAt = new Date(Date.now() + 3_600_000);
    const result = await sms.send({
      to: ['+7 (925) 507-06-02', '8 499 322-16-27'],
      text: 'Your code: 1234',
      sender: 'MyShop',
      sendAt,
      ttlMinutes: 30,
    });

    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/sms/send');
    expect(request.url).toBe('/sms/send?json=1');
    expect(request.url).not.toContain(API_ID);
    expect(request.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(Object.fromEntries(request.form)).toEqual({
      to: '79255070602,74993221627',
      msg: 'Your code: 1234',
      from: 'MyShop',
      time: String(Math.floor(sendAt.getTime() / 1000)),
      ttl: '30',
      api_id: API_ID,
    });
    expect(request.form.get('time')).toMatch(/^\d{10}$/);

    expect(result.provider).toBe('main');
    expect(result.messages).toEqual([
      expect.objectContaining({
        to: '79255070602',
        accepted: true,
        status: 'scheduled',
        id: expect.stringMatching(/^\d+-\d+$/),
      }),
      expect.objectContaining({
        to: '74993221627',
        accepted: true,
        status: 'scheduled',
        id: expect.any(String),
      }),
    ]);
    expect(result.balance).toBe(997);
  });

  it('maps daytime, translit, test, clientIp and partnerId onto their fields', async () => {
    await start({ partnerId: '12345' });
    const result = await sms.send({
      to: '79255070602',
      text: 'Привет',
      daytime: true,
      translit: true,
      test: true,
      clientIp: '77.88.8.8',
    });
    expect(Object.fromEntries(fake.requests[0].form)).toEqual({
      to: '79255070602',
      msg: 'Привет',
      daytime: '1',
      translit: '1',
      test: '1',
      ip: '77.88.8.8',
      partner_id: '12345',
      api_id: API_ID,
    });
    expect(result.messages[0]).toMatchObject({ accepted: true, status: 'queued' });
  });

  it('sends login and password in the body when configured instead of apiId', async () => {
    await fake.close();
    fake = await SmsRuFake.start({ login: '79255070602', password: 'pa$$w0rd-secret' });
    await start();
    await sms.send({ to: '74993221627', text: 'hi' });
    const [request] = fake.requests;
    expect(request.url).toBe('/sms/send?json=1');
    expect(request.form.get('login')).toBe('79255070602');
    expect(request.form.get('password')).toBe('pa$$w0rd-secret');
    expect(request.form.has('api_id')).toBe(false);
  });

  it('keeps the login and the password out of an error whose answer echoes them', async () => {
    const login = '79255070602';
    const password = 'pa$$w0rd-echoed';
    await fake.close();
    fake = await SmsRuFake.start({ login, password });
    await start();
    fake.server.script({
      status: 200,
      body: `<html>login=${login}&password=${encodeURIComponent(password)}</html>`,
    });
    const error = (await sms.send({ to: '74993221627', text: 'hi' }).catch((e: unknown) => e)) as SmsError;
    expect(error).toMatchObject({ code: 'BAD_RESPONSE', outcome: 'unknown' });
    for (const view of [error.message, JSON.stringify(error), String(error.stack)]) {
      expect(view).not.toContain(login);
      expect(view).not.toContain(password);
      expect(view).not.toContain(encodeURIComponent(password));
    }
  });

  it('reads the recorded live answer: a top-level OK whose recipient failed with 221 and still has an sms_id', async () => {
    const result = await sms.send({ to: '79255070602', text: 'Hello from smsru_ruby', test: true });
    expect(result.messages).toEqual([
      {
        to: '79255070602',
        text: 'Hello from smsru_ruby',
        accepted: false,
        id: '202626-1000002',
        status: 'rejected',
        segments: 1,
        provider: 'main',
        error: {
          code: 'SENDER_NOT_ALLOWED',
          providerCode: 221,
          message: expect.stringContaining('The sender name is not allowed'),
          providerMessage: SMSRU_CODE_TEXTS[221],
          outcome: 'not_sent',
          failure: 'account',
        },
      },
    ]);
    expect(result.balance).toBe(1000);
  });

  it('reads the recorded answer to two numbers in input order, whatever the order of its map', async () => {
    const recorded = loadSmsRuRecordings().find((r) => r.group === 'deliver_many')!;
    fake.server.script({ status: 200, body: recorded.responseBody });
    const result = await sms.send({ to: ['74993221627', '79255070602'], text: 'Hello everyone', test: true });
    expect(fake.requests[0].form.get('to')).toBe('74993221627,79255070602');
    expect(result.messages.map((m) => [m.to, m.id, m.error?.providerCode])).toEqual([
      ['74993221627', '202626-1000001', 221],
      ['79255070602', '202626-1000000', 221],
    ]);
  });

  it('sends different texts as to[<number>]=<text>', async () => {
    const result = await sms.sendBatch([
      { to: '79255070602', text: 'First' },
      { to: '74993221627', text: 'Second' },
    ]);
    expect(fake.requests).toHaveLength(1);
    expect(Object.fromEntries(fake.requests[0].form)).toEqual({
      'to[79255070602]': 'First',
      'to[74993221627]': 'Second',
      api_id: API_ID,
    });
    expect(fake.requests[0].body).toContain('to%5B79255070602%5D=First');
    expect(result.messages.map((m) => [m.to, m.text, m.accepted])).toEqual([
      ['79255070602', 'First', true],
      ['74993221627', 'Second', true],
    ]);
  });

  it('puts two texts for one number into separate requests and answers in input order', async () => {
    const result = await sms.sendBatch([
      { to: '79255070602', text: 'One' },
      { to: '74993221627', text: 'Other' },
      { to: '79255070602', text: 'Two' },
    ]);
    expect(fake.requests).toHaveLength(2);
    for (const request of fake.requests) {
      const recipients = fake.recipientsOf(request);
      expect(new Set(recipients).size).toBe(recipients.length);
    }
    expect(result.messages.map((m) => [m.to, m.text, m.accepted])).toEqual([
      ['79255070602', 'One', true],
      ['74993221627', 'Other', true],
      ['79255070602', 'Two', true],
    ]);
    const ids = result.messages.map((m) => m.id);
    expect(new Set(ids).size).toBe(3);
    expect(fake.messages.get(ids[2]!)?.text).toBe('Two');
  });

  it('sends 250 numbers as exactly 3 requests of at most 100, and 250 results in input order with failures in place', async () => {
    const to = numbers(250);
    fake.recipient(to[5], { code: 207 });
    fake.recipient(to[150], { code: 221, withId: true });
    fake.recipient(to[249], 'omit');

    const result = await sms.send({ to, text: 'Sale today' });

    const requests = fake.requestsTo('sms/send');
    expect(requests).toHaveLength(3);
    const sizes = requests.map((r) => fake.recipientsOf(r).length).sort((a, b) => b - a);
    expect(sizes).toEqual([100, 100, 50]);
    expect(requests.flatMap((r) => fake.recipientsOf(r)).sort()).toEqual([...to].sort());
    for (const request of requests) {
      expect(request.url).toBe('/sms/send?json=1');
      expect(request.form.get('api_id')).toBe(API_ID);
    }

    expect(result.messages).toHaveLength(250);
    expect(result.messages.map((m) => m.to)).toEqual(to);
    expect(result.messages[5]).toMatchObject({
      accepted: false,
      status: 'rejected',
      error: { code: 'NO_ROUTE', providerCode: 207 },
    });
    expect(result.messages[150]).toMatchObject({
      accepted: false,
      id: expect.any(String),
      error: { code: 'SENDER_NOT_ALLOWED', providerCode: 221, outcome: 'not_sent' },
    });
    expect(result.messages[249]).toMatchObject({
      accepted: false,
      status: 'unknown',
      error: { code: 'BAD_RESPONSE', outcome: 'unknown' },
    });
    const accepted = result.messages.filter((m) => m.accepted);
    expect(accepted).toHaveLength(247);
    expect(new Set(accepted.map((m) => m.id)).size).toBe(247);
    for (const m of accepted) expect(fake.messages.get(m.id!)?.to).toBe(m.to);
  });

  it('keeps at most chunkConcurrency requests in flight', async () => {
    await start({ chunkConcurrency: 2 });
    fake.latencyMs = 40;
    const result = await sms.send({ to: numbers(500), text: 'hi' });
    expect(fake.requestsTo('sms/send')).toHaveLength(5);
    expect(fake.server.maxInFlight).toBe(2);
    expect(result.messages.every((m) => m.accepted)).toBe(true);
  });

  it('defaults to 4 requests in flight', async () => {
    fake.latencyMs = 40;
    await sms.send({ to: numbers(800), text: 'hi' });
    expect(fake.requestsTo('sms/send')).toHaveLength(8);
    expect(fake.server.maxInFlight).toBe(4);
  });

  it('gives the recipients of a request refused as a whole its error, and keeps the others', async () => {
    await start({ chunkConcurrency: 1 });
    fake.failRequests('sms/send', 201, 1);
    const to = numbers(250);
    const result = await sms.send({ to, text: 'hi' });
    expect(result.messages.map((m) => m.to)).toEqual(to);
    for (const m of result.messages.slice(0, 100)) {
      expect(m).toMatchObject({
        accepted: false,
        status: 'failed',
        error: {
          code: 'INSUFFICIENT_FUNDS',
          providerCode: 201,
          outcome: 'not_sent',
          failure: 'account',
          providerMessage: SMSRU_CODE_TEXTS[201],
        },
      });
    }
    expect(result.messages.slice(100).every((m) => m.accepted)).toBe(true);
  });

  it.each([
    [505, 'RATE_LIMITED', 'refused'],
    [220, 'UNAVAILABLE', 'unavailable'],
  ] as const)(
    'gives the recipients of a request answered %i as a whole its code and class (%s, %s)',
    async (code, expected, failure) => {
      await start({ chunkConcurrency: 1 }, { retry: false });
      fake.failRequests('sms/send', code, 1);
      const result = await sms.send({ to: numbers(150), text: 'hi' });
      for (const m of result.messages.slice(0, 100)) {
        expect(m.error).toMatchObject({ code: expected, providerCode: code, outcome: 'not_sent', failure });
      }
      expect(result.messages.slice(100).every((m) => m.accepted)).toBe(true);
    },
  );

  it('throws when every request of a send is refused, preferring an unknown outcome', async () => {
    await start({ chunkConcurrency: 1 });
    fake.failRequests('sms/send', 201);
    const refused = await sms.send({ to: numbers(150), text: 'hi' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SmsError);
    expect(refused).toMatchObject({
      code: 'INSUFFICIENT_FUNDS',
      providerCode: 201,
      outcome: 'not_sent',
      retryable: false,
    });

    fake.reset();
    fake.failRequests('sms/send', 201);
    fake.server.script({ status: 200, body: '<html>oops</html>' });
    const mixed = await driver
      .send({ messages: numbers(250).map((n) => outgoing(n, 'hi')) })
      .catch((e: unknown) => e);
    expect(fake.requestsTo('sms/send')).toHaveLength(3);
    expect(mixed).toMatchObject({ code: 'BAD_RESPONSE', outcome: 'unknown' });
  });

  it('repeats a send that SMS.ru answered with 220 or 500 (not carried out), and no other', async () => {
    fake.failRequests('sms/send', 220, 1);
    const once = await sms.send({ to: '79255070602', text: 'hi' });
    expect(once.messages[0].accepted).toBe(true);
    expect(fake.requestsTo('sms/send')).toHaveLength(2);

    fake.reset();
    fake.failRequests('sms/send', 500);
    const error = await sms.send({ to: '79255070602', text: 'hi' }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'UNAVAILABLE',
      providerCode: 500,
      outcome: 'not_sent',
      retryable: true,
    });
    expect(fake.requestsTo('sms/send')).toHaveLength(3);

    fake.reset();
    fake.server.script({ status: 502, body: 'Bad gateway' });
    const unknown = await sms.send({ to: '79255070602', text: 'hi' }).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ code: 'BAD_RESPONSE', outcome: 'unknown', httpStatus: 502 });
    expect(fake.requestsTo('sms/send')).toHaveLength(1);
  });

  it('sends nothing once the deadline has passed, and reports it not sent', async () => {
    const error = await driver
      .send({ messages: [outgoing('79255070602', 'hi')], signal: AbortSignal.abort() })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TIMEOUT', outcome: 'not_sent' });
    expect(fake.requests).toHaveLength(0);
  });

  it('when the deadline passes mid-send: earlier requests stand, the one in flight is unknown, later ones not sent', async () => {
    await start({ chunkConcurrency: 1 });
    fake.latencyMs = 300;
    const to = numbers(250);
    const result = await driver.send({
      messages: to.map((n) => outgoing(n, 'hi')),
      signal: AbortSignal.timeout(450),
    });
    expect(result.messages.map((m) => m.to)).toEqual(to);
    expect(result.messages.slice(0, 100).every((m) => m.accepted)).toBe(true);
    for (const m of result.messages.slice(100, 200)) {
      expect(m).toMatchObject({
        accepted: false,
        status: 'unknown',
        error: { code: 'TIMEOUT', outcome: 'unknown', failure: 'unknown' },
      });
    }
    for (const m of result.messages.slice(200)) {
      expect(m).toMatchObject({
        accepted: false,
        status: 'failed',
        error: { code: 'TIMEOUT', outcome: 'not_sent', failure: 'unavailable' },
      });
    }
    expect(fake.requestsTo('sms/send')).toHaveLength(2);
  });

  it('refuses a text of more than 8 parts before any request (SMS.ru code 205)', async () => {
    const error = await sms
      .send({ to: '79255070602', text: 'я'.repeat(67 * 8 + 1) })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'SmsValidationError', code: 'VALIDATION' });
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses sendAt more than 60 days ahead before any request', async () => {
    const sendAt = new Date(Date.now() + 61 * 86_400_000);
    const error = await sms.send({ to: '79255070602', text: 'hi', sendAt }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'VALIDATION',
      details: [expect.objectContaining({ field: 'sendAt' })],
    });
    expect(fake.requests).toHaveLength(0);
  });
});
