import { Test, type TestingModule } from '@nestjs/testing';
import {
  countSegments,
  type DeliveryStatus,
  SmsError,
  type SmsErrorCode,
  SmsModule,
  SMSRU_ERROR_CODES,
  SMSRU_STATUS_CODES,
  SmsRuProvider,
  SmsService,
} from 'nestjs-sms';
import {
  SmsRuFake,
  SMSRU_CODE_TEXTS,
  SMSRU_SEED_ERROR_CODES,
  SMSRU_SEED_STATUS_CODES,
} from '../fakes/smsru-fake.server';

/** The seed's error table as the library must read it (written out here, not taken from the driver). */
const EXPECTED_ERRORS: Record<number, SmsErrorCode> = {
  200: 'AUTH',
  201: 'INSUFFICIENT_FUNDS',
  202: 'INVALID_PHONE',
  203: 'VALIDATION',
  204: 'SENDER_NOT_ALLOWED',
  205: 'TEXT_TOO_LONG',
  206: 'LIMIT_EXCEEDED',
  207: 'NO_ROUTE',
  208: 'VALIDATION',
  209: 'STOP_LIST',
  210: 'VALIDATION',
  211: 'UNSUPPORTED',
  212: 'VALIDATION',
  213: 'VALIDATION',
  214: 'NO_ROUTE',
  215: 'STOP_LIST',
  216: 'CONTENT_REJECTED',
  217: 'CONTENT_REJECTED',
  220: 'UNAVAILABLE',
  221: 'SENDER_NOT_ALLOWED',
  230: 'LIMIT_EXCEEDED',
  231: 'LIMIT_EXCEEDED',
  232: 'LIMIT_EXCEEDED',
  233: 'LIMIT_EXCEEDED',
  300: 'AUTH',
  301: 'AUTH',
  302: 'AUTH',
  303: 'AUTH',
  304: 'RATE_LIMITED',
  305: 'RATE_LIMITED',
  500: 'UNAVAILABLE',
  501: 'RATE_LIMITED',
  502: 'RATE_LIMITED',
  503: 'RATE_LIMITED',
  504: 'RATE_LIMITED',
  505: 'RATE_LIMITED',
  506: 'RATE_LIMITED',
  507: 'RATE_LIMITED',
  508: 'RATE_LIMITED',
  550: 'NO_ROUTE',
  901: 'VALIDATION',
  902: 'VALIDATION',
};
/** Codes that say SMS.ru did not carry the request out and it may be repeated. */
const RETRYABLE = new Set([220, 500]);

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
    moduleRef = await Test.createTestingModule({
      imports: [
        SmsModule.forRoot({
          providers: { main: fake.providerConfig() },
          retry: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 5 },
          circuitBreaker: false,
        }),
      ],
    }).compile();
    await moduleRef.init();
    driver = moduleRef.get(SmsService).driver('main', SmsRuProvider);
  });
  afterAll(async () => {
    await moduleRef.close();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it('the expected tables cover exactly the codes of the seed, and so does the driver', () => {
    expect(Object.keys(EXPECTED_ERRORS).map(Number).sort()).toEqual([...SMSRU_SEED_ERROR_CODES].sort());
    expect(Object.keys(EXPECTED_STATUSES).map(Number).sort()).toEqual([...SMSRU_SEED_STATUS_CODES].sort());
    for (const code of SMSRU_SEED_ERROR_CODES)
      expect(SMSRU_ERROR_CODES[code]?.code).toBe(EXPECTED_ERRORS[code]);
    for (const code of SMSRU_SEED_STATUS_CODES)
      expect(SMSRU_STATUS_CODES[code]?.status).toBe(EXPECTED_STATUSES[code].status);
  });

  it.each(SMSRU_SEED_ERROR_CODES.map((code) => [code, EXPECTED_ERRORS[code]] as const))(
    'a whole send refused with %i throws %s',
    async (code, expected) => {
      fake.failRequests('sms/send', code);
      const error = (await driver.send({ messages: [message(PHONE)] }).catch((e: unknown) => e)) as SmsError;
      expect(error).toBeInstanceOf(SmsError);
      expect(error).toMatchObject({
        code: expected,
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
    ...SMSRU_SEED_ERROR_CODES.map((code) => [code, EXPECTED_ERRORS[code]] as const),
    [150, 'NO_ROUTE'] as const,
  ])(
    'a recipient refused with %i is accepted: false with %s, the other recipient accepted',
    async (code, expected) => {
      fake.recipient(PHONE, { code, withId: true });
      const result = await driver.send({ messages: [message(PHONE), message(OTHER)] });
      expect(result.messages[0]).toMatchObject({
        to: PHONE,
        accepted: false,
        id: expect.stringMatching(/^\d+-\d+$/),
        status: RETRYABLE.has(code) ? 'failed' : 'rejected',
        error: {
          code: expected,
          providerCode: code,
          providerMessage: SMSRU_CODE_TEXTS[code],
          outcome: 'not_sent',
        },
      });
      expect(result.messages[0].error!.message).toContain(`SMS.ru ${code}`);
      expect(result.messages[1]).toMatchObject({ to: OTHER, accepted: true });
    },
  );

  it('a code outside the table reads as UNKNOWN, never as success', async () => {
    fake.recipient(PHONE, { code: 999, statusText: 'new code' });
    const result = await driver.send({ messages: [message(PHONE)] });
    expect(result.messages[0]).toMatchObject({
      accepted: false,
      error: { code: 'UNKNOWN', providerCode: 999, providerMessage: 'new code', outcome: 'not_sent' },
    });
    fake.failRequests('sms/send', 999);
    await expect(driver.send({ messages: [message(PHONE)] })).rejects.toMatchObject({
      code: 'UNKNOWN',
      providerCode: 999,
    });
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
