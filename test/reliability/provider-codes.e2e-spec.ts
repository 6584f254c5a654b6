import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  countSegments,
  type SendResult,
  SmsError,
  type SmsErrorCode,
  type SmsFailureClass,
  SmsModule,
  SmsPilotProvider,
  SmsRuProvider,
  SmsService,
} from 'nestjs-sms';
import {
  SMSPILOT_ALL_RECIPIENTS_INVALID,
  SMSPILOT_ERROR_CODES,
  SMSPILOT_RECIPIENT_REFUSALS,
  SMSPILOT_UNKNOWN_ERROR,
  SMSRU_ERROR_CODES,
  SMSRU_UNKNOWN_ERROR,
} from 'nestjs-sms/driver';
import {
  fillSection,
  PROVIDER_CODE_DOCS,
  renderProviderCodeDocs,
  REPOSITORY_ROOT,
} from '../../scripts/provider-codes-doc';
import { SmsPilotFake } from '../fakes/smspilot-fake.server';
import { SmsRuFake } from '../fakes/smsru-fake.server';

/**
 * Every row of both drivers' outcome tables, walked with failover configured both ways (SMS.ru →
 * SMSPilot and SMSPilot → SMS.ru, both fakes on 127.0.0.1): the requests that reached each fake, the
 * class and outcome of what came back, and which provider (if any) sent. The tables are imported, so
 * the code and these tests cannot drift apart.
 */

const PILOT_KEY = 'pilot-codes-key-2211';
const A = '79255070602';
const B = '79161234567';
const TEXT = 'Your code: 4821';
/** Attempts of one request on one provider, the first included. */
const MAX_ATTEMPTS = 3;

type Driver = 'smsru' | 'smspilot';
interface Row {
  providerCode: string | number;
  code: SmsErrorCode;
  failure: SmsFailureClass;
}

const smsRuRows: Row[] = [
  ...Object.entries(SMSRU_ERROR_CODES).map(([code, row]) => ({ ...row, providerCode: Number(code) })),
  { ...SMSRU_UNKNOWN_ERROR, providerCode: 999 },
];
const smsPilotRows: Row[] = [
  ...Object.entries(SMSPILOT_ERROR_CODES).map(([code, row]) => ({ ...row, providerCode: code })),
  { ...SMSPILOT_UNKNOWN_ERROR, providerCode: '999' },
];
/** SMSPilot codes that refuse each recipient of a send rather than the request. */
const pilotWhole = smsPilotRows.filter((r) => !SMSPILOT_ALL_RECIPIENTS_INVALID.has(String(r.providerCode)));
const pilotAllRecipients = smsPilotRows.filter((r) =>
  SMSPILOT_ALL_RECIPIENTS_INVALID.has(String(r.providerCode)),
);

/** Whether the router hands a failure of this class to the next provider. */
function moves(failure: SmsFailureClass, onNoRoute: boolean): boolean {
  return failure === 'unavailable' || failure === 'account' || (failure === 'no_route' && onNoRoute);
}

describe('provider codes: every row of both outcome tables, with failover', () => {
  let ru: SmsRuFake;
  let pilot: SmsPilotFake;
  /** Failover both ways; `failoverOnNoRoute` off and on. */
  const modules: Record<'plain' | 'onNoRoute', { ref: TestingModule; sms: SmsService }> = {} as never;

  beforeAll(async () => {
    ru = await SmsRuFake.start();
    pilot = await SmsPilotFake.start({ apiKey: PILOT_KEY });
    for (const [name, failoverOnNoRoute] of [
      ['plain', false],
      ['onNoRoute', true],
    ] as const) {
      const ref = await Test.createTestingModule({
        imports: [
          SmsModule.forRoot({
            providers: {
              smsru: ru.providerConfig({ chunkConcurrency: 1 }),
              smspilot: { driver: 'smspilot', apiKey: PILOT_KEY, baseUrl: pilot.url },
            },
            failover: ['smsru', 'smspilot'],
            failoverOnNoRoute,
            retry: { maxAttempts: MAX_ATTEMPTS, initialDelayMs: 1, maxDelayMs: 5 },
            circuitBreaker: false,
          }),
        ],
      }).compile();
      await ref.init();
      modules[name] = { ref, sms: ref.get(SmsService) };
    }
  });
  afterAll(async () => {
    for (const { ref } of Object.values(modules)) await ref.close();
    await ru.close();
    await pilot.close();
  });
  beforeEach(() => {
    ru.reset();
    pilot.reset();
  });

  /** Send requests that reached each fake. */
  const sends = (): Record<Driver, number> => ({
    smsru: ru.requestsTo('sms/send').length,
    smspilot: pilot.requestsOf('send').length,
  });
  const other = (first: Driver): Driver => (first === 'smsru' ? 'smspilot' : 'smsru');

  async function send(first: Driver, to: string[], onNoRoute = false) {
    const { sms } = modules[onNoRoute ? 'onNoRoute' : 'plain'];
    return sms.send({ to, text: TEXT, provider: first }).then(
      (result) => ({ result, error: undefined }),
      (error: unknown) => ({ result: undefined, error: error as SmsError }),
    );
  }

  /** What the first driver itself reports for the code, asked directly (no router, no failover). */
  async function directError(first: Driver): Promise<SmsError> {
    const { sms } = modules.plain;
    const driver = first === 'smsru' ? sms.driver(first, SmsRuProvider) : sms.driver(first, SmsPilotProvider);
    const segments = countSegments(TEXT);
    return (await driver
      .send({ messages: [{ to: A, text: TEXT, segments }] })
      .catch((e: unknown) => e)) as SmsError;
  }

  /** Makes the first fake answer this row's code for the whole send request. */
  function answerWhole(first: Driver, row: Row): void {
    if (first === 'smsru') ru.failRequests('sms/send', Number(row.providerCode));
    else pilot.failNext(String(row.providerCode), MAX_ATTEMPTS * 3, 'send');
  }

  /** Asserts a whole-request answer of this row on `first`, failover configured. */
  async function expectWhole(first: Driver, row: Row, onNoRoute: boolean): Promise<void> {
    const backup = other(first);
    answerWhole(first, row);
    const { result, error } = await send(first, [A], onNoRoute);
    const moved = moves(row.failure, onNoRoute);
    expect(sends()).toEqual({
      [first]: row.failure === 'unavailable' ? MAX_ATTEMPTS : 1,
      [backup]: moved ? 1 : 0,
    });
    if (moved) {
      expect(error).toBeUndefined();
      expect(result).toMatchObject({
        provider: backup,
        messages: [{ to: A, accepted: true, provider: backup }],
        attempts: [
          { provider: first, result: 'failed', error: { code: row.code, outcome: 'not_sent' } },
          { provider: backup, result: 'sent' },
        ],
      });
      ru.reset();
      pilot.reset();
      answerWhole(first, row);
      expect(await directError(first)).toMatchObject({ code: row.code, failure: row.failure });
      return;
    }
    expect(result).toBeUndefined();
    expect(error).toBeInstanceOf(SmsError);
    expect(error).toMatchObject({
      code: row.code,
      failure: row.failure,
      outcome: row.failure === 'unknown' ? 'unknown' : 'not_sent',
      retryable: false,
      provider: first,
      providerCode: row.providerCode,
      attempts: [{ provider: first, result: 'failed' }],
    });
    expect(error!.attempts).toHaveLength(1);
  }

  /** Asserts a per-number answer for A (B accepted) on `first`, failover configured. */
  function expectPerNumber(
    first: Driver,
    result: SendResult | undefined,
    row: Row,
    onNoRoute: boolean,
  ): void {
    const backup = other(first);
    const moved = moves(row.failure, onNoRoute);
    expect(sends()).toEqual({ [first]: 1, [backup]: moved ? 1 : 0 });
    expect(result!.messages[1]).toMatchObject({ to: B, accepted: true, provider: first });
    if (moved) {
      expect(result!.messages[0]).toMatchObject({ to: A, accepted: true, provider: backup });
      const handedOver =
        backup === 'smspilot'
          ? pilot.lastForm().to.split(',')
          : ru.recipientsOf(ru.requestsTo('sms/send')[0]);
      expect(handedOver).toEqual([A]);
      return;
    }
    expect(result!.messages[0]).toMatchObject({
      to: A,
      accepted: false,
      provider: first,
      error: {
        code: row.code,
        failure: row.failure,
        outcome: row.failure === 'unknown' ? 'unknown' : 'not_sent',
      },
    });
  }

  describe('SMS.ru first, SMSPilot as the backup', () => {
    it.each(smsRuRows.map((r) => [r.providerCode, r.code, r.failure, r] as const))(
      'the whole request answered %s: %s, class %s',
      async (_code, _name, _failure, row) => {
        await expectWhole('smsru', row, false);
      },
    );

    it.each(smsRuRows.map((r) => [r.providerCode, r.code, r.failure, r] as const))(
      'one number answered %s: %s, class %s',
      async (_code, _name, _failure, row) => {
        ru.recipient(A, { code: Number(row.providerCode), withId: true });
        const { result, error } = await send('smsru', [A, B]);
        expect(error).toBeUndefined();
        expectPerNumber('smsru', result, row, false);
      },
    );

    const noRoute = smsRuRows.filter((r) => r.failure === 'no_route');
    it.each(noRoute.map((r) => [r.providerCode, r] as const))(
      'with failoverOnNoRoute, %s moves on: the whole request and the one number',
      async (_code, row) => {
        await expectWhole('smsru', row, true);
        ru.reset();
        pilot.reset();
        ru.recipient(A, { code: Number(row.providerCode) });
        const { result } = await send('smsru', [A, B], true);
        expectPerNumber('smsru', result, row, true);
      },
    );

    it.each([501, 505])(
      'anti-fraud %i on the first provider, whole or per number: 0 requests to the backup',
      async (code) => {
        ru.failRequests('sms/send', code);
        const whole = await send('smsru', [A]);
        expect(whole.error).toMatchObject({ providerCode: code, failure: 'refused', outcome: 'not_sent' });
        ru.reset();
        ru.recipient(A, { code });
        const perNumber = await send('smsru', [A, B]);
        expect(perNumber.result!.messages[0]).toMatchObject({ accepted: false, provider: 'smsru' });
        expect(pilot.requests).toHaveLength(0);
      },
    );

    // 206 (LIMIT_EXCEEDED, yet account) and 214 (NO_ROUTE, yet refused) are the rows whose class the
    // library code alone would get wrong: the recipients must carry the class of the row.
    it.each([
      [220, 'unavailable', true],
      [206, 'account', true],
      [505, 'refused', false],
      [214, 'refused', false],
    ] as const)(
      'a failed request of a large send (%i, %s) gives its recipients its class: they move on only if it may',
      async (code, failure, moved) => {
        const to = Array.from({ length: 150 }, (_, i) => `7925${String(2_000_000 + i)}`);
        ru.failRequests('sms/send', code, failure === 'unavailable' ? MAX_ATTEMPTS : 1);
        const { result } = await send('smsru', to, true);
        expect(ru.requestsTo('sms/send')).toHaveLength(failure === 'unavailable' ? MAX_ATTEMPTS + 1 : 2);
        expect(pilot.requestsOf('send')).toHaveLength(moved ? 1 : 0);
        if (moved) expect(pilot.lastForm().to.split(',')).toEqual(to.slice(0, 100));
        for (const m of result!.messages.slice(0, 100)) {
          expect(m).toMatchObject(
            moved
              ? { accepted: true, provider: 'smspilot' }
              : { accepted: false, provider: 'smsru', error: { providerCode: code, failure } },
          );
        }
        expect(result!.messages.slice(100).every((m) => m.accepted && m.provider === 'smsru')).toBe(true);
      },
    );
  });

  describe('SMSPilot first, SMS.ru as the backup', () => {
    it.each(pilotWhole.map((r) => [r.providerCode, r.code, r.failure, r] as const))(
      'the whole request answered %s: %s, class %s',
      async (_code, _name, _failure, row) => {
        await expectWhole('smspilot', row, false);
      },
    );

    it.each(pilotAllRecipients.map((r) => [r.providerCode, r.code, r.failure, r] as const))(
      'a send answered %s (no valid number) refuses each recipient: %s, class %s, nothing moves',
      async (code, name, failure) => {
        pilot.failNext(String(code), 1, 'send');
        const { result } = await send('smspilot', [A, B]);
        expect(sends()).toEqual({ smspilot: 1, smsru: 0 });
        for (const m of result!.messages) {
          expect(m).toMatchObject({
            accepted: false,
            provider: 'smspilot',
            error: { code: name, providerCode: code, failure, outcome: 'not_sent' },
          });
        }
      },
    );

    it.each(
      Object.entries(SMSPILOT_RECIPIENT_REFUSALS).map(
        ([kind, row]) => [kind, row.code, row.failure, row] as const,
      ),
    )('one number refused in the answer (%s): %s, class %s', async (kind, _name, _failure, row) => {
      if (kind === 'dropped') pilot.dropNumbers(A);
      else pilot.configureNumber(A, { sendStatus: Number(kind) });
      const { result } = await send('smspilot', [A, B]);
      expectPerNumber('smspilot', result, { ...row, providerCode: kind }, false);
      if (kind === '-2') expect(result!.messages[0]).toMatchObject({ id: expect.any(String) });
    });

    it('243 (duplicate protection) on the first provider: 0 requests to the backup', async () => {
      pilot.failNext('243', 1, 'send');
      const { error } = await send('smspilot', [A]);
      expect(error).toMatchObject({ code: 'LIMIT_EXCEEDED', failure: 'refused', providerCode: '243' });
      expect(pilot.requestsOf('send')).toHaveLength(1);
      expect(ru.requests).toHaveLength(0);
    });

    it('110 (system error): exactly 1 request, outcome unknown, no retry, no failover', async () => {
      pilot.failNext('110', MAX_ATTEMPTS, 'send');
      const { result, error } = await send('smspilot', [A]);
      expect(result).toBeUndefined();
      expect(error).toMatchObject({
        providerCode: '110',
        failure: 'unknown',
        outcome: 'unknown',
        retryable: false,
      });
      expect(pilot.requests).toHaveLength(1);
      expect(ru.requests).toHaveLength(0);
    });
  });
});

describe('provider codes: the docs are written from the same tables', () => {
  const docs = renderProviderCodeDocs();

  it.each(Object.keys(PROVIDER_CODE_DOCS))(
    '%s holds the tables as scripts/provider-codes-doc.ts writes them',
    (file) => {
      expect(readFileSync(join(REPOSITORY_ROOT, file), 'utf8')).toBe(docs[file]);
    },
  );

  it('every row of both tables is in docs/reliability.md with its library code and class', () => {
    const text = readFileSync(join(REPOSITORY_ROOT, 'docs/reliability.md'), 'utf8');
    const rows = [
      ...Object.entries(SMSRU_ERROR_CODES).map(([code, row]) => [code, row] as const),
      ...Object.entries(SMSPILOT_ERROR_CODES).map(([code, row]) => [code, row] as const),
    ];
    for (const [code, row] of rows) {
      expect(text).toContain(`| ${code} | `);
      expect(text).toMatch(
        new RegExp(`\\| ${code} \\| [^\\n]*\\| \`${row.code}\` \\| \`${row.failure}\` \\|`),
      );
    }
  });

  it('a section without its markers is an error, not a silent skip', () => {
    expect(() => fillSection('# no markers here\n', 'provider-codes', 'x')).toThrow(/markers/);
    expect(fillSection('a\n<!-- s:start note -->\nold\n<!-- s:end -->\nb\n', 's', 'new')).toBe(
      'a\n<!-- s:start note -->\nnew\n<!-- s:end -->\nb\n',
    );
  });
});
