import { type TestingModule } from '@nestjs/testing';
import { SmsError, SmsPilotProvider, SmsService } from 'nestjs-sms';
import { RECONCILE_HINT, SMS_ERROR_MESSAGES } from 'nestjs-sms/driver';
import { SMSPILOT_RECORDED, SmsPilotFake, formOf } from '../fakes/smspilot-fake.server';
import { bootSmsPilot } from './smspilot-app';

const KEY = 'pilot-key-5f3a9c';
const NUMBERS = ['79021234567', '79087964781', '79161231212', '79131437355', '79037672215'];

describe('SMSPilot send', () => {
  let fake: SmsPilotFake;
  let app: TestingModule;
  let sms: SmsService;

  beforeEach(async () => {
    fake = await SmsPilotFake.start({ apiKey: KEY });
    ({ app, sms } = await bootSmsPilot(fake, KEY));
  });
  afterEach(async () => {
    await app.close();
    await fake.close();
  });

  it('POSTs /api.php with the key and format=json in the body only, and reads the recorded answer', async () => {
    const result = await sms.send({ to: '+7 902 123-45-67', text: 'Hello', sender: 'INFORM' });

    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/api.php');
    expect(request.url).not.toContain(KEY);
    expect([...request.query.keys()]).toEqual([]);
    expect(request.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(formOf(request)).toEqual({
      apikey: KEY,
      send: 'Hello',
      to: '79021234567',
      from: 'INFORM',
      format: 'json',
    });
    expect(result).toMatchObject({ provider: 'backup', cost: 1.68, balance: 20006.97 });
    expect(result.messages).toEqual([
      {
        to: '79021234567',
        text: 'Hello',
        accepted: true,
        id: '10000',
        status: 'queued',
        segments: 1,
        price: 1.68,
        provider: 'backup',
      },
    ]);
  });

  it('is answered with exactly the recorded body for the recorded request', async () => {
    await sms.send({ to: '79021234567', text: 'Hello' });
    expect(fake.lastAnswer).toBe(SMSPILOT_RECORDED.sendJson);
  });

  it('reports the 2 numbers SMSPilot drops from a list of 5 as INVALID_PHONE, in input order', async () => {
    fake.dropNumbers(NUMBERS[1], NUMBERS[3]);
    fake.configureNumber(NUMBERS[2], { price: 0.29 });
    fake.answerOrder = 'reversed';

    const result = await sms.send({ to: NUMBERS, text: 'Sale today' });

    expect(fake.requests).toHaveLength(1);
    expect(fake.lastForm().to).toBe(NUMBERS.join(','));
    expect(result.messages.map((m) => m.to)).toEqual(NUMBERS);
    const accepted = result.messages.filter((m) => m.accepted);
    expect(accepted.map((m) => [m.to, m.id, m.price, m.status])).toEqual([
      [NUMBERS[0], '10000', 1.68, 'queued'],
      [NUMBERS[2], '10001', 0.29, 'queued'],
      [NUMBERS[4], '10002', 1.68, 'queued'],
    ]);
    for (const i of [1, 3]) {
      expect(result.messages[i]).toMatchObject({
        to: NUMBERS[i],
        accepted: false,
        status: 'failed',
        error: { code: 'INVALID_PHONE', outcome: 'not_sent', failure: 'refused' },
      });
      expect(result.messages[i].id).toBeUndefined();
    }
    expect(result.cost).toBe(3.65);
    expect(typeof result.balance).toBe('number');
  });

  it('reports every recipient INVALID_PHONE (not a throw) when SMSPilot answers 111 for the whole list', async () => {
    fake.dropNumbers(...NUMBERS.slice(0, 3));
    const result = await sms.send({ to: NUMBERS.slice(0, 3), text: 'Hi' });
    expect(result.messages).toHaveLength(3);
    for (const m of result.messages) {
      expect(m).toMatchObject({
        accepted: false,
        status: 'failed',
        error: {
          code: 'INVALID_PHONE',
          providerCode: '111',
          providerMessage: 'Неправильный номер телефона',
          outcome: 'not_sent',
          failure: 'refused',
        },
      });
    }
  });

  it('does not call a missing number invalid when the answer lists a number that was not asked', async () => {
    fake.reply({
      body: JSON.stringify({
        send: [
          { server_id: '4566', phone: '79087964782', price: '0.60', status: '0' },
          { server_id: '4568', phone: '79161231212', price: '0.29', status: '0' },
        ],
        balance: '320.50',
        cost: '0.89',
      }),
    });
    const result = await sms.send({ to: ['79087964781', '79161231212'], text: 'Hello' });
    expect(result.messages[1]).toMatchObject({ to: '79161231212', accepted: true, id: '4568', price: 0.29 });
    expect(result.messages[0]).toMatchObject({
      to: '79087964781',
      accepted: false,
      status: 'unknown',
      error: { code: 'BAD_RESPONSE', outcome: 'unknown', failure: 'unknown' },
    });
  });

  it('reports a refused entry (status -2) as not accepted, keeping its id, as the number or the length', async () => {
    fake.configureNumber(NUMBERS[0], { sendStatus: -2 });
    const result = await sms.send({ to: NUMBERS.slice(0, 2), text: 'Hi' });
    expect(result.messages[0]).toMatchObject({
      accepted: false,
      id: '10000',
      status: 'failed',
      error: { code: 'VALIDATION', providerCode: -2, outcome: 'not_sent', failure: 'refused' },
    });
    const { message } = result.messages[0].error!;
    expect(message).toContain('message length, phone number');
    expect(message).not.toContain(SMS_ERROR_MESSAGES.INVALID_PHONE);
    expect(result.messages[1]).toMatchObject({ accepted: true, id: '10001', status: 'queued' });
  });

  it('sends sendAt as UNIX seconds, ttl, test=1 and the configured callback', async () => {
    await app.close();
    ({ app, sms } = await bootSmsPilot(fake, KEY, {
      callbackUrl: 'http://example.test/sms/status',
      callbackMethod: 'post',
      sender: 'MyShop',
    }));
    const sendAt = new Date(Date.now() + 3_600_000);
    const result = await sms.send({ to: NUMBERS[0], text: 'Later', sendAt, ttlMinutes: 30, test: true });

    expect(fake.lastForm()).toEqual({
      apikey: KEY,
      send: 'Later',
      to: NUMBERS[0],
      from: 'MyShop',
      send_datetime: String(Math.floor(sendAt.getTime() / 1000)),
      ttl: '30',
      test: '1',
      callback: 'http://example.test/sms/status',
      callback_method: 'post',
      format: 'json',
    });
    expect(result.messages[0]).toMatchObject({ accepted: true, status: 'scheduled' });
  });

  it('defaults callback_method to get and leaves out options not given', async () => {
    await app.close();
    ({ app, sms } = await bootSmsPilot(fake, KEY, { callbackUrl: 'http://example.test/cb' }));
    await sms.send({ to: NUMBERS[0], text: 'Now' });
    expect(fake.lastForm()).toEqual({
      apikey: KEY,
      send: 'Now',
      to: NUMBERS[0],
      callback: 'http://example.test/cb',
      callback_method: 'get',
      format: 'json',
    });
  });

  it('authenticates with login and password in the body when no key is configured', async () => {
    await app.close();
    await fake.close();
    fake = await SmsPilotFake.start({ login: 'shop@example.test', password: 'pa55-word-x' });
    ({ app, sms } = await bootSmsPilot(fake, KEY, {
      apiKey: undefined,
      login: 'shop@example.test',
      password: 'pa55-word-x',
    }));
    const result = await sms.send({ to: NUMBERS[0], text: 'Hi' });
    expect(result.messages[0].accepted).toBe(true);
    const form = fake.lastForm();
    expect(form).toMatchObject({ login: 'shop@example.test', password: 'pa55-word-x', format: 'json' });
    expect(form.apikey).toBeUndefined();
    expect(fake.requests[0].url).toBe('/api.php');
  });

  it('keeps the login and the password out of an error whose answer echoes them', async () => {
    const login = 'shop-owner@example.test';
    const password = 'pa55-word-echoed';
    await app.close();
    await fake.close();
    fake = await SmsPilotFake.start({ login, password });
    ({ app, sms } = await bootSmsPilot(fake, KEY, { apiKey: undefined, login, password }));
    fake.reply({ status: 200, body: `<html>bad request: login=${login}&password=${password}</html>` });
    const err = (await sms.send({ to: NUMBERS[0], text: 'Hi' }).catch((e: unknown) => e)) as SmsError;
    expect(err).toMatchObject({ code: 'BAD_RESPONSE', outcome: 'unknown' });
    const views = [err.message, JSON.stringify(err), String(err.stack)];
    for (const view of views) {
      expect(view).not.toContain(login);
      expect(view).not.toContain(password);
    }
    expect(err.message).toContain('[redacted]');
  });

  it('test=1 reaches the emulator: priced in the answer, never charged, never delivered', async () => {
    const before = fake.balanceKopecks;
    fake.configureNumber(NUMBERS[0], { statuses: [1, 2] });
    const result = await sms.send({ to: NUMBERS[0], text: 'Emulated', test: true });
    expect(fake.lastForm().test).toBe('1');
    expect(result.messages[0]).toMatchObject({ accepted: true, status: 'queued', price: 1.68 });
    expect(result.balance).toBe(before / 100);
    expect(fake.balanceKopecks).toBe(before);
    const id = result.messages[0].id!;
    for (let i = 0; i < 3; i++) {
      const [status] = await sms.getStatus(id);
      expect(status).toMatchObject({ id, status: 'queued', final: false, providerStatus: 0 });
    }

    const real = await sms.send({ to: NUMBERS[0], text: 'Real' });
    expect(fake.balanceKopecks).toBe(before - 168);
    expect((await sms.getStatus(real.messages[0].id!))[0]).toMatchObject({ status: 'sent' });
    expect((await sms.getStatus(real.messages[0].id!))[0]).toMatchObject({ status: 'delivered' });
  });

  it('sends one request per distinct text, chunkConcurrency at a time, and merges results in input order', async () => {
    await app.close();
    ({ app, sms } = await bootSmsPilot(fake, KEY, { chunkConcurrency: 2 }));
    fake.http.setHandler(async (request) => {
      await new Promise((r) => setTimeout(r, 40));
      return fake.handle(request);
    });
    const items = [
      { to: NUMBERS[0], text: 'A' },
      { to: NUMBERS[1], text: 'B' },
      { to: NUMBERS[2], text: 'A' },
      { to: NUMBERS[0], text: 'C' },
      { to: NUMBERS[3], text: 'D' },
      { to: NUMBERS[4], text: 'B' },
    ];
    const result = await sms.sendBatch(items);

    expect(fake.requests).toHaveLength(4);
    expect(fake.http.maxInFlight).toBe(2);
    const byText = Object.fromEntries(fake.requests.map((r) => [formOf(r).send, formOf(r).to]));
    expect(byText).toEqual({
      A: `${NUMBERS[0]},${NUMBERS[2]}`,
      B: `${NUMBERS[1]},${NUMBERS[4]}`,
      C: NUMBERS[0],
      D: NUMBERS[3],
    });
    expect(result.messages.map((m) => [m.to, m.text, m.accepted])).toEqual(
      items.map((i) => [i.to, i.text, true]),
    );
    const ids = result.messages.map((m) => m.id);
    expect(new Set(ids).size).toBe(6);
    for (const m of result.messages) expect(fake.message(m.id!)).toMatchObject({ phone: m.to, text: m.text });
    expect(result.cost).toBe(10.08);
  });

  it('splits a long list into requests of at most 500 numbers', async () => {
    const numbers = Array.from({ length: 1201 }, (_, i) => `7902${String(1000000 + i).padStart(7, '0')}`);
    const result = await sms.send({ to: numbers, text: 'Bulk' });
    const sizes = fake.requests.map((r) => formOf(r).to.split(',').length);
    expect(sizes.sort((a, b) => b - a)).toEqual([500, 500, 201]);
    expect(result.messages.map((m) => m.to)).toEqual(numbers);
    expect(result.messages.every((m) => m.accepted)).toBe(true);
  });

  it('keeps what was sent when one request of a batch fails, and throws when all fail', async () => {
    fake.http.setHandler((request) => {
      const text = formOf(request).send;
      if (text === 'B') return { body: JSON.stringify({ error: { code: '112', description: 'No money' } }) };
      if (text === 'C') return { body: '<html>Bad gateway</html>' };
      return fake.handle(request);
    });
    const result = await sms.sendBatch([
      { to: NUMBERS[0], text: 'A' },
      { to: NUMBERS[1], text: 'B' },
      { to: NUMBERS[2], text: 'C' },
    ]);
    expect(fake.requests).toHaveLength(3);
    expect(result.messages[0]).toMatchObject({ accepted: true, status: 'queued' });
    expect(result.messages[1]).toMatchObject({
      accepted: false,
      status: 'failed',
      error: { code: 'INSUFFICIENT_FUNDS', providerCode: '112', outcome: 'not_sent', failure: 'account' },
    });
    expect(result.messages[2]).toMatchObject({
      accepted: false,
      status: 'unknown',
      error: { code: 'BAD_RESPONSE', outcome: 'unknown', failure: 'unknown' },
    });

    const err = await sms
      .sendBatch([
        { to: NUMBERS[3], text: 'B' },
        { to: NUMBERS[4], text: 'C' },
      ])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SmsError);
    expect(err).toMatchObject({ code: 'BAD_RESPONSE', outcome: 'unknown' });
  });

  it('never repeats a send answered 110 (system error: it may have gone out), nor one whose answer was lost', async () => {
    fake.failNext('110');
    const unknown = await sms.send({ to: NUMBERS[0], text: 'Once only' }).catch((e: unknown) => e);
    expect(unknown).toMatchObject({
      code: 'UNKNOWN',
      providerCode: '110',
      outcome: 'unknown',
      failure: 'unknown',
    });
    expect((unknown as SmsError).message).toContain(RECONCILE_HINT);
    expect(fake.requests).toHaveLength(1);

    fake.http.reset();
    fake.reply({ status: 502, body: 'Bad gateway' });
    const err = await sms.send({ to: NUMBERS[1], text: 'Once' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BAD_RESPONSE', outcome: 'unknown' });
    expect(fake.requests).toHaveLength(1);
  });

  it('is reachable as a typed driver', () => {
    expect(sms.driver('backup', SmsPilotProvider)).toBeInstanceOf(SmsPilotProvider);
  });
});
