import { type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { SmsConfigurationError, SmsModule, SmsService } from 'nestjs-sms';
import request from 'supertest';
import { FakeHttpServer, type RecordedRequest } from '../../fakes/fake-http-server';
import { acmeDriver } from './acme.driver';
import { smsOptions } from './sms-options';

const TOKEN = 'acme-secret-token-42';

/** Acme as its API is described: a wrong token is refused with 401, a number ending in 00 is refused. */
function acme(req: RecordedRequest) {
  if (req.method !== 'POST' || req.path !== '/v1/send') return { status: 404, body: 'no such route' };
  if (req.form.get('token') !== TOKEN) return { status: 401, body: '{"error":"bad token"}' };
  const numbers = (req.form.get('to') ?? '').split(',');
  if (numbers.length > 50 || !req.form.get('text')) return { status: 400, body: '{"error":"bad request"}' };
  const accepted = Object.fromEntries(
    numbers.filter((n) => !n.endsWith('00')).map((n, i) => [n, `acme-${i}`]),
  );
  return {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ accepted, refused: numbers.filter((n) => n.endsWith('00')) }),
  };
}

describe('docs/custom-driver.md: a driver of your own, registered like a built-in one', () => {
  let fake: FakeHttpServer;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    fake = await FakeHttpServer.start(acme);
  });
  afterAll(() => fake.close());
  afterEach(async () => {
    await app?.close();
    app = undefined;
    fake.reset();
  });

  async function boot(token = TOKEN): Promise<SmsService> {
    const moduleRef = await Test.createTestingModule({
      imports: [SmsModule.forRoot(smsOptions(fake.url, token))],
    }).compile();
    app = moduleRef.createNestApplication();
    await app.init();
    return app.get(SmsService);
  }

  it('sends through the fake Acme server, 50 numbers a request, in input order', async () => {
    const sms = await boot();
    const to = Array.from({ length: 60 }, (_, i) => `+7925507${String(1001 + i).padStart(4, '0')}`);
    const result = await sms.send({ to, text: 'Your order has shipped' });
    expect(result.provider).toBe('acme');
    expect(result.messages).toHaveLength(60);
    expect(result.messages.every((m) => m.accepted)).toBe(true);
    expect(result.messages[59].to).toBe('79255071060');
    expect(fake.requestsTo('/v1/send').map((r) => r.form.get('to')!.split(',').length)).toEqual([50, 10]);
    expect(sms.provider('acme')).toMatchObject({ driver: 'acme', capabilities: ['send'] });
  });

  it('reports a number Acme refused, and sends the refusal through no other provider', async () => {
    const sms = await boot();
    const result = await sms.send({ to: ['+79255070600', '+79255070601'], text: 'Hi' });
    expect(result.messages[0]).toMatchObject({ accepted: false, status: 'rejected', provider: 'acme' });
    expect(result.messages[0].error).toMatchObject({ code: 'INVALID_PHONE', failure: 'refused' });
    expect(result.messages[1]).toMatchObject({ accepted: true, id: 'acme-0' });
  });

  it('fails over when Acme refuses the account, and keeps the token out of the error', async () => {
    const sms = await boot('wrong-token-000000');
    const result = await sms.send({ to: '+79255070602', text: 'Hi' });
    expect(result.provider).toBe('backup');
    expect(result.attempts[0]).toMatchObject({ provider: 'acme', result: 'failed', error: { code: 'AUTH' } });
    expect(JSON.stringify(result)).not.toContain('wrong-token-000000');
  });

  it('refuses test: true before any request, since Acme declares no testMode', async () => {
    const sms = await boot();
    await expect(
      sms.send({ to: '+79255070602', text: 'Hi', test: true, provider: 'acme' }),
    ).rejects.toMatchObject({
      code: 'UNSUPPORTED',
    });
    expect(fake.requestsTo('/v1/send')).toHaveLength(0);
  });

  it('takes Acme status callbacks at the webhook endpoint', async () => {
    const sms = await boot();
    const reports: unknown[] = [];
    sms.deliveryReports$.subscribe((r) => reports.push(r));
    await request(app!.getHttpServer())
      .post('/sms/webhooks/acme/webhook-token-0123456789')
      .type('form')
      .send({ id: 'acme-0', status: 'delivered' })
      .expect(200, 'OK');
    expect(reports).toEqual([
      expect.objectContaining({ provider: 'acme', id: 'acme-0', status: 'delivered' }),
    ]);
  });

  it('refuses a typo in its config at start, with the nearest field of its definition', async () => {
    const error = await Test.createTestingModule({
      imports: [SmsModule.forRoot({ providers: { acme: { driver: acmeDriver, tokn: TOKEN } } })],
    })
      .compile()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmsConfigurationError);
    expect((error as Error).message).toContain(
      'provider "acme" (acme): "tokn" is not a known field (did you mean `token`?)',
    );
  });
});
