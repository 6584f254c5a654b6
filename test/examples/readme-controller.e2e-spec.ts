import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { SmsModule } from 'nestjs-sms';
import request from 'supertest';
import { FakeHttpServer } from '../fakes/fake-http-server';
import { SmsController } from './readme/sms.controller';

/** A port of 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

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

  it('is the block the README shows', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Send from a controller'));
    const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block).toBe(readFileSync(join(__dirname, 'readme/sms.controller.ts'), 'utf8'));
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
