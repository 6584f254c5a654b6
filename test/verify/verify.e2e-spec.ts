import { Logger } from '@nestjs/common';
import { type Redis } from 'ioredis';
import { SmsError } from 'nestjs-sms';
import {
  MemoryVerifyStore,
  RedisVerifyStore,
  type SmsVerification,
  type SmsVerifyService,
  hCaptcha,
  reCaptcha,
  yandexSmartCaptcha,
} from 'nestjs-sms/verify';
import { FakeHttpServer, type RecordedRequest } from '../fakes/fake-http-server';
import { SmsRuFake } from '../fakes/smsru-fake.server';
import { connectRedis, removeKeys, testPrefix } from '../queue/queue-test-kit';
import { CapturingLogger, renderings } from '../reliability/log-capture';
import {
  TestClock,
  TEST_SECRET,
  type VerifyApp,
  allEvents,
  codesAtFake,
  smsAtFake,
  startVerifyApp,
} from './verify-kit';

jest.setTimeout(30_000);

const NUMBER = '+7 925 507-06-02';
const DIGITS = '79255070602';
const MINUTE = 60_000;
const HOUR = 3_600_000;

/** Everything the suite saw, scanned for codes at the end. */
const logger = new CapturingLogger();
const thrown: unknown[] = [];
const results: unknown[] = [];
/** Every code that reached a fake SMS.ru in this suite. */
const codes = new Set<string>();
/** What every store used held at the end of its test, scanned for codes at the end. */
const storeDumps: string[] = [];

/** The error a call threw (and keeps it for the scan). */
async function refusal(call: Promise<unknown>): Promise<SmsError> {
  const outcome = await call.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected a refusal, got ${JSON.stringify(outcome.value)}`);
  thrown.push(outcome.error);
  expect(outcome.error).toBeInstanceOf(SmsError);
  return outcome.error as SmsError;
}

/** Runs a call and keeps its result for the scan. */
async function kept<T>(call: Promise<T>): Promise<T> {
  try {
    const value = await call;
    results.push(value);
    return value;
  } catch (e) {
    thrown.push(e);
    throw e;
  }
}

describe('nestjs-sms/verify', () => {
  let fake: SmsRuFake;
  let clock: TestClock;
  let app: VerifyApp | undefined;
  let verify: SmsVerifyService;
  let store: MemoryVerifyStore | undefined;
  /** The events of the app booted last. */
  const events = () => app!.events;

  /** The last code the fake received. */
  const lastCode = () => codesAtFake(fake).at(-1)!;

  async function boot(options: Parameters<typeof startVerifyApp>[1] = {}, extra = {}) {
    if (store) storeDumps.push(store.dump());
    store = new MemoryVerifyStore();
    app = await startVerifyApp(fake, { clock: clock.read, store, ...options }, logger, extra);
    verify = app.verify;
  }

  beforeAll(async () => {
    Logger.overrideLogger(logger);
    fake = await SmsRuFake.start();
  });

  beforeEach(() => {
    clock = new TestClock();
  });

  afterEach(async () => {
    for (const code of codesAtFake(fake)) codes.add(code);
    if (store) storeDumps.push(store.dump());
    store = undefined;
    await app?.close();
    app = undefined;
    fake.reset();
  });

  afterAll(async () => {
    await fake.close();
  });

  describe('start and check', () => {
    beforeEach(() => boot());

    it('sends one code and approves it once; the store keeps only its HMAC', async () => {
      const started = await kept(verify.start({ to: NUMBER, clientIp: '77.88.8.7' }));
      expect(started).toEqual({
        id: expect.any(String),
        to: DIGITS,
        status: 'pending',
        expiresAt: new Date(clock.now + 5 * MINUTE),
        resendAfter: new Date(clock.now + MINUTE),
        provider: 'main',
        messageId: expect.any(String),
      });
      expect(smsAtFake(fake)).toBe(1);
      const [send] = fake.requestsTo('sms/send');
      const text = send.form.get(`to[${DIGITS}]`) ?? send.form.get('msg');
      expect(text).toMatch(/^Код: \d{6}\. Действует 5 мин\.$/);
      expect(send.form.get('ip')).toBe('77.88.8.7');
      const code = lastCode();
      expect(store!.dump()).not.toContain(code);

      await expect(kept(verify.check({ id: started.id, code }))).resolves.toEqual({
        status: 'approved',
        attemptsLeft: 4,
      });
      // Good once: the same code, by id or by number, finds nothing afterwards.
      await expect(kept(verify.check({ id: started.id, code }))).resolves.toEqual({
        status: 'not_found',
        attemptsLeft: 0,
      });
      await expect(kept(verify.check({ to: NUMBER, code }))).resolves.toMatchObject({ status: 'not_found' });
      expect(events().map((e) => e.type)).toEqual(['started', 'checked', 'checked', 'checked']);
    });

    it('wrong code ×5 → max_attempts; the right code does not help afterwards', async () => {
      const { id } = await kept(verify.start({ to: NUMBER }));
      const code = lastCode();
      const wrong = code === '000000' ? '111111' : '000000';
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push(await kept(verify.check({ id, code: wrong })));
      expect(statuses).toEqual([
        { status: 'pending', attemptsLeft: 4 },
        { status: 'pending', attemptsLeft: 3 },
        { status: 'pending', attemptsLeft: 2 },
        { status: 'pending', attemptsLeft: 1 },
        { status: 'max_attempts', attemptsLeft: 0 },
      ]);
      await expect(kept(verify.check({ id, code }))).resolves.toEqual({
        status: 'max_attempts',
        attemptsLeft: 0,
      });
      // Within the cooldown a new start neither sends nor hands out fresh attempts.
      const again = await refusal(verify.start({ to: NUMBER }));
      expect(again).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 60 });
      expect(smsAtFake(fake)).toBe(1);
    });

    it('expires after the TTL: the right code is then refused', async () => {
      const { id } = await kept(verify.start({ to: NUMBER }));
      const code = lastCode();
      clock.advance(5 * MINUTE - 1);
      await expect(
        kept(verify.check({ to: DIGITS, code: code === '999999' ? '999998' : '999999' })),
      ).resolves.toEqual({ status: 'pending', attemptsLeft: 4 });
      clock.advance(1);
      await expect(kept(verify.check({ id, code }))).resolves.toEqual({ status: 'expired', attemptsLeft: 0 });
      // An expired verification is replaced by the next start, which sends a new code.
      const next = await kept(verify.start({ to: NUMBER }));
      expect(next.id).not.toBe(id);
      expect(smsAtFake(fake)).toBe(2);
      await expect(kept(verify.check({ id: next.id, code: lastCode() }))).resolves.toMatchObject({
        status: 'approved',
      });
    });

    it('cooldown: a start within it returns the same verification and sends nothing; it grows with each resend', async () => {
      const first = await kept(verify.start({ to: NUMBER }));
      clock.advance(MINUTE - 1);
      const again = await kept(verify.start({ to: '89255070602' }));
      expect(again).toEqual(first);
      expect(smsAtFake(fake)).toBe(1);
      expect(events().at(-1)).toMatchObject({ type: 'reused', id: first.id, to: '7925***0602' });

      clock.advance(1);
      const second = await kept(verify.start({ to: NUMBER }));
      expect(second.id).not.toBe(first.id);
      expect(second.resendAfter.getTime() - clock.now).toBe(2 * MINUTE);
      expect(smsAtFake(fake)).toBe(2);
      // The first code is no longer good once a new one went out.
      const [firstCode, secondCode] = codesAtFake(fake);
      if (firstCode !== secondCode) {
        await expect(kept(verify.check({ id: first.id, code: firstCode }))).resolves.toMatchObject({
          status: 'not_found',
        });
      }
      clock.advance(2 * MINUTE);
      const third = await kept(verify.start({ to: NUMBER }));
      expect(third.resendAfter.getTime() - clock.now).toBe(4 * MINUTE);
      await expect(kept(verify.check({ to: NUMBER, code: lastCode() }))).resolves.toMatchObject({
        status: 'approved',
      });
    });

    it('50 concurrent starts for one number send 1 SMS and all return the same verification', async () => {
      const all = await Promise.all(Array.from({ length: 50 }, () => kept(verify.start({ to: NUMBER }))));
      expect(smsAtFake(fake)).toBe(1);
      expect(new Set(all.map((v) => v.id)).size).toBe(1);
      expect(all.every((v) => v.messageId === all[0].messageId && v.messageId !== undefined)).toBe(true);
      expect(events().filter((e) => e.type === 'started')).toHaveLength(1);
      expect(events().filter((e) => e.type === 'reused')).toHaveLength(49);
    });

    it('concurrent starts share the error of the one send when it fails: no second request', async () => {
      fake.recipient(DIGITS, { code: 207 });
      const all = await Promise.all(Array.from({ length: 10 }, () => refusal(verify.start({ to: NUMBER }))));
      expect(all.map((e) => e.code)).toEqual(Array(10).fill('NO_ROUTE'));
      expect(smsAtFake(fake)).toBe(1);
      // Not sent: the cooldown is freed, so the next start tries again.
      await refusal(verify.start({ to: NUMBER }));
      expect(smsAtFake(fake)).toBe(2);
    });

    it('cancel: later checks find nothing and the next start sends at once', async () => {
      const { id } = await kept(verify.start({ to: NUMBER }));
      const code = lastCode();
      await expect(verify.cancel(id)).resolves.toBe(true);
      await expect(verify.cancel(id)).resolves.toBe(false);
      await expect(kept(verify.check({ id, code }))).resolves.toMatchObject({ status: 'not_found' });
      const next = await kept(verify.start({ to: NUMBER }));
      expect(next.id).not.toBe(id);
      expect(smsAtFake(fake)).toBe(2);
    });

    it('refuses bad input with VALIDATION before anything goes out', async () => {
      const badNumber = await refusal(verify.start({ to: '12' }));
      expect(badNumber).toMatchObject({ code: 'VALIDATION' });
      const badIp = await refusal(verify.start({ to: NUMBER, clientIp: 'not-an-ip' }));
      expect(badIp).toMatchObject({ code: 'VALIDATION' });
      const badCode = await refusal(verify.check({ to: NUMBER, code: '12ab56' }));
      expect(badCode).toMatchObject({ code: 'VALIDATION' });
      const both = await refusal(verify.check({ to: NUMBER, id: 'x', code: '123456' } as never));
      expect(both).toMatchObject({ code: 'VALIDATION' });
      expect(smsAtFake(fake)).toBe(0);
    });
  });

  describe('limits', () => {
    it('per number: 5 an hour with the default cooldown, then RATE_LIMITED until the oldest leaves the hour', async () => {
      await boot();
      const started = clock.now;
      for (const wait of [0, 1, 2, 4, 8]) {
        clock.advance(wait * MINUTE);
        await kept(verify.start({ to: NUMBER }));
      }
      expect(smsAtFake(fake)).toBe(5);
      clock.advance(16 * MINUTE);
      const error = await refusal(verify.start({ to: NUMBER }));
      expect(error).toMatchObject({ code: 'RATE_LIMITED', failure: 'refused', outcome: 'not_sent' });
      expect(error.retryAfterSeconds).toBe((started + HOUR - clock.now) / 1000);
      expect(events().at(-1)).toMatchObject({ type: 'refused', reason: 'limit', limit: 'number-hour' });
      expect(smsAtFake(fake)).toBe(5);
      clock.now = started + HOUR + 1;
      await expect(kept(verify.start({ to: NUMBER }))).resolves.toMatchObject({ status: 'pending' });
    });

    it('per number and day, and per clientIp', async () => {
      await boot({
        resendCooldownMs: 1000,
        resendCooldownGrowth: 1,
        limits: { perNumberPerHour: 0, perNumberPerDay: 3, perIpPerHour: 2 },
      });
      for (let i = 0; i < 3; i++) {
        await kept(verify.start({ to: NUMBER }));
        clock.advance(2000);
      }
      await expect(refusal(verify.start({ to: NUMBER }))).resolves.toMatchObject({ code: 'RATE_LIMITED' });
      expect(events().at(-1)).toMatchObject({ limit: 'number-day' });

      const ip = '77.88.9.20';
      await kept(verify.start({ to: '+7 903 111-22-33', clientIp: ip }));
      await kept(verify.start({ to: '+7 916 444-55-66', clientIp: ip }));
      const error = await refusal(verify.start({ to: '+7 977 777-88-99', clientIp: ip }));
      expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 3600 });
      expect(events().at(-1)).toMatchObject({ limit: 'ip-hour' });
      expect(smsAtFake(fake)).toBe(5);
    });

    it('countries: only the SmsModule defaultCountry by default, and mobile numbers only', async () => {
      await boot();
      const abroad = await refusal(verify.start({ to: '+380 50 123 4567' }));
      expect(abroad).toMatchObject({ code: 'COUNTRY_NOT_ALLOWED', failure: 'refused' });
      expect(abroad.message).toContain('UA');
      const landline = await refusal(verify.start({ to: '+7 495 123-45-67' }));
      expect(landline).toMatchObject({ code: 'INVALID_PHONE' });
      expect(landline.message).toContain('mobile numbers only');
      expect(events().map((e) => e.type === 'refused' && e.reason)).toEqual(['country', 'mobile_only']);
      expect(smsAtFake(fake)).toBe(0);
    });

    it('countries: an allow-list of its own, and a module defaultCountry other than RU', async () => {
      await boot({ countries: ['RU', 'KZ'] });
      await expect(kept(verify.start({ to: '+7 701 123 4567' }))).resolves.toMatchObject({
        to: '77011234567',
      });
      await app!.close();
      await boot({}, { sms: { defaultCountry: 'KZ' } });
      await expect(refusal(verify.start({ to: NUMBER }))).resolves.toMatchObject({
        code: 'COUNTRY_NOT_ALLOWED',
      });
      await expect(kept(verify.start({ to: '8 701 765 4321' }))).resolves.toMatchObject({
        to: '77017654321',
      });
      expect(smsAtFake(fake)).toBe(2);
    });

    it('pumping: 30 starts to consecutive numbers of one range within a minute block the range after 10 SMS', async () => {
      await boot();
      const outcomes: string[] = [];
      for (let i = 0; i < 30; i++) {
        clock.advance(2000);
        const to = `+7925507${String(600 + i).padStart(4, '0')}`;
        try {
          await kept(verify.start({ to, clientIp: `77.88.10.${i + 1}` }));
          outcomes.push('sent');
        } catch (e) {
          thrown.push(e);
          expect(e).toMatchObject({ code: 'RATE_LIMITED' });
          outcomes.push(
            events().at(-1)!.type === 'refused' ? (events().at(-1) as { reason: string }).reason : '?',
          );
        }
      }
      expect(outcomes.slice(0, 10)).toEqual(Array(10).fill('sent'));
      expect(outcomes[10]).toBe('pumping');
      expect(outcomes.slice(11)).toEqual(Array(19).fill('range_blocked'));
      // The documented threshold: at most `pumping.maxStarts` (10) codes per range and window.
      expect(smsAtFake(fake)).toBe(10);
      const blocked = events().filter((e) => e.type === 'range-blocked');
      expect(blocked).toEqual([
        expect.objectContaining({ range: '79255070', until: new Date(clock.now - 19 * 2000 + HOUR) }),
      ]);
      // Another range is not affected.
      await expect(kept(verify.start({ to: '+7 916 123-45-67' }))).resolves.toMatchObject({
        status: 'pending',
      });
      expect(smsAtFake(fake)).toBe(11);
    });

    it('spend cap: SPEND_LIMIT once the day reaches it, a refused send gives its price back, the next UTC day starts afresh', async () => {
      await boot({ spend: { perDayRub: 10, pricePerSegmentRub: 5 } });
      fake.recipient('79161112233', { code: 207 });
      const noRoute = await refusal(verify.start({ to: '+7 916 111-22-33' }));
      expect(noRoute).toMatchObject({ code: 'NO_ROUTE', outcome: 'not_sent' });
      expect(events().at(-1)).toMatchObject({ type: 'send-failed', code: 'NO_ROUTE', outcome: 'not_sent' });
      await kept(verify.start({ to: '+7 903 111-22-33' }));
      await kept(verify.start({ to: '+7 916 444-55-66' }));
      const capped = await refusal(verify.start({ to: '+7 977 777-88-99' }));
      expect(capped).toMatchObject({ code: 'SPEND_LIMIT', retryAfterSeconds: 14 * 3600 });
      expect(smsAtFake(fake)).toBe(3);
      clock.advance(14 * HOUR);
      await expect(kept(verify.start({ to: '+7 977 777-88-99' }))).resolves.toMatchObject({
        status: 'pending',
      });
    });

    it('an unknown outcome keeps the verification: the code may arrive and still works', async () => {
      await boot({}, { sms: { timeoutMs: 300, sendTimeoutMs: 600 } });
      fake.server.script({ fault: 'hang' });
      const error = await refusal(verify.start({ to: NUMBER }));
      expect(error.outcome).toBe('unknown');
      expect(smsAtFake(fake)).toBe(1);
      // Nothing is sent again within the cooldown, and the code that may have arrived is good.
      await expect(kept(verify.start({ to: NUMBER }))).resolves.toMatchObject({ status: 'pending' });
      expect(smsAtFake(fake)).toBe(1);
      await expect(kept(verify.check({ to: NUMBER, code: lastCode() }))).resolves.toMatchObject({
        status: 'approved',
      });
    });
  });

  describe('captcha', () => {
    let verifier: FakeHttpServer;
    const SECRET = 'captcha-server-secret-91d0c2';
    const answers: Record<string, Record<string, string>> = {
      '/hcaptcha': {
        good: '{"success":true}',
        bad: '{"success":false,"error-codes":["invalid-input-response"]}',
      },
      '/yandex': {
        good: '{"status":"ok","message":""}',
        bad: '{"status":"failed","message":"Token invalid"}',
      },
      '/recaptcha': {
        good: '{"success":true,"score":0.9,"action":"login"}',
        bad: '{"success":true,"score":0.1}',
      },
    };

    beforeAll(async () => {
      verifier = await FakeHttpServer.start((r: RecordedRequest) => {
        const token = r.form.get('response') ?? r.form.get('token') ?? '';
        return { body: answers[r.path]?.[token] ?? '{}' };
      });
    });
    afterAll(() => verifier.close());
    beforeEach(() => verifier.reset());

    /** The verifier saw the secret in the body only: never in the URL or a header. */
    function secretOnlyInBody(): void {
      expect(verifier.requests.length).toBeGreaterThan(0);
      for (const r of verifier.requests) {
        expect(r.method).toBe('POST');
        expect(r.form.get('secret')).toBe(SECRET);
        expect(r.url).not.toContain(SECRET);
        expect(JSON.stringify(r.headers)).not.toContain(SECRET);
      }
    }

    it('hCaptcha: a bad token → CAPTCHA_FAILED with no request to the SMS provider', async () => {
      await boot({
        captcha: {
          verifier: hCaptcha({ secret: SECRET, url: `${verifier.url}/hcaptcha`, sitekey: 'site-1' }),
        },
      });
      const error = await refusal(verify.start({ to: NUMBER, captchaToken: 'bad', clientIp: '77.88.8.9' }));
      expect(error).toMatchObject({ code: 'CAPTCHA_FAILED', failure: 'refused', outcome: 'not_sent' });
      expect(smsAtFake(fake)).toBe(0);
      expect(fake.requests).toHaveLength(0);
      expect(verifier.requests[0].form.get('response')).toBe('bad');
      expect(verifier.requests[0].form.get('remoteip')).toBe('77.88.8.9');
      expect(verifier.requests[0].form.get('sitekey')).toBe('site-1');
      secretOnlyInBody();
      const missing = await refusal(verify.start({ to: NUMBER }));
      expect(missing).toMatchObject({ code: 'CAPTCHA_FAILED' });
      expect(verifier.requests).toHaveLength(1);
      await expect(kept(verify.start({ to: NUMBER, captchaToken: 'good' }))).resolves.toMatchObject({
        status: 'pending',
      });
      expect(smsAtFake(fake)).toBe(1);
      for (const e of thrown) expect(renderings(e).join('\n')).not.toContain(SECRET);
    });

    it('Yandex SmartCaptcha and reCAPTCHA (v3 score and action) against their formats', async () => {
      await boot({
        captcha: { verifier: yandexSmartCaptcha({ secret: SECRET, url: `${verifier.url}/yandex` }) },
      });
      await expect(refusal(verify.start({ to: NUMBER, captchaToken: 'bad' }))).resolves.toMatchObject({
        code: 'CAPTCHA_FAILED',
      });
      expect(verifier.requests[0].form.get('token')).toBe('bad');
      await kept(verify.start({ to: NUMBER, captchaToken: 'good' }));
      secretOnlyInBody();
      await app!.close();
      verifier.reset();
      const url = `${verifier.url}/recaptcha`;
      await boot({
        captcha: { verifier: reCaptcha({ secret: SECRET, url, minScore: 0.5, action: 'login' }) },
      });
      await expect(
        refusal(verify.start({ to: '+7 903 111-22-33', captchaToken: 'bad' })),
      ).resolves.toMatchObject({
        code: 'CAPTCHA_FAILED',
      });
      await kept(verify.start({ to: '+7 903 111-22-33', captchaToken: 'good' }));
      secretOnlyInBody();
      expect(smsAtFake(fake)).toBe(2);
    });

    it('a verifier that cannot be reached → UNAVAILABLE within its timeout, nothing sent', async () => {
      const hanging = await FakeHttpServer.start(() => ({ fault: 'hang' }));
      try {
        await boot({ captcha: { verifier: hCaptcha({ secret: SECRET, url: hanging.url, timeoutMs: 200 }) } });
        const error = await refusal(verify.start({ to: NUMBER, captchaToken: 'good' }));
        expect(error).toMatchObject({ code: 'UNAVAILABLE', outcome: 'not_sent' });
        expect(error.message).toContain('did not answer within 200 ms');
        expect(smsAtFake(fake)).toBe(0);
      } finally {
        await hanging.close();
      }
    });
  });

  describe('Redis store across two application instances', () => {
    let redis: Redis;
    let prefix: string;
    let second: VerifyApp | undefined;

    beforeAll(async () => {
      redis = await connectRedis();
    });
    beforeEach(() => {
      prefix = `${testPrefix('verify')}:`;
    });
    /** Every key under the prefix with its value (list members for windows). */
    async function redisDump(): Promise<string> {
      const keys = await redis.keys(`${prefix}*`);
      const values = await Promise.all(
        keys.map(async (k) =>
          (await redis.type(k)) === 'zset' ? (await redis.zrange(k, 0, -1)).join(',') : await redis.get(k),
        ),
      );
      return JSON.stringify([keys, values]);
    }

    afterEach(async () => {
      storeDumps.push(await redisDump());
      await second?.close();
      second = undefined;
      await removeKeys(redis, prefix);
    });
    afterAll(() => redis.disconnect());

    async function bootTwo() {
      const options = { clock: clock.read, store: new RedisVerifyStore(redis, { prefix }) };
      app = await startVerifyApp(fake, options, logger, { async: true });
      second = await startVerifyApp(
        fake,
        { clock: clock.read, store: new RedisVerifyStore(redis, { prefix }) },
        logger,
      );
      return [app.verify, second.verify] as const;
    }

    it('50 concurrent starts split over two instances send 1 SMS; a check on the other instance approves', async () => {
      const [a, b] = await bootTwo();
      const all: SmsVerification[] = await Promise.all(
        Array.from({ length: 50 }, (_, i) => kept((i % 2 ? a : b).start({ to: NUMBER }))),
      );
      expect(smsAtFake(fake)).toBe(1);
      expect(new Set(all.map((v) => v.id)).size).toBe(1);
      const code = lastCode();
      const keys = await redis.keys(`${prefix}*`);
      expect(keys.length).toBeGreaterThan(0);
      const dump = await redisDump();
      expect(dump).not.toContain(code);
      expect(dump).toContain(all[0].id);
      await expect(kept(b.check({ id: all[0].id, code }))).resolves.toEqual({
        status: 'approved',
        attemptsLeft: 4,
      });
      await expect(kept(a.check({ id: all[0].id, code }))).resolves.toMatchObject({ status: 'not_found' });
    });

    it('attempts are counted once across instances, and the limits and cooldown are shared', async () => {
      const [a, b] = await bootTwo();
      const { id } = await kept(a.start({ to: NUMBER }));
      const wrong = lastCode() === '000000' ? '111111' : '000000';
      const statuses = await Promise.all(
        Array.from({ length: 7 }, (_, i) => kept((i % 2 ? a : b).check({ id, code: wrong }))),
      );
      expect(statuses.map((s) => s.status).sort()).toEqual([
        'max_attempts',
        'max_attempts',
        'max_attempts',
        'pending',
        'pending',
        'pending',
        'pending',
      ]);
      await expect(kept(b.check({ to: NUMBER, code: lastCode() }))).resolves.toMatchObject({
        status: 'max_attempts',
      });
      const cooldown = await refusal(b.start({ to: NUMBER }));
      expect(cooldown).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 60 });
      for (const wait of [1, 2, 4, 8]) {
        clock.advance(wait * MINUTE);
        await kept((wait % 4 ? a : b).start({ to: NUMBER }));
      }
      clock.advance(16 * MINUTE);
      await expect(refusal(a.start({ to: NUMBER }))).resolves.toMatchObject({ code: 'RATE_LIMITED' });
      expect(events().at(-1)).toMatchObject({ limit: 'number-hour' });
      expect(smsAtFake(fake)).toBe(5);
    });

    it('a pumping block is shared too', async () => {
      const [a, b] = await bootTwo();
      for (let i = 0; i < 12; i++) {
        clock.advance(1000);
        await (i % 2 ? a : b)
          .start({ to: `+7925507${String(700 + i).padStart(4, '0')}` })
          .catch((e: unknown) => thrown.push(e));
      }
      expect(smsAtFake(fake)).toBe(10);
      expect([...app!.events, ...second!.events].filter((e) => e.type === 'range-blocked')).toHaveLength(1);
    });
  });

  it('module set-up: a missing secret or a template over one SMS fails the application at start', async () => {
    await expect(startVerifyApp(fake, { secret: 'short' }, logger)).rejects.toThrow(/"secret" must be/);
    await expect(
      startVerifyApp(
        fake,
        {
          message: {
            templates: { ru: 'Ваш одноразовый код подтверждения для входа в приложение: {code}' },
            webOtpDomain: 'example.com',
          },
        },
        logger,
      ),
    ).rejects.toThrow(/"ru" code message takes 2 SMS/);
  });

  it('the code is in no log line, event, error or result of this suite, and in no store', async () => {
    for (const code of codesAtFake(fake)) codes.add(code);
    expect(codes.size).toBeGreaterThan(40);
    expect(logger.lines.some((l) => l.startsWith('debug '))).toBe(true);
    expect(logger.lines.some((l) => l.startsWith('warn '))).toBe(true);
    expect(thrown.length).toBeGreaterThan(20);
    expect(allEvents.length).toBeGreaterThan(100);
    const text = [
      ...logger.lines,
      ...thrown.flatMap(renderings),
      ...results.map((r) => JSON.stringify(r)),
      ...allEvents.map((e) => JSON.stringify(e)),
      ...storeDumps,
    ].join('\n');
    const found = [...codes].filter((code) => new RegExp(`(?<!\\d)${code}(?!\\d)`).test(text));
    expect(found).toEqual([]);
    expect(text).not.toContain(TEST_SECRET);
    expect(logger.lines.join('\n')).not.toContain(DIGITS);
  });
});
