import { SmsError, type SmsErrorCode, type SmsFailureClass } from 'nestjs-sms';
import {
  SMSPILOT_ERROR_CODES,
  SMSPILOT_HLR_STATUSES,
  SMSPILOT_STATUSES,
  SMS_ERROR_MESSAGES,
  isFinalStatus,
  RECONCILE_HINT,
} from 'nestjs-sms/driver';
import { SMSPILOT_ERROR_TEXTS } from '../fakes/smspilot-fake.server';
import { smsPilotPerTest } from './smspilot-app';

const KEY = 'pilot-key-codes-77';
const PHONE = '79087964781';

/**
 * The outcome table the issue asks for, written out independently of the driver's: every code of
 * the seed (tables 1.5 and 2.3, and the changelog's 103–105, 116–118), its library code and class.
 */
const EXPECTED_ERRORS: Record<string, [SmsErrorCode, SmsFailureClass]> = {
  '100': ['AUTH', 'account'],
  '101': ['AUTH', 'account'],
  '102': ['AUTH', 'account'],
  '103': ['INSUFFICIENT_FUNDS', 'account'],
  '104': ['AUTH', 'account'],
  '105': ['INSUFFICIENT_FUNDS', 'account'],
  '106': ['AUTH', 'account'],
  '108': ['INVALID_PHONE', 'refused'],
  '110': ['UNKNOWN', 'unknown'],
  '111': ['INVALID_PHONE', 'refused'],
  '112': ['INSUFFICIENT_FUNDS', 'account'],
  '113': ['AUTH', 'account'],
  '115': ['SENDER_NOT_ALLOWED', 'account'],
  '116': ['SENDER_NOT_ALLOWED', 'account'],
  '117': ['LIMIT_EXCEEDED', 'account'],
  '118': ['LIMIT_EXCEEDED', 'refused'],
  '204': ['SENDER_NOT_ALLOWED', 'account'],
  '215': ['INVALID_PHONE', 'refused'],
  '220': ['VALIDATION', 'refused'],
  '223': ['CONTENT_REJECTED', 'refused'],
  '243': ['LIMIT_EXCEEDED', 'refused'],
  '250': ['VALIDATION', 'refused'],
  '260': ['VALIDATION', 'refused'],
  '270': ['VALIDATION', 'refused'],
  '300': ['VALIDATION', 'refused'],
  '301': ['VALIDATION', 'refused'],
  '302': ['VALIDATION', 'refused'],
  '303': ['VALIDATION', 'refused'],
  '400': ['AUTH', 'account'],
  '401': ['AUTH', 'account'],
};

/** Tables 1.2 / 2.2 of the seed, as the issue maps them. */
const EXPECTED_STATUSES: Array<[number, string, boolean]> = [
  [-2, 'failed', true],
  [-1, 'undelivered', true],
  [0, 'queued', false],
  [1, 'sent', false],
  [2, 'delivered', true],
  [3, 'scheduled', false],
];

/** Table 6.3 (HLR). */
const EXPECTED_HLR: Array<[number, string, boolean]> = [
  [-2, 'failed', true],
  [-1, 'not_served', true],
  [0, 'accepted', false],
  [1, 'in_progress', false],
  [2, 'served', true],
];

const PER_RECIPIENT = new Set(['111', '215']);

describe('SMSPilot code tables', () => {
  const bed = smsPilotPerTest(KEY);

  it('maps exactly the codes of the seed, each to the expected code and class', () => {
    expect(Object.keys(SMSPILOT_ERROR_CODES).sort()).toEqual(Object.keys(EXPECTED_ERRORS).sort());
    expect(Object.keys(SMSPILOT_ERROR_TEXTS).sort()).toEqual(Object.keys(EXPECTED_ERRORS).sort());
    for (const [code, [expected, failure]] of Object.entries(EXPECTED_ERRORS)) {
      expect([code, SMSPILOT_ERROR_CODES[code].code, SMSPILOT_ERROR_CODES[code].failure]).toEqual([
        code,
        expected,
        failure,
      ]);
      expect(SMSPILOT_ERROR_CODES[code].why.length).toBeGreaterThan(10);
    }
  });

  describe.each(Object.keys(EXPECTED_ERRORS).filter((code) => !PER_RECIPIENT.has(code)))(
    'error %s',
    (code) => {
      const [expected, failure] = EXPECTED_ERRORS[code];
      it(`fails a send with ${expected} (${failure}), the provider's code and texts, in one request`, async () => {
        bed.fake.failNext(code, 3);
        const err = (await bed.sms.send({ to: PHONE, text: 'Hi' }).catch((e: unknown) => e)) as SmsError;

        expect(err).toBeInstanceOf(SmsError);
        const [, descriptionRu] = SMSPILOT_ERROR_TEXTS[code];
        expect(err).toMatchObject({
          code: expected,
          failure,
          provider: 'backup',
          providerCode: code,
          providerMessage: descriptionRu,
          outcome: failure === 'unknown' ? 'unknown' : 'not_sent',
          retryable: false,
        });
        expect(err.message).toContain(SMS_ERROR_MESSAGES[expected]);
        expect(err.message).toContain(`SMSPilot error ${code}`);
        expect(err.message.includes(RECONCILE_HINT)).toBe(failure === 'unknown');
        expect(err.message).not.toMatch(/[а-яё]/i);
        expect(bed.fake.requests).toHaveLength(1);
      });
    },
  );

  it.each([...PER_RECIPIENT])(
    'error %s on a send refuses each recipient with INVALID_PHONE, class refused',
    async (code) => {
      bed.fake.failNext(code);
      const result = await bed.sms.send({ to: [PHONE, '79161231212'], text: 'Hi' });
      expect(result.messages).toHaveLength(2);
      for (const m of result.messages) {
        expect(m).toMatchObject({
          accepted: false,
          error: {
            code: EXPECTED_ERRORS[code][0],
            providerCode: code,
            outcome: 'not_sent',
            failure: 'refused',
          },
        });
      }
    },
  );

  it('maps a code the seed does not list to UNKNOWN, class unknown: a send is never repeated', async () => {
    bed.fake.failNext('999', 3, 'send');
    const sent = await bed.sms.send({ to: PHONE, text: 'Hi' }).catch((e: unknown) => e);
    expect(sent).toMatchObject({
      code: 'UNKNOWN',
      providerCode: '999',
      outcome: 'unknown',
      failure: 'unknown',
    });
    expect(bed.fake.requests).toHaveLength(1);
  });

  it('reads an undocumented code on a read as UNKNOWN, repeated like any read whose outcome is unknown', async () => {
    bed.fake.reply({
      body: '{"error":{"code":"999","description":"Something new","description_ru":"Новое"}}',
    });
    await expect(bed.pilot.getBalance()).resolves.toBe(20008.65);
    expect(bed.fake.requests).toHaveLength(2);
    bed.fake.http.reset();
    bed.fake.failNext('999', 3, 'balance');
    const err = await bed.pilot.getBalance().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'UNKNOWN', providerCode: '999', failure: 'unknown' });
    expect(bed.fake.requests).toHaveLength(3);
  });

  it('reads the error of a read call too (balance)', async () => {
    bed.fake.failNext('113');
    await expect(bed.pilot.getBalance()).rejects.toMatchObject({ code: 'AUTH', providerCode: '113' });
  });

  it('makes an id not_found on a 302 for it alone, and throws the other status errors', async () => {
    const statuses = await bed.sms.getStatus(['123', '456'], { provider: 'backup' });
    expect(statuses).toEqual([
      { id: '123', provider: 'backup', status: 'not_found', final: true, providerStatus: '302' },
      { id: '456', provider: 'backup', status: 'not_found', final: true, providerStatus: '302' },
    ]);
    const asked = bed.fake.requests.map((r) => r.form.get('check'));
    expect([asked[0], ...asked.slice(1).sort()]).toEqual(['123,456', '123', '456']);
    for (const code of ['300', '301', '303']) {
      bed.fake.failNext(code);
      await expect(bed.sms.getStatus('123')).rejects.toMatchObject({
        code: 'VALIDATION',
        providerCode: code,
      });
    }
  });

  it('has the status table of the seed', () => {
    expect(Object.keys(SMSPILOT_STATUSES).map(Number).sort()).toEqual(
      EXPECTED_STATUSES.map(([c]) => c).sort(),
    );
  });

  it.each(EXPECTED_STATUSES)('status %i is %s (final %s)', async (code, status, final) => {
    bed.fake.configureNumber(PHONE, { statuses: [code] });
    const sent = await bed.sms.send({ to: PHONE, text: 'Track me' });
    const [read] = await bed.sms.getStatus(sent.messages[0].id!);
    expect(read).toEqual({
      id: sent.messages[0].id,
      provider: 'backup',
      status,
      final,
      providerStatus: code,
      price: 1.68,
      to: PHONE,
    });
    expect(isFinalStatus(read.status)).toBe(final);
    expect(bed.fake.lastForm()).toEqual({ apikey: KEY, check: sent.messages[0].id, format: 'json' });
  });

  it('reports a status outside the table as unknown and not final', async () => {
    bed.fake.reply({
      body: '{"check":[{"server_id":"77","phone":"79087964781","price":"0.50","status":"9"}]}',
    });
    expect(await bed.pilot.getStatus(['77'])).toEqual([
      { id: '77', status: 'unknown', final: false, providerStatus: 9, price: 0.5, to: PHONE },
    ]);
  });

  it('has the HLR status table of the seed', () => {
    expect(Object.keys(SMSPILOT_HLR_STATUSES).map(Number).sort()).toEqual(
      EXPECTED_HLR.map(([c]) => c).sort(),
    );
  });

  it.each(EXPECTED_HLR)('HLR status %i is %s (final %s)', async (code, state, final) => {
    bed.fake.configureNumber(PHONE, { statuses: [code] });
    const request = await bed.pilot.sendHlr(PHONE);
    const [result] = await bed.pilot.getHlrStatus(request.id!);
    expect(result).toMatchObject({ id: request.id, providerStatus: code, state, final });
  });
});
