import request from 'supertest';
import { type DemoApp, startDemo } from './demo-app';

const SEND = { to: '+79255070602', text: 'Your code: 4821' };

describe('demo error mapping (SmsError → HTTP)', () => {
  let demo: DemoApp;
  const send = () => request(demo.app.getHttpServer()).post('/sms').send(SEND);

  beforeAll(async () => {
    demo = await startDemo({ SMS_SEND_TIMEOUT_MS: '300' });
  });
  afterEach(() => demo.outbox.reset());
  afterAll(() => demo.close());

  it('VALIDATION → 400', async () => {
    const res = await request(demo.app.getHttpServer())
      .post('/sms')
      .send({ to: 'nobody', text: 'x' })
      .expect(400);
    expect(res.body).toMatchObject({
      statusCode: 400,
      code: 'VALIDATION',
      outcome: 'not_sent',
      retryable: false,
    });
  });

  it('RATE_LIMITED → 429 with Retry-After', async () => {
    demo.outbox.refuse('RATE_LIMITED', { retryAfterSeconds: 42.5, times: 1 });
    const res = await send().expect(429);
    expect(res.headers['retry-after']).toBe('43');
    expect(res.body).toMatchObject({
      code: 'RATE_LIMITED',
      outcome: 'not_sent',
      retryable: false,
      retryAfterSeconds: 43,
    });
    await send().expect(201);
  });

  it.each(['AUTH', 'INSUFFICIENT_FUNDS', 'SENDER_NOT_ALLOWED'] as const)(
    '%s (the account cannot send) → 503, nothing sent',
    async (code) => {
      demo.outbox.refuse(code, { providerCode: 200, providerMessage: 'Неправильный api_id' });
      const res = await send().expect(503);
      expect(res.body).toMatchObject({
        statusCode: 503,
        code,
        outcome: 'not_sent',
        failure: 'account',
        provider: 'dev',
        providerCode: 200,
        providerMessage: 'Неправильный api_id',
      });
      expect(res.body.mayHaveBeenSent).toBeUndefined();
      expect(demo.outbox.size).toBe(0);
    },
  );

  it('a refusal of the message itself (CONTENT_REJECTED) → 422', async () => {
    demo.outbox.refuse('CONTENT_REJECTED');
    const res = await send().expect(422);
    expect(res.body).toMatchObject({ code: 'CONTENT_REJECTED', failure: 'refused', retryable: false });
  });

  it('UNAVAILABLE (an outage) → 503, not sent', async () => {
    demo.outbox.outage();
    const res = await send().expect(503);
    expect(res.body).toMatchObject({ code: 'UNAVAILABLE', outcome: 'not_sent', retryable: true });
    const balance = await request(demo.app.getHttpServer()).get('/sms/balance').expect(503);
    expect(balance.body.code).toBe('UNAVAILABLE');
  });

  it('TIMEOUT (unknown outcome) → 502 with a body that says the message may have been sent', async () => {
    demo.outbox.timeout();
    const res = await send().expect(502);
    expect(res.body).toMatchObject({
      statusCode: 502,
      code: 'TIMEOUT',
      outcome: 'unknown',
      mayHaveBeenSent: true,
    });
    expect(res.body.message).toMatch(/may have reached the provider.*do not resend/);
    expect(demo.outbox.to(SEND.to)).toHaveLength(1);
  });

  it('a provider slower than the send deadline → 502, outcome unknown', async () => {
    demo.outbox.delay(2000);
    const started = Date.now();
    const res = await send().expect(502);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(res.body).toMatchObject({ code: 'TIMEOUT', outcome: 'unknown', mayHaveBeenSent: true });
  });

  it('a refused recipient is not an HTTP error: 201 with accepted: false for that number only', async () => {
    demo.outbox.failRecipient('+79161234567', 'STOP_LIST');
    const res = await request(demo.app.getHttpServer())
      .post('/sms')
      .send({ to: ['+79255070602', '+79161234567'], text: 'hi' })
      .expect(201);
    expect(res.body.messages).toMatchObject([
      { to: '79255070602', accepted: true },
      { to: '79161234567', accepted: false, status: 'rejected', error: { code: 'STOP_LIST' } },
    ]);
  });
});

describe('demo with two memory providers and failover', () => {
  let demo: DemoApp;

  beforeAll(async () => {
    demo = await startDemo({
      SMS_PROVIDERS: 'main,backup',
      SMS_MAIN_DRIVER: 'memory',
      SMS_MAIN_SENDER: 'MainCo',
      SMS_BACKUP_DRIVER: 'memory',
      SMS_FAILOVER: 'main,backup',
    });
  });
  afterEach(() => demo.outbox.reset());
  afterAll(() => demo.close());

  it('an outage of the first provider moves the send to the next one', async () => {
    demo.outbox.outage({ provider: 'main' });
    const res = await request(demo.app.getHttpServer()).post('/sms').send(SEND).expect(201);
    expect(res.body.provider).toBe('backup');
    expect(
      res.body.attempts.map((a: { provider: string; result: string }) => [a.provider, a.result]),
    ).toEqual([
      ['main', 'failed'],
      ['backup', 'sent'],
    ]);
    expect(demo.outbox.from('backup')).toHaveLength(1);
    expect(demo.outbox.from('main')).toHaveLength(0);
  });

  it('an outage of both → 503 listing every attempt', async () => {
    demo.outbox.outage();
    const res = await request(demo.app.getHttpServer()).post('/sms').send(SEND).expect(503);
    expect(res.body.attempts.map((a: { provider: string }) => a.provider)).toEqual(['main', 'backup']);
  });

  it('takes the sender of the provider settings', async () => {
    await request(demo.app.getHttpServer()).post('/sms').send(SEND).expect(201);
    expect(demo.outbox.last()).toMatchObject({ provider: 'main', sender: 'MainCo' });
  });
});
