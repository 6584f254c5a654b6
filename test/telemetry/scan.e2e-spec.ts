import { type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { SmsModule, SmsService } from 'nestjs-sms';
import { SmsVerifyModule, SmsVerifyService } from 'nestjs-sms/verify';
import request from 'supertest';
import { SmsPilotFake } from '../fakes/smspilot-fake.server';
import { SmsRuFake } from '../fakes/smsru-fake.server';
import { codesAtFake } from '../verify/verify-kit';
import { smsRuCallbackBody } from '../webhooks/webhook-test-app';
import { OtelKit } from './otel-kit';

const TOKEN = 'Wh7-tokenLx9_ZpR4mVb8nQ';
const API_ID = 'ru-api-id-7781-SECRET-5566';
const PILOT_KEY = 'pilot-secret-key-XYZ0123456789';
const VERIFY_SECRET = 'verify-secret-for-the-telemetry-scan-0123';
const NUMBERS = ['+79255070602', '+79255070611', '+79255070622', '+79255070633', '+79255070644'];
const VERIFY_NUMBER = '+79255070655';
const TEXTS = ['Order 5501 shipped', 'Parcel waits at point 12', 'Batch text one', 'Batch text two'];

describe('telemetry records no number, text, code or secret', () => {
  const otel = new OtelKit();
  let ru: SmsRuFake;
  let pilot: SmsPilotFake;
  let app: INestApplication;
  let sms: SmsService;
  let verify: SmsVerifyService;
  let code: string;

  beforeAll(async () => {
    otel.start();
    ru = await SmsRuFake.start({ apiId: API_ID });
    pilot = await SmsPilotFake.start({ apiKey: PILOT_KEY });
    const moduleRef = await Test.createTestingModule({
      imports: [
        SmsModule.forRoot({
          providers: {
            main: ru.providerConfig(),
            pilot: { driver: 'smspilot', apiKey: PILOT_KEY, baseUrl: pilot.url },
          },
          failover: ['main', 'pilot'],
          retry: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 2 },
          webhooks: { path: '/sms/webhooks', token: TOKEN },
          isGlobal: true,
        }),
        SmsVerifyModule.forRoot({ secret: VERIFY_SECRET }),
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    sms = app.get(SmsService);
    verify = app.get(SmsVerifyService);

    // Sends to several numbers, a batch, a failover, a refusal, an error, the reads.
    const sent = await sms.send({ to: NUMBERS.slice(0, 2), text: TEXTS[0] });
    await sms.sendBatch([
      { to: NUMBERS[2], text: TEXTS[2] },
      { to: NUMBERS[3], text: TEXTS[3] },
    ]);
    ru.server.script({ status: 503 }, { status: 503 });
    await sms.send({ to: NUMBERS[4], text: TEXTS[1] });
    ru.recipient(NUMBERS[4].slice(1), { code: 202 });
    await sms.send({ to: NUMBERS[4], text: TEXTS[1] });
    ru.failRequests('sms/send', 203, 1);
    await sms.send({ to: NUMBERS[0], text: TEXTS[1] }).catch(() => undefined);
    await sms.getStatus(sent.messages[0].id!);
    await sms.getCost({ to: NUMBERS[1], text: TEXTS[0] });
    await sms.getBalance();
    await sms.getBalance({ provider: 'pilot' });

    // A verification started and checked with its code.
    const started = await verify.start({ to: VERIFY_NUMBER });
    code = codesAtFake(ru).at(-1)!;
    expect((await verify.check({ id: started.id, code })).status).toBe('approved');

    // A delivery report through the webhook, its token in the URL.
    const body = smsRuCallbackBody(API_ID, [`sms_status\n${sent.messages[0].id}\n103\n1700000000`]);
    await request(app.getHttpServer())
      .post(`/sms/webhooks/main/${TOKEN}`)
      .type('application/x-www-form-urlencoded')
      .send(body);
  });

  afterAll(async () => {
    await app.close();
    await Promise.all([ru.close(), pilot.close()]);
    await otel.stop();
  });

  /** Every string recorded: span names, attribute keys and values, events, links, statuses, metrics. */
  async function recorded(): Promise<string[]> {
    const values: string[] = [];
    const attributes = (a: Record<string, unknown>) => {
      for (const [k, v] of Object.entries(a)) values.push(k, String(v));
    };
    for (const span of otel.spans()) {
      values.push(span.name, span.status.message ?? '');
      attributes(span.attributes);
      for (const event of span.events) {
        values.push(event.name);
        attributes(event.attributes ?? {});
      }
      for (const link of span.links) attributes(link.attributes ?? {});
      attributes(span.resource.attributes);
    }
    for (const metric of await otel.collect()) {
      values.push(metric.descriptor.name, metric.descriptor.description);
      for (const point of metric.dataPoints) attributes(point.attributes);
    }
    return values;
  }

  it('ran what it scans: every kind of span and the metrics of each area', async () => {
    const names = new Set(otel.spans().map((s) => s.name));
    expect([...names].sort()).toEqual([
      'POST',
      'sms.attempt',
      'sms.get_balance',
      'sms.get_cost',
      'sms.get_status',
      'sms.send',
      'sms.send_batch',
      'sms.webhook',
    ]);
    const webhook = otel.spans().find((s) => s.name === 'sms.webhook')!;
    expect(webhook.attributes).toEqual({
      'sms.provider': 'main',
      'sms.webhook.reports': 1,
      'http.response.status_code': 200,
    });
    expect(
      await otel.value('sms.delivery_reports', {
        'sms.provider': 'main',
        'sms.status': 'delivered',
        'sms.final': true,
      }),
    ).toBe(1);
    expect(await otel.value('sms.verify.outcomes', { 'sms.verify.outcome': 'sent' })).toBe(1);
    expect(await otel.value('sms.verify.outcomes', { 'sms.verify.outcome': 'approved' })).toBe(1);
    expect(await otel.value('sms.messages', { 'sms.provider': 'main', 'sms.result': 'refused' })).toBe(2);
    expect(await otel.value('sms.messages', { 'sms.provider': 'pilot', 'sms.result': 'accepted' })).toBe(1);
    expect(code).toMatch(/^\d{6}$/);
  });

  const forbidden = () => [
    ...TEXTS,
    code,
    TOKEN,
    API_ID,
    PILOT_KEY,
    VERIFY_SECRET,
    ...[...NUMBERS, VERIFY_NUMBER].map((n) => n.slice(1)),
  ];

  /** The forbidden values found in `values`, as is or (numbers and codes) among their digits. */
  function offenders(values: string[]): string[] {
    const digitsOf = (s: string) => s.replace(/\D/g, '');
    return values.flatMap((value) =>
      forbidden()
        .filter((bad) => value.includes(bad) || (/^\d+$/.test(bad) && digitsOf(value).includes(bad)))
        .map((bad) => `${bad} in ${value}`),
    );
  }

  it('no full number (digits only too), text, code, credential or token in any of it', async () => {
    const values = await recorded();
    expect(values.length).toBeGreaterThan(100);
    expect(offenders(values)).toEqual([]);
  });

  it('the scan would catch a formatted number, a code, a text and a token', () => {
    expect(offenders(['+7 (925) 507-06-02', `code ${code}`, TEXTS[1], `/main/${TOKEN}`])).toHaveLength(4);
  });
});
