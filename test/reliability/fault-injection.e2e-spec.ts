import { Logger } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  SmsError,
  SmsModule,
  SmsService,
  type SendResult,
  type SmsEvent,
  type SmsModuleOptions,
} from 'nestjs-sms';
import {
  FakeHttpServer,
  FakeTlsFailingServer,
  failDnsFor,
  type FakeReply,
  type RecordedRequest,
} from '../fakes/fake-http-server';
import { CapturingLogger, renderings } from './log-capture';
import { closedPort } from '../fakes/closed-port';

/**
 * One test per transport row of the outcome table (docs/reliability.md), through `SmsService` with
 * failover main → backup: a fault on the first provider, how many requests reached each fake server
 * (so a double send is caught), the failure class, `outcome`, the retries and which provider (if
 * any) sent.
 */

const MAIN_KEY = 'main-api-id-5c1f9e27d3';
const BACKUP_KEY = 'backup-api-id-88ab40f6e1';
const to = '+7 925 507-06-02';

/** An SMS.ru answer accepting every number of the request. */
function smsRuOk(request: RecordedRequest): FakeReply {
  const numbers = (request.form.get('to') ?? '').split(',').filter(Boolean);
  const sms = Object.fromEntries(
    numbers.map((n, i) => [n, { status: 'OK', status_code: 100, sms_id: `202626-${1000000 + i}` }]),
  );
  return { status: 200, body: JSON.stringify({ status: 'OK', status_code: 100, sms, balance: 100.5 }) };
}

const smsRuError = (code: number, text: string): FakeReply => ({
  status: 200,
  body: JSON.stringify({ status: 'ERROR', status_code: code, status_text: text }),
});

const sends = (fake: FakeHttpServer) => fake.requestsTo('/sms/send');

const logger = new CapturingLogger();
const thrown: unknown[] = [];
const results: SendResult[] = [];

describe('reliability: fault injection against the fake providers', () => {
  let main: FakeHttpServer;
  let backup: FakeHttpServer;
  let moduleRef: TestingModule;
  let sms: SmsService;
  let events: SmsEvent[];

  async function boot(options: Partial<SmsModuleOptions> = {}, mainUrl?: string) {
    moduleRef = await Test.createTestingModule({
      imports: [
        SmsModule.forRoot({
          providers: {
            main: { driver: 'smsru', apiId: MAIN_KEY, baseUrl: mainUrl ?? main.url },
            backup: { driver: 'smsru', apiId: BACKUP_KEY, baseUrl: backup.url },
          },
          failover: ['main', 'backup'],
          timeoutMs: 400,
          retry: { maxAttempts: 3, initialDelayMs: 10, maxDelayMs: 40 },
          ...options,
        }),
      ],
    })
      .setLogger(logger)
      .compile();
    await moduleRef.init();
    sms = moduleRef.get(SmsService);
    events = [];
    sms.events$.subscribe((e) => events.push(e));
  }

  async function send(text = 'Hello'): Promise<SendResult> {
    try {
      const result = await sms.send({ to, text });
      results.push(result);
      return result;
    } catch (e) {
      thrown.push(e);
      throw e;
    }
  }

  async function failure(text = 'Hello'): Promise<SmsError> {
    const error = await send(text).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SmsError);
    return error as SmsError;
  }

  beforeAll(() => Logger.overrideLogger(logger));

  beforeEach(async () => {
    main = await FakeHttpServer.start(smsRuOk);
    backup = await FakeHttpServer.start(smsRuOk);
  });

  afterEach(async () => {
    await moduleRef?.close();
    await main.close();
    await backup.close();
  });

  const retries = () => events.filter((e) => e.type === 'retry').map((e) => e.provider);
  const failovers = () => events.filter((e) => e.type === 'failover');

  /** The whole send went out through the backup once, after main failed with class `unavailable`. */
  function expectFailedOverOnce(result: SendResult, code: string): void {
    expect(result.provider).toBe('backup');
    expect(result.messages[0]).toMatchObject({ accepted: true, to: '79255070602', provider: 'backup' });
    expect(sends(backup)).toHaveLength(1);
    expect(retries()).toEqual(['main', 'main']);
    expect(result.attempts.map((a) => [a.provider, a.result, a.error?.code, a.error?.failure])).toEqual([
      ['main', 'failed', code, 'unavailable'],
      ['backup', 'sent', undefined, undefined],
    ]);
    expect(result.attempts[0].error?.outcome).toBe('not_sent');
  }

  /** One request reached main, none was repeated or failed over, and the caller got `unknown`. */
  function expectUnknownOnce(error: SmsError, code: string): void {
    expect(error).toMatchObject({ code, failure: 'unknown', outcome: 'unknown', retryable: false });
    expect(error.message).toMatch(/reconcile/i);
    expect(sends(main)).toHaveLength(1);
    expect(sends(backup)).toHaveLength(0);
    expect(retries()).toEqual([]);
    expect(failovers()).toEqual([]);
    expect(error.attempts?.map((a) => [a.provider, a.result])).toEqual([['main', 'failed']]);
  }

  it('connection refused: retried, then failover; sent once', async () => {
    await boot({}, `http://127.0.0.1:${await closedPort()}`);
    expectFailedOverOnce(await send(), 'UNAVAILABLE');
  });

  it('DNS failure: retried, then failover; sent once', async () => {
    const dns = failDnsFor('main.sms.invalid');
    try {
      await boot({}, 'http://main.sms.invalid');
      expectFailedOverOnce(await send(), 'UNAVAILABLE');
      expect(dns.lookups()).toBe(3);
    } finally {
      dns.restore();
    }
  });

  it('TLS handshake failure before the request was written: retried, then failover; sent once', async () => {
    const tls = await FakeTlsFailingServer.start();
    try {
      await boot({}, tls.url);
      expectFailedOverOnce(await send(), 'UNAVAILABLE');
      expect(tls.connections).toBe(3);
    } finally {
      await tls.close();
    }
  });

  it.each([
    [429, 'RATE_LIMITED'],
    [503, 'UNAVAILABLE'],
  ])(
    'HTTP %i with Retry-After: 1: retried after the wait, then failover; sent once',
    async (status, code) => {
      await boot();
      main.setHandler(() => ({ status, headers: { 'retry-after': '1' }, body: 'busy' }));
      expectFailedOverOnce(await send(), code);
      const at = sends(main).map((r) => r.at);
      expect(at).toHaveLength(3);
      expect(at[1] - at[0]).toBeGreaterThanOrEqual(1000);
      expect(at[2] - at[1]).toBeGreaterThanOrEqual(1000);
    },
  );

  it.each([500, 502, 504])('HTTP %i: unknown, exactly 1 request, no retry, no failover', async (status) => {
    await boot();
    main.setHandler(() => ({ status, headers: { 'content-type': 'text/html' }, body: '<h1>oops</h1>' }));
    const error = await failure();
    expectUnknownOnce(error, 'BAD_RESPONSE');
    expect(error.httpStatus).toBe(status);
  });

  it('partial status line after the request was written: unknown, exactly 1 request', async () => {
    await boot();
    main.setHandler(() => ({ fault: 'partial-status' }));
    expectUnknownOnce(await failure(), 'BAD_RESPONSE');
  });

  it.each([
    ['a body cut off after the headers', { fault: 'truncated-body' } as FakeReply],
    ['a body that is not JSON', { status: 200, headers: { 'content-type': 'text/html' }, body: '<html>' }],
  ])('unreadable answer (%s): unknown, exactly 1 request', async (_what, reply) => {
    await boot();
    main.setHandler(() => reply);
    expectUnknownOnce(await failure(), 'BAD_RESPONSE');
  });

  it('the provider took the send, then the reused keep-alive socket reset: exactly 1 request, unknown', async () => {
    await boot();
    await send('first');
    main.reset();
    main.script({ fault: 'reset' });
    const error = await failure('second');
    expectUnknownOnce(error, 'BAD_RESPONSE');
    expect(error.message).toMatch(/request was written, then the reused keep-alive connection was lost/);
    const [second] = sends(main);
    expect(second.form.get('msg')).toBe('second');
    expect(second.reusedConnection).toBe(true);
  });

  it('bounds the requests of one send by retry.maxAttempts × providers, for the unavailable class', async () => {
    await boot();
    main.setHandler(() => ({ status: 503, body: 'down' }));
    backup.setHandler(() => ({ status: 503, body: 'down' }));
    const error = await failure();
    expect(error).toMatchObject({ code: 'UNAVAILABLE', failure: 'unavailable', outcome: 'not_sent' });
    expect([sends(main).length, sends(backup).length]).toEqual([3, 3]);
    expect(error.attempts?.map((a) => [a.provider, a.error?.failure])).toEqual([
      ['main', 'unavailable'],
      ['backup', 'unavailable'],
    ]);
  });

  it('HTTP 503 then OK: retried, sent once on the same provider', async () => {
    await boot();
    main.script({ status: 503, body: 'Service Unavailable' });
    const result = await send();
    expect(result.provider).toBe('main');
    expect(sends(main)).toHaveLength(2);
    expect(sends(backup)).toHaveLength(0);
    expect(result.messages[0].accepted).toBe(true);
  });

  it('HTTP 429 with Retry-After: 1 once: waits at least 1 s, retried, sent once', async () => {
    await boot();
    main.script({ status: 429, headers: { 'retry-after': '1' }, body: 'slow down' });
    await send();
    const [first, second] = sends(main);
    expect(sends(main)).toHaveLength(2);
    expect(second.at - first.at).toBeGreaterThanOrEqual(1000);
    expect(sends(backup)).toHaveLength(0);
  });

  it('SMS.ru code 220: retried, then failover; sent once', async () => {
    await boot();
    main.setHandler(() => smsRuError(220, 'Сервис временно недоступен, попробуйте чуть позже'));
    const result = await send();
    expect(sends(main)).toHaveLength(3);
    expect(sends(backup)).toHaveLength(1);
    expect(result.provider).toBe('backup');
    expect(result.attempts[0].error).toMatchObject({ code: 'UNAVAILABLE', outcome: 'not_sent' });
  });

  it('response delayed past timeoutMs after the request was written: TIMEOUT, unknown, exactly 1 request', async () => {
    await boot();
    main.setHandler((r) => ({ ...(smsRuOk(r) as object), delayMs: 1500 }));
    expectUnknownOnce(await failure(), 'TIMEOUT');
  });

  it('connection reset on a fresh socket after the request was written: unknown, exactly 1 request', async () => {
    await boot();
    main.setHandler(() => ({ fault: 'reset' }));
    expectUnknownOnce(await failure(), 'BAD_RESPONSE');
  });

  it('wrong credentials: AUTH, not retried, failover to the next provider', async () => {
    await boot();
    main.setHandler(() => smsRuError(200, 'Неправильный api_id'));
    const result = await send();
    expect(sends(main)).toHaveLength(1);
    expect(sends(backup)).toHaveLength(1);
    expect(result.provider).toBe('backup');
    expect(result.attempts[0].error).toMatchObject({ code: 'AUTH', outcome: 'not_sent' });
  });

  it('5 consecutive outages: the breaker opens and the next send goes straight to the backup', async () => {
    await boot({ circuitBreaker: { threshold: 5, halfOpenAfterMs: 60_000 } });
    main.setHandler(() => ({ status: 503, body: 'down' }));
    for (let i = 0; i < 5; i++) expect((await send(`n${i}`)).provider).toBe('backup');
    expect(sms.circuitState('main')).toBe('open');
    expect(events.some((e) => e.type === 'circuit-open' && e.provider === 'main')).toBe(true);
    const before = sends(main).length;
    const result = await send('after');
    expect(sends(main)).toHaveLength(before);
    expect(result.provider).toBe('backup');
    expect(result.attempts[0]).toMatchObject({ provider: 'main', result: 'skipped' });
    expect(sends(backup)).toHaveLength(6);
  });

  it('idempotency: two concurrent calls and a later one with the same key make one request', async () => {
    await boot();
    main.setHandler((r) => ({ ...(smsRuOk(r) as object), delayMs: 50 }));
    const key = 'order-42-confirmation';
    const [a, b] = await Promise.all([
      sms.send({ to, text: 'Order 42 confirmed', idempotencyKey: key }),
      sms.send({ to, text: 'Order 42 confirmed', idempotencyKey: key }),
    ]);
    const c = await sms.send({ to, text: 'Order 42 confirmed', idempotencyKey: key });
    expect(sends(main)).toHaveLength(1);
    expect(new Set([a, b, c].map((r) => r.messages[0].id)).size).toBe(1);
  });

  it('anti-flood: a second code to the same number within the window is refused before any request', async () => {
    await boot({
      antiFlood: {
        perNumber: [
          { max: 1, windowMs: 60_000 },
          { max: 10, windowMs: 86_400_000 },
        ],
      },
    });
    await send('Code 1111');
    const error = await failure('Code 2222');
    expect(error).toMatchObject({ code: 'RATE_LIMITED', outcome: 'not_sent' });
    expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(59);
    expect(sends(main)).toHaveLength(1);
    expect(sends(backup)).toHaveLength(0);
  });

  it('1 000 concurrent sends never have more than maxConcurrency requests in flight', async () => {
    await boot({ maxConcurrency: 8, timeoutMs: 5_000 });
    main.setHandler((r) => ({ ...(smsRuOk(r) as object), delayMs: 2 }));
    const all = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => sms.send({ to: `+7925${String(1000000 + i)}`, text: `n${i}` })),
    );
    expect(all.every((r) => r.messages[0].accepted)).toBe(true);
    expect(sends(main)).toHaveLength(1000);
    expect(main.maxInFlight).toBeLessThanOrEqual(8);
    expect(main.maxInFlight).toBeGreaterThan(1);
  }, 30_000);

  it('logs nothing secret: every line at every level and every error of this suite is scanned', () => {
    const text = [
      ...logger.lines,
      ...thrown.flatMap(renderings),
      ...results.map((r) => JSON.stringify(r)),
      ...events.map((e) => JSON.stringify(e)),
    ].join('\n');
    expect(logger.lines.some((l) => l.startsWith('debug '))).toBe(true);
    expect(thrown.length).toBeGreaterThan(0);
    for (const secret of [MAIN_KEY, BACKUP_KEY]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/api_id=/);
    expect(logger.lines.join('\n')).not.toContain('79255070602');
  });
});
