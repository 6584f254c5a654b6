import { smsRuCallbackHash } from 'nestjs-sms/driver';
import request from 'supertest';
import { createLogger } from '../../apps/demo/src/logging/create-logger';
import { SmsPilotFake } from '../fakes/smspilot-fake.server';
import { SmsRuFake } from '../fakes/smsru-fake.server';
import { type DemoApp, startDemo } from './demo-app';
import { captureOutput, type LogCapture } from './log-capture';

const API_ID = 'AB12CD34-0000-1111-2222-333344445555';
const API_KEY = 'XXXXXXXXXXXXYYYYYYYYYYYYZZZZZZZZXXXXXXXXXXXXYYYYYYYYYYYYZZZZZZZZ';
const TOKEN = 'Tk7-wq2Lx9_ZpR4mVb8n';
const PREVIOUS_TOKEN = 'Old.Yh6Gc1-Ue5Jk0Qs2';
const PUBLIC_URL = 'http://demo.example.test';
const PHONE = '79255070602';

/** An SMS.ru callback body: `data[0]`…`data[N]` and `hash`, signed as SMS.ru signs it. */
function smsRuCallback(entries: string[], apiId = API_ID): string {
  const form = new URLSearchParams();
  entries.forEach((entry, i) => form.append(`data[${i}]`, entry));
  form.append('hash', smsRuCallbackHash(apiId, entries));
  return form.toString();
}

describe('demo delivery reports (SMS.ru and SMSPilot fakes, SMS_WEBHOOK_* settings)', () => {
  let ru: SmsRuFake;
  let pilot: SmsPilotFake;
  let demo: DemoApp;
  let output: LogCapture;
  const http = () => request(demo.app.getHttpServer());
  const send = (body: object) =>
    http()
      .post('/sms')
      .send({ to: `+${PHONE}`, text: 'Your code: 4821', ...body })
      .expect(201);
  const messages = (context: string) =>
    output
      .records()
      .filter((r) => r.context === context)
      .map((r) => r.message as Record<string, unknown>);

  beforeAll(async () => {
    ru = await SmsRuFake.start({ apiId: API_ID });
    pilot = await SmsPilotFake.start({ apiKey: API_KEY });
    output = captureOutput();
    demo = await startDemo(
      {
        SMS_PROVIDERS: 'main,backup',
        SMS_MAIN_DRIVER: 'smsru',
        SMS_MAIN_API_ID: API_ID,
        SMS_MAIN_BASE_URL: ru.url,
        SMS_BACKUP_DRIVER: 'smspilot',
        SMS_BACKUP_API_KEY: API_KEY,
        SMS_BACKUP_BASE_URL: pilot.url,
        SMS_FAILOVER: 'main,backup',
        SMS_WEBHOOK_TOKEN: TOKEN,
        SMS_WEBHOOK_TOKEN_PREVIOUS: PREVIOUS_TOKEN,
        SMS_WEBHOOK_PUBLIC_URL: PUBLIC_URL,
      },
      { logger: createLogger({ LOG_FORMAT: 'json' }) },
    );
  });
  afterAll(async () => {
    await demo?.close();
    output.restore();
    await Promise.all([ru?.close(), pilot?.close()]);
  });

  it('registers the SMS.ru callback URL at start; the token goes to SMS.ru only', () => {
    expect(ru.callbacks).toEqual([`${PUBLIC_URL}/sms/webhooks/main/${TOKEN}`]);
    expect(ru.requestsTo('callback/add')).toHaveLength(1);
    expect(messages('SmsCallbacks')).toEqual([
      expect.objectContaining({ provider: 'main', result: 'added', removed: 0 }),
    ]);
  });

  it('SMS.ru: a signed callback for a sent message → 100, the report logged', async () => {
    const sent = await send({});
    expect(sent.body.provider).toBe('main');
    const id: string = sent.body.messages[0].id;
    const entries = [`sms_status\n${id}\n103\n1767000000`, 'test\n1767000001'];
    const res = await http()
      .post(`/sms/webhooks/main/${TOKEN}`)
      .type('form')
      .send(smsRuCallback(entries))
      .expect(200);
    expect(res.text).toBe('100');
    expect(messages('DeliveryReports')).toContainEqual({
      event: 'sms.delivery_report',
      provider: 'main',
      id,
      kind: 'sms',
      status: 'delivered',
      final: true,
      providerStatus: 103,
      at: '2025-12-29T09:20:00.000Z',
    });
    expect(messages('Http')).toContainEqual(
      expect.objectContaining({ method: 'POST', path: '/sms/webhooks/main/***', status: 200 }),
    );
  });

  it('SMS.ru: a callback signed with another api_id → 403, nothing logged as a report', async () => {
    const before = messages('DeliveryReports').length;
    await http()
      .post(`/sms/webhooks/main/${TOKEN}`)
      .type('form')
      .send(smsRuCallback(['sms_status\n202626-1000999\n103\n1767000000'], 'someone-else'))
      .expect(403);
    expect(messages('DeliveryReports')).toHaveLength(before);
  });

  it('SMSPilot: the callback URL the demo gave SMSPilot leads back to it → OK, the report logged', async () => {
    const sent = await send({ provider: 'backup' });
    const id: string = sent.body.messages[0].id;
    const form = pilot.lastForm();
    expect(form.callback).toBe(`${PUBLIC_URL}/sms/webhooks/backup/${TOKEN}`);
    expect(form.callback_method).toBe('get');
    const res = await http()
      .get(`${new URL(form.callback).pathname}?server_id=${id}&status=2&error=0`)
      .expect(200);
    expect(res.text).toBe('OK');
    expect(messages('DeliveryReports')).toContainEqual(
      expect.objectContaining({
        provider: 'backup',
        id,
        status: 'delivered',
        final: true,
        providerStatus: 2,
      }),
    );
  });

  it('the previous token is still accepted while rotating', async () => {
    const res = await http()
      .post(`/sms/webhooks/backup/${PREVIOUS_TOKEN}`)
      .type('form')
      .send('server_id=10999&status=-1&error=0')
      .expect(200);
    expect(res.text).toBe('OK');
    expect(messages('DeliveryReports')).toContainEqual(
      expect.objectContaining({ provider: 'backup', id: '10999', status: 'undelivered' }),
    );
  });

  it('a wrong token → 404 for both providers; the log masks every spelling of the token', async () => {
    const wrong = 'Wr0ng-token-0123456789';
    const body = smsRuCallback(['sms_status\n202626-1000998\n103\n1767000000']);
    const before = messages('DeliveryReports').length;
    await http().post(`/sms/webhooks/main/${wrong}`).type('form').send(body).expect(404);
    await http().get(`/sms/webhooks/backup/${wrong}?server_id=10998&status=2`).expect(404);
    await http().get(`/sms/webhooks/backup/${TOKEN}/extra`).expect(404);
    // Another spelling of the right URL still reaches the endpoint (400: no server_id): masked too.
    await http()
      .get(`/SMS/Webhooks/backup/${TOKEN.replace('7', '%37')}/`)
      .expect(400);
    expect(messages('DeliveryReports')).toHaveLength(before);
    const paths = messages('Http').map((m) => m.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/sms/webhooks/main/***',
        '/sms/webhooks/backup/***',
        '/SMS/Webhooks/backup/***',
      ]),
    );
    expect(paths.join('\n')).not.toContain(wrong);
  });

  it('never logs a token, a credential or a phone number', () => {
    const text = output.text();
    expect(messages('Http').length).toBeGreaterThan(5);
    for (const secret of [TOKEN, PREVIOUS_TOKEN, TOKEN.replace('7', '%37'), API_ID, API_KEY, PHONE])
      expect(text).not.toContain(secret);
  });
});
