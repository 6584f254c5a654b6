import { inspect } from 'node:util';
import { type TestingModule } from '@nestjs/testing';
import { SmsError, type SmsService } from 'nestjs-sms';
import { SmsRuFake } from '../fakes/smsru-fake.server';
import { bootSmsRu } from './smsru-app';

const API_ID = 'SECRET-api-id-7f3a9c1e5b';
const LOGIN = '79990001122';
const PASSWORD = 'P@ss/w0rd+secret&=';
const TEXT = 'Private text 4711';

/** Every way an error can be printed. */
function printed(error: unknown): string[] {
  return [(error as Error).message, String(error), JSON.stringify(error), inspect(error, { depth: 10 })];
}

describe('SMS.ru driver: answers that are not the promised JSON', () => {
  let fake: SmsRuFake;
  let moduleRef: TestingModule;
  let sms: SmsService;

  async function start(credentials: 'apiId' | 'login') {
    fake = await SmsRuFake.start({ apiId: API_ID, login: LOGIN, password: PASSWORD });
    const config =
      credentials === 'apiId'
        ? fake.providerConfig({ login: undefined, password: undefined, apiId: API_ID })
        : fake.providerConfig();
    ({ moduleRef, sms } = await bootSmsRu(config));
  }

  afterEach(async () => {
    await moduleRef.close();
    await fake.close();
  });

  const cases: Array<
    [string, { status: number; body: string; headers?: Record<string, string> }, number, string]
  > = [
    [
      'an HTML 502',
      {
        status: 502,
        headers: { 'content-type': 'text/html' },
        body: `<html><body><h1>502 Bad Gateway</h1>api_id=${API_ID} password=${encodeURIComponent(PASSWORD)} ${PASSWORD}</body></html>`,
      },
      502,
      '502 Bad Gateway',
    ],
    ['an empty 200', { status: 200, body: '' }, 200, '(empty body)'],
    [
      'truncated JSON',
      { status: 200, body: '{\n    "status": "OK",\n    "status_code": 100,\n    "sms": {\n        "7925' },
      200,
      '"status": "OK"',
    ],
    ['{"status":"OK"} without sms', { status: 200, body: '{"status":"OK"}' }, 200, '{"status":"OK"}'],
    [
      'an HTML 200',
      {
        status: 200,
        headers: { 'content-type': 'text/html' },
        body: `<html>Maintenance ${API_ID} ${PASSWORD}</html>`,
      },
      200,
      'Maintenance',
    ],
    ['a JSON array', { status: 200, body: '[]' }, 200, '[]'],
    ['a JSON without status', { status: 200, body: '{"status_code":100,"sms":{}}' }, 200, 'status_code'],
    ['an ERROR without a code', { status: 200, body: '{"status":"ERROR","status_text":"?"}' }, 200, 'ERROR'],
    [
      '"sms" that is not a map',
      { status: 200, body: '{"status":"OK","status_code":100,"sms":"79255070602"}' },
      200,
      'sms',
    ],
  ];

  describe.each(['apiId', 'login'] as const)('with %s credentials', (credentials) => {
    beforeEach(() => start(credentials));
    const secrets = credentials === 'apiId' ? [API_ID] : [PASSWORD, encodeURIComponent(PASSWORD)];

    it.each(cases)(
      '%s gives BAD_RESPONSE, outcome unknown, sent once, no secret or request body in any print',
      async (_, reply, status, excerpt) => {
        fake.server.script(reply);
        const error = await sms.send({ to: '+7 925 507-06-02', text: TEXT }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SmsError);
        expect(error).toMatchObject({
          code: 'BAD_RESPONSE',
          outcome: 'unknown',
          httpStatus: status,
          provider: 'main',
        });
        expect((error as SmsError).message).toContain(`HTTP ${status}`);
        expect((error as SmsError).message).toContain(excerpt);
        expect(fake.requestsTo('sms/send')).toHaveLength(1);

        const body = fake.requests[0].body;
        for (const text of printed(error)) {
          for (const secret of [...secrets, body, TEXT, encodeURIComponent(TEXT)]) {
            expect(text).not.toContain(secret);
          }
        }
      },
    );
  });

  describe('reads and per-recipient entries', () => {
    beforeEach(() => start('apiId'));

    it('a read is repeated on a malformed answer, then gives BAD_RESPONSE', async () => {
      fake.server.script(
        { status: 200, body: '' },
        { status: 200, body: '{"status":"OK"}' },
        { status: 200, body: '<html/>' },
      );
      const error = await sms.getBalance().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'BAD_RESPONSE', outcome: 'unknown' });
      expect(fake.requestsTo('my/balance')).toHaveLength(3);
      for (const text of printed(error)) expect(text).not.toContain(API_ID);
    });

    it('a read succeeds once a malformed answer is followed by a good one', async () => {
      fake.server.script({ status: 200, body: '{"status":"OK","status_code":100' });
      await expect(sms.getBalance()).resolves.toMatchObject({ balance: 1000 });
      expect(fake.requestsTo('my/balance')).toHaveLength(2);
    });

    it('a status answer without the asked id is BAD_RESPONSE, not a made-up status', async () => {
      fake.server.script(
        ...Array.from({ length: 3 }, () => ({
          status: 200,
          body: '{"status":"OK","status_code":100,"sms":{}}',
        })),
      );
      await expect(sms.getStatus('202626-1000000')).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
    });

    it('a malformed entry, or an OK entry without an sms_id, makes that recipient unknown and keeps the others', async () => {
      fake.recipient('79255070602', { raw: 'oops' });
      fake.recipient('74993221627', { raw: { status: 'OK', status_code: 100 } });
      const result = await sms.send({ to: ['79255070602', '74993221627', '79161234567'], text: 'hi' });
      for (const m of result.messages.slice(0, 2)) {
        expect(m).toMatchObject({
          accepted: false,
          status: 'unknown',
          error: { code: 'BAD_RESPONSE', outcome: 'unknown' },
        });
      }
      expect(result.messages[2]).toMatchObject({ to: '79161234567', accepted: true });
    });

    it('reads numbers and money sent as strings', async () => {
      fake.server.script({
        status: 200,
        body: JSON.stringify({
          status: 'OK',
          status_code: '100',
          sms: { '79255070602': { status: 'OK', status_code: '100', sms_id: 202626, cost: '2.50' } },
          balance: '12.5',
        }),
      });
      const result = await sms.send({ to: '79255070602', text: 'hi' });
      expect(result.messages[0]).toMatchObject({ accepted: true, id: '202626', price: 2.5 });
      expect(result).toMatchObject({ balance: 12.5, cost: 2.5 });
    });

    it('an error entry carrying a code as a string still maps', async () => {
      fake.recipient('79255070602', {
        raw: { status: 'ERROR', status_code: '207', status_text: 'no route' },
      });
      const result = await sms.send({ to: '79255070602', text: 'hi' });
      expect(result.messages[0]).toMatchObject({
        accepted: false,
        status: 'rejected',
        error: { code: 'NO_ROUTE', providerCode: 207 },
      });
    });

    it('never writes the api_id into a URL, even after retries', async () => {
      fake.failRequests('sms/send', 220, 2);
      await sms.send({ to: '79255070602', text: 'hi' });
      await sms.getBalance();
      expect(fake.requests.length).toBeGreaterThanOrEqual(4);
      for (const request of fake.requests) {
        expect(request.url).not.toContain(API_ID);
        expect(request.url).toMatch(/^\/[a-z]+\/[a-z]+\?json=1$/);
        expect(request.form.get('api_id')).toBe(API_ID);
      }
    });
  });
});
