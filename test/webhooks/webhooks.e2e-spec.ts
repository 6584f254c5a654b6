import { setTimeout as sleep } from 'node:timers/promises';
import { type DeliveryReport, type SmsModuleOptions } from 'nestjs-sms';
import request from 'supertest';
import { smsRuCallbackBody, startWebhookApp, type WebhookTestApp } from './webhook-test-app';

const TOKEN = 'Tk7-wq2Lx9_ZpR4mVb8n';
const NEXT_TOKEN = 'Nx3.Yh6Gc1-Ue5Jk0Qs2';
const API_ID = 'AB12CD34-0000-1111-2222-333344445555';
const BASE = '/api/sms/webhooks';

const SMS_103 = 'sms_status\n202626-1000001\n103\n1700000000';
const CALLCHECK_401 = 'callcheck_status\n201737-542\n401\n1700000060';
const HEARTBEAT = 'test\n1700000120';

describe('delivery-report webhooks (Nest app over HTTP, global prefix "api")', () => {
  let t: WebhookTestApp;
  const handled: DeliveryReport[] = [];
  /** Ids whose next handling throws once. */
  const failOnce = new Set<string>();
  /** Ids whose handling takes a while. */
  const slow = new Set<string>();

  beforeAll(async () => {
    const options: SmsModuleOptions = {
      providers: {
        ru: { driver: 'smsru', apiId: API_ID, baseUrl: 'http://127.0.0.1:9' },
        ruLogin: { driver: 'smsru', login: 'shop', password: 'shop-password', baseUrl: 'http://127.0.0.1:9' },
        pilot: { driver: 'smspilot', apiKey: 'pilot-key', baseUrl: 'http://127.0.0.1:9' },
      },
      webhooks: { path: '/sms/webhooks/', token: [TOKEN, NEXT_TOKEN] },
      onDeliveryReport: async (report) => {
        if (slow.has(report.id)) await sleep(100);
        if (failOnce.delete(report.id)) throw new Error('database is down');
        handled.push(report);
      },
    };
    t = await startWebhookApp({ options, globalPrefix: 'api' });
  });
  afterAll(() => t.close());
  beforeEach(() => {
    t.reports.length = 0;
    handled.length = 0;
    failOnce.clear();
  });

  const post = (path: string, body: string) =>
    request(t.app.getHttpServer()).post(path).type('application/x-www-form-urlencoded').send(body);

  it('SMS.ru: three signed entries → 100 and exactly the sms and callcheck reports', async () => {
    const body = smsRuCallbackBody(API_ID, [SMS_103, CALLCHECK_401, HEARTBEAT]);
    const res = await post(`${BASE}/ru/${TOKEN}`, body);
    expect(res.status).toBe(200);
    expect(res.text).toBe('100');
    const expected: DeliveryReport[] = [
      {
        provider: 'ru',
        id: '202626-1000001',
        kind: 'sms',
        status: 'delivered',
        final: true,
        providerStatus: 103,
        at: new Date(1_700_000_000_000),
        raw: SMS_103,
      },
      {
        provider: 'ru',
        id: '201737-542',
        kind: 'callcheck',
        status: 'delivered',
        final: true,
        providerStatus: 401,
        at: new Date(1_700_000_060_000),
        raw: CALLCHECK_401,
      },
    ];
    expect(t.reports).toEqual(expected);
    expect(handled).toEqual(expected);

    const again = await post(`${BASE}/ru/${TOKEN}`, body);
    expect(again.status).toBe(200);
    expect(again.text).toBe('100');
    expect(t.reports).toHaveLength(2);
    expect(handled).toHaveLength(2);
  });

  it('SMS.ru: a new status of the same message is published, a repeated one is not', async () => {
    const sent = 'sms_status\n202626-1000002\n102\n1700000000';
    const delivered = 'sms_status\n202626-1000002\n103\n1700000030';
    await post(`${BASE}/ru/${TOKEN}`, smsRuCallbackBody(API_ID, [sent])).expect(200, '100');
    await post(`${BASE}/ru/${TOKEN}`, smsRuCallbackBody(API_ID, [sent, delivered])).expect(200, '100');
    expect(t.reports.map((r) => [r.id, r.status, r.final])).toEqual([
      ['202626-1000002', 'sent', false],
      ['202626-1000002', 'delivered', true],
    ]);
  });

  it('SMS.ru: a bad or missing hash → 403 and nothing published', async () => {
    const entries = ['sms_status\n202626-1000003\n103\n1700000000'];
    const wrongKey = smsRuCallbackBody('another-api-id', entries);
    await post(`${BASE}/ru/${TOKEN}`, wrongKey).expect(403);
    const tampered = smsRuCallbackBody(API_ID, entries).replace('103', '104');
    await post(`${BASE}/ru/${TOKEN}`, tampered).expect(403);
    await post(`${BASE}/ru/${TOKEN}`, 'data%5B0%5D=test%0A1700000000').expect(403);
    expect(t.reports).toEqual([]);
    expect(handled).toEqual([]);
  });

  it('SMS.ru: only POST', async () => {
    const res = await request(t.app.getHttpServer()).get(`${BASE}/ru/${TOKEN}`);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST');
  });

  it('SMSPilot: a GET and a POST callback → OK and a report each', async () => {
    const get = await request(t.app.getHttpServer()).get(
      `${BASE}/pilot/${TOKEN}?server_id=10005&status=2&error=0&country=RU&operator=MTS`,
    );
    expect(get.status).toBe(200);
    expect(get.text).toBe('OK');
    const viaPost = await post(`${BASE}/pilot/${TOKEN}`, 'server_id=10006&status=-1&error=0');
    expect(viaPost.status).toBe(200);
    expect(viaPost.text).toBe('OK');
    expect(t.reports).toEqual([
      expect.objectContaining({
        provider: 'pilot',
        id: '10005',
        kind: 'sms',
        status: 'delivered',
        final: true,
        providerStatus: 2,
        raw: { server_id: '10005', status: '2', error: '0', country: 'RU', operator: 'MTS' },
      }),
      expect.objectContaining({
        provider: 'pilot',
        id: '10006',
        status: 'undelivered',
        final: true,
        providerStatus: -1,
      }),
    ]);
    expect(t.reports[0].at).toBeInstanceOf(Date);
    expect(Math.abs(t.reports[0].at.getTime() - Date.now())).toBeLessThan(10_000);
  });

  it('SMSPilot: an HLR or a PING callback → OK and nothing published: it is no delivery report of an SMS', async () => {
    const server = t.app.getHttpServer();
    await request(server)
      .get(
        `${BASE}/pilot/${TOKEN}?server_id=10010&status=2&error=0&imsi=250203122060176&mcc=250&mnc=20&net=Tele2`,
      )
      .expect(200, 'OK');
    await request(server)
      .get(`${BASE}/pilot/${TOKEN}?server_id=10011&status=2&error=0&message=PING`)
      .expect(200, 'OK');
    await post(`${BASE}/pilot/${TOKEN}`, 'server_id=10012&status=-1&error=0&message=HLR').expect(200, 'OK');
    expect(t.reports).toEqual([]);
    expect(handled).toEqual([]);
  });

  it("SMSPilot: the callback's error reaches the report", async () => {
    await request(t.app.getHttpServer())
      .get(`${BASE}/pilot/${TOKEN}?server_id=10013&status=-1&error=7&error_en=Subscriber%20absent`)
      .expect(200, 'OK');
    expect(t.reports).toEqual([
      expect.objectContaining({
        id: '10013',
        status: 'undelivered',
        error: { providerCode: '7', providerMessage: 'Subscriber absent' },
      }),
    ]);
    expect(handled[0].error).toEqual({ providerCode: '7', providerMessage: 'Subscriber absent' });
  });

  it('SMSPilot: a callback without server_id or status → 400 and nothing published', async () => {
    await request(t.app.getHttpServer()).get(`${BASE}/pilot/${TOKEN}?status=2`).expect(400);
    await request(t.app.getHttpServer()).get(`${BASE}/pilot/${TOKEN}?server_id=1&status=x`).expect(400);
    expect(t.reports).toEqual([]);
  });

  it('a wrong token, an unknown provider or a provider that cannot verify callbacks → the same 404', async () => {
    const body = smsRuCallbackBody(API_ID, ['sms_status\n202626-1000004\n103\n1700000000']);
    const answers = await Promise.all([
      post(`${BASE}/ru/${TOKEN}x`, body),
      post(`${BASE}/ru/short`, body),
      post(`${BASE}/nobody/${TOKEN}`, body),
      post(`${BASE}/ruLogin/${TOKEN}`, body),
      request(t.app.getHttpServer()).get(`${BASE}/pilot/wrong-token-0123456789?server_id=1&status=2`),
    ]);
    for (const res of answers) {
      expect(res.status).toBe(404);
      expect(res.text).toBe('Not Found');
    }
    expect(t.reports).toEqual([]);
  });

  it('both tokens of a rotation are accepted', async () => {
    await post(`${BASE}/pilot/${NEXT_TOKEN}`, 'server_id=10007&status=1&error=0').expect(200, 'OK');
    expect(t.reports.map((r) => r.id)).toEqual(['10007']);
  });

  it('a handler that throws → 500, nothing published; the repeat is delivered', async () => {
    const body = smsRuCallbackBody(API_ID, ['sms_status\n202626-1000005\n103\n1700000000']);
    failOnce.add('202626-1000005');
    const first = await post(`${BASE}/ru/${TOKEN}`, body);
    expect(first.status).toBe(500);
    expect(first.text).not.toBe('100');
    expect(t.reports).toEqual([]);
    const repeat = await post(`${BASE}/ru/${TOKEN}`, body);
    expect(repeat.status).toBe(200);
    expect(repeat.text).toBe('100');
    expect(t.reports.map((r) => r.id)).toEqual(['202626-1000005']);
    expect(handled.map((r) => r.id)).toEqual(['202626-1000005']);
  });

  it('entries handled before a throwing one stay delivered; the repeat delivers only the rest', async () => {
    const a = 'sms_status\n202626-1000006\n103\n1700000000';
    const b = 'sms_status\n202626-1000007\n103\n1700000000';
    const body = smsRuCallbackBody(API_ID, [a, b]);
    failOnce.add('202626-1000007');
    await post(`${BASE}/ru/${TOKEN}`, body).expect(500);
    expect(t.reports.map((r) => r.id)).toEqual(['202626-1000006']);
    await post(`${BASE}/ru/${TOKEN}`, body).expect(200, '100');
    expect(t.reports.map((r) => r.id)).toEqual(['202626-1000006', '202626-1000007']);
    expect(handled.map((r) => r.id)).toEqual(['202626-1000006', '202626-1000007']);
  });

  it('two copies of a callback arriving at once call the handler once', async () => {
    const body = smsRuCallbackBody(API_ID, ['sms_status\n202626-1000008\n103\n1700000000']);
    slow.add('202626-1000008');
    const [a, b] = await Promise.all([post(`${BASE}/ru/${TOKEN}`, body), post(`${BASE}/ru/${TOKEN}`, body)]);
    expect([a.text, b.text]).toEqual(['100', '100']);
    expect(handled.map((r) => r.id)).toEqual(['202626-1000008']);
    expect(t.reports).toHaveLength(1);
  });

  it('the endpoints live below the global prefix only', async () => {
    await request(t.app.getHttpServer())
      .get(`/sms/webhooks/pilot/${TOKEN}?server_id=10009&status=2`)
      .expect(404);
    expect(t.reports).toEqual([]);
  });

  it('no token ever appears in what the app logged or printed', () => {
    const logged = t.logged();
    expect(logged).toContain('wrong token or an unknown provider');
    expect(logged).toContain('"ruLogin"');
    expect(logged).toContain('database is down');
    expect(logged).not.toContain(TOKEN);
    expect(logged).not.toContain(NEXT_TOKEN);
    expect(logged).not.toContain(API_ID);
  });
});
