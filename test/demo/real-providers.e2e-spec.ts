import request from 'supertest';
import { SmsPilotFake } from '../fakes/smspilot-fake.server';
import { SmsRuFake } from '../fakes/smsru-fake.server';
import { type DemoApp, startDemo } from './demo-app';

const API_ID = 'AB12CD34-0000-1111-2222-333344445555';
const API_KEY = 'XXXXXXXXXXXXYYYYYYYYYYYYZZZZZZZZXXXXXXXXXXXXYYYYYYYYYYYYZZZZZZZZ';

/** The settings of the README: SMS.ru first, SMSPilot as the failover, both pointed at fakes. */
function realProviderEnv(ru: SmsRuFake | string, pilot: SmsPilotFake): Record<string, string> {
  return {
    SMS_PROVIDERS: 'main,backup',
    SMS_MAIN_DRIVER: 'smsru',
    SMS_MAIN_API_ID: API_ID,
    SMS_MAIN_SENDER: 'MyShop',
    SMS_MAIN_BASE_URL: typeof ru === 'string' ? ru : ru.url,
    SMS_BACKUP_DRIVER: 'smspilot',
    SMS_BACKUP_API_KEY: API_KEY,
    SMS_BACKUP_SENDER: 'MyShop',
    SMS_BACKUP_BASE_URL: pilot.url,
    SMS_FAILOVER: 'main,backup',
  };
}

describe('demo with real providers (SMS.ru and SMSPilot fakes)', () => {
  let ru: SmsRuFake;
  let pilot: SmsPilotFake;
  let demo: DemoApp;
  const http = () => request(demo.app.getHttpServer());

  beforeAll(async () => {
    ru = await SmsRuFake.start({ apiId: API_ID });
    ru.senders = ['MyShop'];
    pilot = await SmsPilotFake.start({ apiKey: API_KEY });
    demo = await startDemo(realProviderEnv(ru, pilot));
  });
  afterAll(async () => {
    await demo?.close();
    await Promise.all([ru?.close(), pilot?.close()]);
  });

  it('POST /sms goes to SMS.ru: credentials in the form body, never in the URL', async () => {
    const res = await http()
      .post('/sms')
      .send({ to: ['+7 925 507-06-02', '8 (916) 123-45-67'], text: 'Заказ 42 отправлен' })
      .expect(201);
    expect(res.body).toMatchObject({
      provider: 'main',
      messages: [
        { to: '79255070602', accepted: true, id: expect.stringMatching(/^\d+-\d+$/) },
        { to: '79161234567', accepted: true, id: expect.stringMatching(/^\d+-\d+$/) },
      ],
      attempts: [{ provider: 'main', result: 'sent', recipients: 2 }],
    });
    const [wire] = ru.requestsTo('sms/send');
    expect(ru.requestsTo('sms/send')).toHaveLength(1);
    expect(wire.method).toBe('POST');
    expect(wire.url).toBe('/sms/send?json=1');
    expect(Object.fromEntries(wire.form)).toEqual({
      api_id: API_ID,
      to: '79255070602,79161234567',
      msg: 'Заказ 42 отправлен',
      from: 'MyShop',
    });
    expect(ru.messages.get(res.body.messages[0].id)).toMatchObject({ to: '79255070602', from: 'MyShop' });
    expect(pilot.requests).toHaveLength(0);
  });

  it('GET /sms/balance and /sms/status read SMS.ru', async () => {
    await http().get('/sms/balance').expect(200, { provider: 'main', balance: ru.balance, currency: 'RUB' });
    const sent = await http().post('/sms').send({ to: '+79255070602', text: 'hi' }).expect(201);
    const id: string = sent.body.messages[0].id;
    const status = await http().get(`/sms/status?ids=${id}`).expect(200);
    expect(status.body).toEqual([expect.objectContaining({ id, provider: 'main', status: 'delivered' })]);
  });

  it('serves no outbox without a memory provider; / leads to the API docs', async () => {
    await http().get('/outbox').expect(404);
    await http().get('/outbox/messages').expect(404);
    await http().get('/outbox/events').expect(404);
    await http().get('/').expect(302).expect('Location', '/docs');
  });
});

describe('demo with SMS.ru down and SMS_FAILOVER=main,backup', () => {
  let pilot: SmsPilotFake;
  let demo: DemoApp;

  beforeAll(async () => {
    const ru = await SmsRuFake.start({ apiId: API_ID });
    const down = ru.url; // nothing listens there any more: connections are refused
    await ru.close();
    pilot = await SmsPilotFake.start({ apiKey: API_KEY });
    demo = await startDemo(realProviderEnv(down, pilot));
  });
  afterAll(async () => {
    await demo?.close();
    await pilot?.close();
  });

  it('POST /sms is sent through SMSPilot', async () => {
    const res = await request(demo.app.getHttpServer())
      .post('/sms')
      .send({ to: '+7 925 507-06-02', text: 'Your code: 4821' })
      .expect(201);
    expect(res.body.provider).toBe('backup');
    expect(res.body.attempts).toEqual([
      expect.objectContaining({
        provider: 'main',
        result: 'failed',
        error: expect.objectContaining({ code: 'UNAVAILABLE', outcome: 'not_sent' }),
      }),
      expect.objectContaining({ provider: 'backup', result: 'sent' }),
    ]);
    expect(res.body.messages).toEqual([
      expect.objectContaining({ to: '79255070602', accepted: true, id: pilot.messages[0].serverId }),
    ]);
    const form = pilot.lastForm();
    expect(form).toMatchObject({
      apikey: API_KEY,
      to: '79255070602',
      send: 'Your code: 4821',
      from: 'MyShop',
    });
    expect(pilot.messages).toHaveLength(1);
  });
});
