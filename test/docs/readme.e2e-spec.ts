import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { SmsModule, SmsRuProvider, SmsPilotProvider, SmsService } from 'nestjs-sms';
import { SmsOutbox, SmsTestingModule } from 'nestjs-sms/testing';
import request from 'supertest';
import { FakeHttpServer } from '../fakes/fake-http-server';
import { AppModule as ConfiguredAppModule } from './readme/config.module';
import { notifyOrder } from './readme/notify-order';
import { SmsController } from './readme/sms.controller';
import { closedPort } from '../fakes/closed-port';

describe("README's controller with SmsExceptionFilter", () => {
  let app: INestApplication;
  let gateway: FakeHttpServer;

  beforeAll(async () => {
    // A gateway that answers HTTP 500: the send may have been carried out.
    gateway = await FakeHttpServer.start(() => ({ status: 500, body: 'Internal Server Error' }));
    const down = await closedPort();
    const moduleRef = await Test.createTestingModule({
      imports: [
        SmsModule.forRoot({
          providers: {
            dev: { driver: 'memory' },
            down: { driver: 'smsru', apiId: 'readme-api-id', baseUrl: `http://127.0.0.1:${down}` },
            flaky: { driver: 'smsru', apiId: 'readme-api-id', baseUrl: gateway.url },
          },
          defaultProvider: 'dev',
          retry: { maxAttempts: 2, initialDelayMs: 10, maxDelayMs: 20 },
          antiFlood: { perNumber: [{ max: 1, windowMs: 60_000 }] },
        }),
      ],
      controllers: [SmsController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalPipes(new ValidationPipe({ transform: true }));
    await app.init();
  });

  afterAll(async () => {
    await app.close();
    await gateway.close();
  });

  it('sends', async () => {
    const res = await request(app.getHttpServer())
      .post('/sms')
      .send({ to: '+7 925 507-06-01', text: 'Привет' })
      .expect(201);
    expect(res.body.messages[0]).toMatchObject({ to: '79255070601', accepted: true });
  });

  it('answers 400 with the details for an unknown provider, which only the service can tell', async () => {
    const res = await request(app.getHttpServer())
      .post('/sms')
      .send({ to: '+79255070602', text: 'hi', provider: 'nope' })
      .expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION', outcome: 'not_sent' });
    expect(res.body.details).toEqual([expect.objectContaining({ field: 'provider' })]);
  });

  it('answers 400 for a sendAt in the past', async () => {
    const res = await request(app.getHttpServer())
      .post('/sms')
      .send({ to: '+79255070603', text: 'hi', sendAt: '2020-01-01T00:00:00Z' })
      .expect(400);
    expect(res.body.details).toEqual([expect.objectContaining({ field: 'sendAt' })]);
  });

  it('answers 429 with Retry-After when the anti-flood limit holds the number back', async () => {
    await request(app.getHttpServer()).post('/sms').send({ to: '+79255070604', text: 'one' }).expect(201);
    const res = await request(app.getHttpServer())
      .post('/sms')
      .send({ to: '+79255070604', text: 'two' })
      .expect(429);
    expect(res.body).toMatchObject({ code: 'RATE_LIMITED', outcome: 'not_sent', retryable: false });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(res.headers['retry-after'])).toBe(res.body.retryAfterSeconds);
  });

  it('answers 503 when the provider cannot be reached (not sent: try again later)', async () => {
    const res = await request(app.getHttpServer())
      .post('/sms')
      .send({ to: '+79255070605', text: 'hi', provider: 'down' })
      .expect(503);
    expect(res.body).toMatchObject({ code: 'UNAVAILABLE', outcome: 'not_sent', failure: 'unavailable' });
    expect(res.body.mayHaveBeenSent).toBeUndefined();
  });

  it('answers 502 saying not to resend when the outcome is unknown', async () => {
    gateway.reset();
    const res = await request(app.getHttpServer())
      .post('/sms')
      .send({ to: '+79255070606', text: 'hi', provider: 'flaky' })
      .expect(502);
    expect(res.body).toMatchObject({ outcome: 'unknown', failure: 'unknown', mayHaveBeenSent: true });
    expect(res.body.message).toMatch(/do not (re)?send/i);
    expect(gateway.requests).toHaveLength(1);
    expect(JSON.stringify(res.body)).not.toContain('readme-api-id');
  });
});

describe("README's modules", () => {
  const env = { ...process.env };
  afterEach(() => {
    process.env = { ...env };
  });

  it('registers SMS.ru with SMSPilot as its failover from the environment', async () => {
    process.env.SMSRU_API_ID = 'readme-smsru';
    process.env.SMSPILOT_API_KEY = 'readme-smspilot';
    // forRoot reads process.env when the module file is loaded, as in an application.
    const { AppModule } = await import('./readme/app.module');
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const sms = moduleRef.get(SmsService);
    expect(sms.driver('main', SmsRuProvider)).toBeInstanceOf(SmsRuProvider);
    expect(sms.driver('backup', SmsPilotProvider)).toBeInstanceOf(SmsPilotProvider);
    await moduleRef.close();
  });

  it('reads the SMS.ru key through @nestjs/config, and fails at start without it', async () => {
    process.env.SMSRU_API_ID = 'readme-smsru';
    process.env.SMS_SENDER = 'MyShop';
    const moduleRef = await Test.createTestingModule({ imports: [ConfiguredAppModule] }).compile();
    expect(moduleRef.get(SmsService).driver('main', SmsRuProvider)).toBeInstanceOf(SmsRuProvider);
    await moduleRef.close();

    delete process.env.SMSRU_API_ID;
    await expect(Test.createTestingModule({ imports: [ConfiguredAppModule] }).compile()).rejects.toThrow(
      /SMSRU_API_ID/,
    );
  });
});

describe("README's error handling (notifyOrder)", () => {
  let sms: SmsService;
  let outbox: SmsOutbox;
  let close: () => Promise<void>;

  beforeEach(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [SmsTestingModule.forRoot()] }).compile();
    sms = moduleRef.get(SmsService);
    outbox = moduleRef.get(SmsOutbox);
    close = () => moduleRef.close();
  });
  afterEach(() => close());

  it('sends once per order, however often it is called', async () => {
    await expect(notifyOrder(sms, '42', '+79255070602', 'Shipped')).resolves.toBe('sent');
    await expect(notifyOrder(sms, '42', '+79255070602', 'Shipped')).resolves.toBe('sent');
    expect(outbox.messages).toHaveLength(1);
  });

  it('tells a refused number', async () => {
    outbox.failRecipient('+79255070602', 'STOP_LIST');
    await expect(notifyOrder(sms, '43', '+79255070602', 'Shipped')).resolves.toBe('refused');
  });

  it('answers a bad number with BadRequestException and its details', async () => {
    await expect(notifyOrder(sms, '44', '123', 'Shipped')).rejects.toMatchObject({
      status: 400,
      response: { message: [expect.objectContaining({ field: 'to' })] },
    });
  });

  it('does not resend when the outcome is unknown', async () => {
    outbox.timeout();
    await expect(notifyOrder(sms, '45', '+79255070602', 'Shipped')).resolves.toBe('pending');
    await expect(notifyOrder(sms, '45', '+79255070602', 'Shipped')).resolves.toBe('pending');
    expect(outbox.to('+79255070602')).toHaveLength(1);
  });
});
