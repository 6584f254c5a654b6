import { type TestingModule } from '@nestjs/testing';
import {
  countSegments,
  type DeliveryStatus,
  SmsError,
  type SmsErrorCode,
  type SmsFailureClass,
  type SmsRuProvider,
} from 'nestjs-sms';
import { RECONCILE_HINT, SMSRU_ERROR_CODES, SMSRU_STATUS_CODES } from 'nestjs-sms/driver';
import {
  SmsRuFake,
  SMSRU_CODE_TEXTS,
  SMSRU_SEED_ERROR_CODES,
  SMSRU_SEED_STATUS_CODES,
} from '../fakes/smsru-fake.server';
import { bootSmsRu } from './smsru-app';

/**
 * The seed's error table as the library must read it, code and failure class (written out here, not
 * taken from the driver).
 */
const EXPECTED_ERRORS: Record<number, [SmsErrorCode, SmsFailureClass]> = {
  200: ['AUTH', 'account'],
  201: ['INSUFFICIENT_FUNDS', 'account'],
  202: ['INVALID_PHONE', 'refused'],
  203: ['VALIDATION', 'refused'],
  204: ['SENDER_NOT_ALLOWED', 'account'],
  205: ['TEXT_TOO_LONG', 'refused'],
  206: ['LIMIT_EXCEEDED', 'account'],
  207: ['NO_ROUTE', 'no_route'],
  208: ['VALIDATION', 'refused'],
  209: ['STOP_LIST', 'refused'],
  210: ['VALIDATION', 'refused'],
  211: ['UNSUPPORTED', 'refused'],
  212: ['VALIDATION', 'refused'],
  213: ['VALIDATION', 'refused'],
  214: ['NO_ROUTE', 'refused'],
  215: ['STOP_LIST', 'refused'],
  216: ['CONTENT_REJECTED', 'refused'],
  217: ['CONTENT_REJECTED', 'refused'],
  220: ['UNAVAILABLE', 'unavailable'],
  221: ['SENDER_NOT_ALLOWED', 'account'],
  230: ['LIMIT_EXCEEDED', 'refused'],
  231: ['LIMIT_EXCEEDED', 'refused'],
  232: ['LIMIT_EXCEEDED', 'refused'],
  233: ['LIMIT_EXCEEDED', 'refused'],
  300: ['AUTH', 'account'],
  301: ['AUTH', 'account'],
  302: ['AUTH', 'account'],
  303: ['AUTH', 'account'],
  304: ['RATE_LIMITED', 'account'],
  305: ['RATE_LIMITED', 'account'],
  500: ['UNAVAILABLE', 'unavailable'],
  501: ['RATE_LIMITED', 'refused'],
  502: ['RATE_LIMITED', 'refused'],
  503: ['RATE_LIMITED', 'refused'],
  504: ['RATE_LIMITED', 'refused'],
  505: ['RATE_LIMITED', 'refused'],
  506: ['RATE_LIMITED', 'refused'],
  507: ['VALIDATION', 'refused'],
  508: ['RATE_LIMITED', 'refused'],
  550: ['NO_ROUTE', 'refused'],
  901: ['VALIDATION', 'refused'],
  902: ['VALIDATION', 'refused'],
};
/** Codes that say SMS.ru did not carry the request out and it may be repeated. */
const RETRYABLE = new Set([220, 500]);
/** The status of a refused recipient, by class. */
const RECIPIENT_STATUS: Record<SmsFailureClass, DeliveryStatus> = {
  unavailable: 'failed',
  account: 'rejected',
  refused: 'rejected',
  no_route: 'rejected',
  unknown: 'unknown',
};

/** The seed's status table as the library must read it. */
const EXPECTED_STATUSES: Record<number, { status: DeliveryStatus; final: boolean }> = {
  [-1]: { status: 'not_found', final: true },
  100: { status: 'queued', final: false },
  101: { status: 'sent', final: false },
  102: { status: 'sent', final: false },
  103: { status: 'delivered', final: true },
  104: { status: 'expired', final: true },
  105: { status: 'rejected', final: true },
  106: { status: 'undelivered', final: true },
  107: { status: 'undelivered', final: true },
  108: { status: 'rejected', final: true },
  110: { status: 'read', final: true },
  150: { status: 'failed', final: true },
};

const PHONE = '79255070602';
const OTHER = '74993221627';
const message = (to: string) => ({ to, text: 'hi', segments: countSegments('hi') });

describe('SMS.ru driver: the code tables of the seed', () => {
  let fake: SmsRuFake;
  let moduleRef: TestingModule;
  let driver: SmsRuProvider;

  beforeAll(async () => {
    fake = await SmsRuFake.start();
    ({ moduleRef, driver } = await bootSmsRu(fake.providerConfig()));
  });
  afterAll(async () => {
    await moduleRef.close();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it('the expected tables cover exactly the codes of the seed, and so does the driver', () => {
    expect(Object.keys(EXPECTED_ERRORS).map(Number).sort()).toEqual([...SMSRU_SEED_ERROR_CODES].sort());
    expect(Object.keys(EXPECTED_STATUSES).map(Number).sort()).toEqual([...SMSRU_SEED_STATUS_CODES].sort());
    for (const code of SMSRU_SEED_ERROR_CODES) {
      const row = SMSRU_ERROR_CODES[code];
      expect([code, row?.code, row?.failure]).toEqual([code, ...EXPECTED_ERRORS[code]]);
      expect(row.why.length).toBeGreaterThan(10);
    }
    expect(SMSRU_ERROR_CODES[150]).toMatchObject({ code: 'NO_ROUTE', failure: 'no_route' });
    for (const code of SMSRU_SEED_STATUS_CODES)
      expect(SMSRU_STATUS_CODES[code]?.status).toBe(EXPECTED_STATUSES[code].status);
  });

  it.each(SMSRU_SEED_ERROR_CODES.map((code) => [code, ...EXPECTED_ERRORS[code]] as const))(
    'a whole send refused with %i throws %s, class %s',
    async (code, expected, failure) => {
      fake.failRequests('sms/send', code);
      const error = (await driver.send({ messages: [message(PHONE)] }).catch((e: unknown) => e)) as SmsError;
      expect(error).toBeInstanceOf(SmsError);
      expect(error).toMatchObject({
        code: expected,
        failure,
        provider: 'main',
        providerCode: code,
        providerMessage: SMSRU_CODE_TEXTS[code],
        outcome: 'not_sent',
        retryable: RETRYABLE.has(code),
        httpStatus: 200,
      });
      expect(error.message).toContain(`SMS.ru ${code}`);
      expect(error.message).not.toContain(SMSRU_CODE_TEXTS[code]);
      expect(fake.requestsTo('sms/send')).toHaveLength(RETRYABLE.has(code) ? 3 : 1);
    },
  );

  it.each([
    ...SMSRU_SEED_ERROR_CODES.map((code) => [code, ...EXPECTED_ERRORS[code]] as const),
    [150, 'NO_ROUTE', 'no_route'] as const,
  ])(
    'a recipient refused with %i is accepted: false with %s, class %s, the other recipient accepted',
    async (code, expected, failure) => {
      fake.recipient(PHONE, { code, withId: true });
      const result = await driver.send({ messages: [message(PHONE), message(OTHER)] });
      expect(result.messages[0]).toMatchObject({
        to: PHONE,
        accepted: false,
        id: expect.stringMatching(/^\d+-\d+$/),
        status: RECIPIENT_STATUS[failure],
        error: {
          code: expected,
          failure,
          providerCode: code,
          providerMessage: SMSRU_CODE_TEXTS[code],
          outcome: 'not_sent',
        },
      });
      expect(result.messages[0].error!.message).toContain(`SMS.ru ${code}`);
      expect(result.messages[1]).toMatchObject({ to: OTHER, accepted: true });
    },
  );

  it('a code outside the table reads as UNKNOWN, class unknown: never success, never resent', async () => {
    fake.recipient(PHONE, { code: 999, statusText: 'new code' });
    const result = await driver.send({ messages: [message(PHONE)] });
    expect(result.messages[0]).toMatchObject({
      accepted: false,
      status: 'unknown',
      error: {
        code: 'UNKNOWN',
        providerCode: 999,
        providerMessage: 'new code',
        outcome: 'unknown',
        failure: 'unknown',
      },
    });
    expect(result.messages[0].error!.message).toContain(RECONCILE_HINT);
    fake.reset();
    fake.failRequests('sms/send', 999);
    await expect(driver.send({ messages: [message(PHONE)] })).rejects.toMatchObject({
      code: 'UNKNOWN',
      providerCode: 999,
      outcome: 'unknown',
      failure: 'unknown',
    });
    expect(fake.requestsTo('sms/send')).toHaveLength(1);
  });

  it.each(
    SMSRU_SEED_STATUS_CODES.map(
      (code) => [code, EXPECTED_STATUSES[code].status, EXPECTED_STATUSES[code].final] as const,
    ),
  )('status %i reads as %s, final %s', async (code, status, final) => {
    fake.statusSequence('202626-5550000', [code]);
    const [result] = await driver.getStatus(['202626-5550000']);
    expect(result).toMatchObject({ id: '202626-5550000', status, final, providerStatus: code });
    expect(result.providerMessage).toBe(SMSRU_CODE_TEXTS[code]);
  });

  it('a status code outside the table reads as unknown and not final', async () => {
    fake.statusSequence('202626-5550001', [199]);
    await expect(driver.getStatus(['202626-5550001'])).resolves.toEqual([
      expect.objectContaining({ status: 'unknown', final: false, providerStatus: 199 }),
    ]);
  });
});
