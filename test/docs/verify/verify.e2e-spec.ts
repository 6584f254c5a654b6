import { type INestApplication } from '@nestjs/common';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { Test, type TestingModule } from '@nestjs/testing';
import { Redis } from 'ioredis';
import { SmsModule } from 'nestjs-sms';
import { SmsOutbox, SmsTestingModule } from 'nestjs-sms/testing';
import { type SmsVerifyEvent, SmsVerifyModule, SmsVerifyService } from 'nestjs-sms/verify';
import request from 'supertest';
import { FakeHttpServer } from '../../fakes/fake-http-server';
import { SmsRuFake } from '../../fakes/smsru-fake.server';
import { connectRedis, REDIS_URL, removeKeys, testPrefix } from '../../queue/queue-test-kit';
import { codesAtFake, smsAtFake } from '../../verify/verify-kit';
import { AuthController } from './auth.controller';
import { AppModule as ConfiguredAppModule } from './config.module';
import { RedisModule } from './redis.module';
import { turnstile } from './turnstile';

const SECRET = 'docs-verify-secret-0123456789abcdef';

/** The code in the last text of an outbox. */
function lastCode(outbox: SmsOutbox): string {
  return /(?<!\d)(\d{6})(?!\d)/.exec(outbox.last()!.text)![1];
}

describe('docs/verify.md: the set-up (AppModule from the environment)', () => {
  const env = { ...process.env };
  afterEach(() => {
    process.env = { ...env };
  });

  it('boots SmsVerifyModule over the application’s SmsModule: one code per start, approved once', async () => {
    process.env.SMSRU_API_ID = 'docs-verify-smsru';
    process.env.SMS_VERIFY_SECRET = SECRET;
    // forRoot reads process.env when the module file is loaded, as in an application.
    const { AppModule } = await import('./app.module');
    const moduleRef = await SmsTestingModule.override(Test.createTestingModule({ imports: [AppModule] }), {
      providers: ['main'],
    }).compile();
    await moduleRef.init();
    const verify = moduleRef.get(SmsVerifyService);
    const outbox = SmsOutbox.from(moduleRef);

    const started = await verify.start({ to: '+7 925 507-06-02' });
    expect(started).toMatchObject({ to: '79255070602', status: 'pending', provider: 'main' });
    const again = await verify.start({ to: '+7 925 507-06-02' });
    expect(again.id).toBe(started.id);
    expect(outbox.size).toBe(1);
    expect(outbox.last()!.text).toMatch(/^Код: \d{6}\. Действует 5 мин\.$/);

    const code = lastCode(outbox);
    await expect(verify.check({ id: started.id, code })).resolves.toEqual({
      status: 'approved',
      attemptsLeft: 4,
    });
    await expect(verify.check({ id: started.id, code })).resolves.toMatchObject({ status: 'not_found' });
    await moduleRef.close();
  });
});

describe('docs/verify.md: @nestjs/config and the Redis client of RedisModule, two instances', () => {
  const env = { ...process.env };
  let redis: Redis;
  let prefix: string;
  const apps: TestingModule[] = [];

  async function instance(): Promise<{
    verify: SmsVerifyService;
    outbox: SmsOutbox;
    moduleRef: TestingModule;
  }> {
    const moduleRef = await SmsTestingModule.override(
      Test.createTestingModule({ imports: [ConfiguredAppModule] }),
      { providers: ['main'] },
    ).compile();
    await moduleRef.init();
    apps.push(moduleRef);
    return { verify: moduleRef.get(SmsVerifyService), outbox: SmsOutbox.from(moduleRef), moduleRef };
  }

  beforeAll(async () => {
    redis = await connectRedis();
    prefix = `${testPrefix('docs-verify')}:`;
    Object.assign(process.env, {
      SMSRU_API_ID: 'docs-verify-smsru',
      SMS_VERIFY_SECRET: SECRET,
      REDIS_URL,
      SMS_VERIFY_PREFIX: prefix,
    });
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await removeKeys(redis, prefix);
    redis.disconnect();
    process.env = { ...env };
  });

  it('keeps the verification in Redis under the configured prefix, with the keys the guide names', async () => {
    const { verify, outbox } = await instance();
    const before = new Date().toISOString().slice(0, 10);
    const started = await verify.start({ to: '+7 925 507-16-01', clientIp: '77.88.8.7' });
    const after = new Date().toISOString().slice(0, 10);
    // The UTC day of the start (either side of a midnight that fell during it).
    const day = (await redis.exists(`${prefix}spend:${before}`)) ? before : after;
    const keys = (await redis.keys(`${prefix}*`)).map((k) => k.slice(prefix.length)).sort();
    expect(keys).toEqual(
      [
        `rec:${started.id}`,
        'num:79255071601',
        'log:n:h:79255071601',
        'log:n:d:79255071601',
        'log:ip:h:77.88.8.7',
        'log:ip:d:77.88.8.7',
        'log:range:79255071',
        `spend:${day}`,
      ].sort(),
    );
    // message.webOtpDomain: the WebOTP line comes last.
    const code = lastCode(outbox);
    expect(outbox.last()!.text.split('\n').at(-1)).toBe(`@example.com #${code}`);
    await expect(verify.check({ to: '+7 925 507-16-01', code })).resolves.toMatchObject({
      status: 'approved',
    });
  });

  it('two instances on the same Redis send one code, and either checks it', async () => {
    const a = await instance();
    const b = await instance();
    const [first, second] = await Promise.all([
      a.verify.start({ to: '+7 925 507-16-02' }),
      b.verify.start({ to: '+7 925 507-16-02' }),
    ]);
    expect(second.id).toBe(first.id);
    expect(a.outbox.size + b.outbox.size).toBe(1);
    const code = lastCode(a.outbox.size === 1 ? a.outbox : b.outbox);
    await expect(b.verify.check({ id: first.id, code })).resolves.toMatchObject({ status: 'approved' });
    await expect(a.verify.check({ id: first.id, code })).resolves.toMatchObject({ status: 'not_found' });
  });

  it('RedisModule closes its client when the application shuts down', async () => {
    const { moduleRef } = await instance();
    expect(moduleRef.get(RedisModule)).toBeInstanceOf(RedisModule);
    const client = moduleRef.get(Redis);
    await client.ping();
    const ended = new Promise<void>((resolve) => client.once('end', resolve));
    await moduleRef.close();
    apps.splice(apps.indexOf(moduleRef), 1);
    await ended;
    expect(client.status).toBe('end');
  });

  it('does not start without REDIS_URL, and says which variable is missing', async () => {
    delete process.env.REDIS_URL;
    await expect(Test.createTestingModule({ imports: [ConfiguredAppModule] }).compile()).rejects.toThrow(
      /REDIS_URL/,
    );
    process.env.REDIS_URL = REDIS_URL;
  });
});

describe('docs/verify.md: AuthController over HTTP, SMS.ru on its fake', () => {
  let fake: SmsRuFake;
  let app: INestApplication;
  const events: SmsVerifyEvent[] = [];

  beforeAll(async () => {
    fake = await SmsRuFake.start();
    const moduleRef = await Test.createTestingModule({
      imports: [
        SmsModule.forRoot({ providers: { main: fake.providerConfig() }, isGlobal: true }),
        SmsVerifyModule.forRoot({ secret: SECRET }),
      ],
      controllers: [AuthController],
    }).compile();
    const express = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
    express.set('trust proxy', 'loopback'); // the proxy in front of the app is on this machine
    app = await express.init();
    app.get(SmsVerifyService).events$.subscribe((e) => events.push(e));
  });
  afterAll(async () => {
    await app.close();
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
    events.length = 0;
  });

  const http = () => request(app.getHttpServer());

  it('sends a code and signs in with it once; a wrong code leaves attempts', async () => {
    const sent = await http().post('/auth/code').send({ phone: '+7 925 507-17-01' }).expect(201);
    expect(sent.body).toMatchObject({ id: expect.any(String), to: '79255071701', status: 'pending' });
    expect(JSON.stringify(sent.body)).not.toMatch(/code/i);
    const [code] = codesAtFake(fake);
    const wrong = code === '000000' ? '111111' : '000000';

    await http()
      .post('/auth/sign-in')
      .send({ id: sent.body.id, code: wrong })
      .expect(201, { ok: false, status: 'pending', attemptsLeft: 4 });
    await http().post('/auth/sign-in').send({ id: sent.body.id, code }).expect(201, { ok: true });
    await http()
      .post('/auth/sign-in')
      .send({ id: sent.body.id, code })
      .expect(201, { ok: false, status: 'not_found', attemptsLeft: 0 });
  });

  it('a double click sends one SMS', async () => {
    const [a, b] = await Promise.all([
      http().post('/auth/code').send({ phone: '+7 925 507-17-02' }),
      http().post('/auth/code').send({ phone: '+7 925 507-17-02' }),
    ]);
    expect(b.body.id).toBe(a.body.id);
    expect(smsAtFake(fake)).toBe(1);
  });

  it('passes a public client address on to SMS.ru, and leaves a loopback one out', async () => {
    await http()
      .post('/auth/code')
      .set('X-Forwarded-For', '77.88.8.7')
      .send({ phone: '+7 925 507-17-03' })
      .expect(201);
    await http().post('/auth/code').send({ phone: '+7 925 507-17-04' }).expect(201);
    const [forwarded, local] = fake.requestsTo('sms/send');
    expect(forwarded.form.get('ip')).toBe('77.88.8.7');
    expect(local.form.has('ip')).toBe(false);
  });

  it('answers refusals through SmsExceptionFilter: 400, 422, and 429 with Retry-After after max_attempts', async () => {
    const bad = await http().post('/auth/code').send({ phone: '12' }).expect(400);
    expect(bad.body).toMatchObject({
      code: 'VALIDATION',
      details: [expect.objectContaining({ field: 'to' })],
    });
    const foreign = await http().post('/auth/code').send({ phone: '+1 212 555 0123' }).expect(422);
    expect(foreign.body).toMatchObject({ code: 'COUNTRY_NOT_ALLOWED', outcome: 'not_sent' });

    const sent = await http().post('/auth/code').send({ phone: '+7 925 507-17-05' }).expect(201);
    const [code] = codesAtFake(fake);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) await http().post('/auth/sign-in').send({ id: sent.body.id, code: wrong });
    await http()
      .post('/auth/sign-in')
      .send({ id: sent.body.id, code })
      .expect(201, { ok: false, status: 'max_attempts', attemptsLeft: 0 });
    const limited = await http().post('/auth/code').send({ phone: '+7 925 507-17-05' }).expect(429);
    expect(limited.body).toMatchObject({ code: 'RATE_LIMITED' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(smsAtFake(fake)).toBe(1);
  });

  it('start refuses a private clientIp with VALIDATION before anything is counted or sent', async () => {
    const verify = app.get(SmsVerifyService);
    const error = await verify.start({ to: '+7 925 507-17-06', clientIp: '192.168.1.10' }).catch((e) => e);
    expect(error).toMatchObject({
      code: 'VALIDATION',
      details: [{ field: 'clientIp', message: expect.stringContaining('must be a public address') }],
    });
    expect(events).toEqual([]);
    expect(fake.requests).toHaveLength(0);
    // An IPv4-mapped address goes on as the IPv4 address.
    await verify.start({ to: '+7 925 507-17-06', clientIp: '::ffff:77.88.8.8' });
    expect(fake.requestsTo('sms/send')[0].form.get('ip')).toBe('77.88.8.8');
  });
});

describe('docs/verify.md: captcha', () => {
  const env = { ...process.env };
  afterEach(() => {
    process.env = { ...env };
  });

  it('the SmartCaptcha set-up refuses a start without a token, before any request', async () => {
    process.env.SMS_VERIFY_SECRET = SECRET;
    process.env.SMARTCAPTCHA_SERVER_KEY = 'docs-smartcaptcha-server-key';
    const { VerifyModule } = await import('./captcha.module');
    const moduleRef = await Test.createTestingModule({
      imports: [SmsTestingModule.forRoot(), VerifyModule],
    }).compile();
    const verify = moduleRef.get(SmsVerifyService);
    const events: SmsVerifyEvent[] = [];
    verify.events$.subscribe((e) => events.push(e));
    const error = await verify.start({ to: '+7 925 507-18-01' }).catch((e) => e);
    expect(error).toMatchObject({ code: 'CAPTCHA_FAILED', failure: 'refused', outcome: 'not_sent' });
    expect(error.message).toContain('yandex-smartcaptcha');
    expect(events).toEqual([expect.objectContaining({ type: 'refused', reason: 'captcha' })]);
    expect(moduleRef.get(SmsOutbox).size).toBe(0);
    await moduleRef.close();
  });

  describe('a verifier of your own (turnstile)', () => {
    let server: FakeHttpServer;
    let reply: () => ReturnType<Parameters<typeof FakeHttpServer.start>[0]>;

    beforeAll(async () => {
      server = await FakeHttpServer.start(() => reply());
    });
    afterAll(() => server.close());

    async function boot(timeoutMs?: number) {
      const moduleRef = await Test.createTestingModule({
        imports: [
          SmsTestingModule.forRoot(),
          SmsVerifyModule.forRoot({
            secret: SECRET,
            captcha: { verifier: turnstile({ secret: 'turnstile-secret', url: server.url, timeoutMs }) },
          }),
        ],
      }).compile();
      return { moduleRef, verify: moduleRef.get(SmsVerifyService), outbox: moduleRef.get(SmsOutbox) };
    }

    it('sends the code when Turnstile says solved, with the secret in the body only', async () => {
      server.reset();
      reply = () => ({ status: 200, body: JSON.stringify({ success: true }) });
      const { moduleRef, verify, outbox } = await boot();
      await verify.start({ to: '+7 925 507-18-02', captchaToken: 'solved-token', clientIp: '77.88.8.7' });
      expect(outbox.size).toBe(1);
      const [asked] = server.requests;
      expect(Object.fromEntries(asked.form)).toEqual({
        secret: 'turnstile-secret',
        response: 'solved-token',
        remoteip: '77.88.8.7',
      });
      expect(asked.url).not.toContain('turnstile-secret');
      await moduleRef.close();
    });

    it('refuses with CAPTCHA_FAILED when it is not solved', async () => {
      reply = () => ({ status: 200, body: JSON.stringify({ success: false }) });
      const { moduleRef, verify, outbox } = await boot();
      const error = await verify.start({ to: '+7 925 507-18-03', captchaToken: 'bad' }).catch((e) => e);
      expect(error).toMatchObject({ code: 'CAPTCHA_FAILED', outcome: 'not_sent' });
      expect(outbox.size).toBe(0);
      await moduleRef.close();
    });

    it('fails with UNAVAILABLE, nothing sent, when Turnstile answers an error or not in time', async () => {
      reply = () => ({ status: 503, body: 'Service Unavailable' });
      const { moduleRef, verify, outbox } = await boot(300);
      await expect(verify.start({ to: '+7 925 507-18-04', captchaToken: 't' })).rejects.toMatchObject({
        code: 'UNAVAILABLE',
        failure: 'unavailable',
      });
      reply = () => ({ fault: 'hang' });
      const began = Date.now();
      const error = await verify.start({ to: '+7 925 507-18-04', captchaToken: 't' }).catch((e) => e);
      expect(error).toMatchObject({ code: 'UNAVAILABLE' });
      expect(Date.now() - began).toBeLessThan(5_000);
      expect(outbox.size).toBe(0);
      await moduleRef.close();
    });
  });
});
