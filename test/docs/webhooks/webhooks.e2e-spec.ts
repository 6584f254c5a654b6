import { type INestApplication } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  type DeliveryReport,
  SmsConfigurationError,
  SmsModule,
  type SmsModuleOptions,
  SmsService,
  SmsWebhooksService,
} from 'nestjs-sms';
import { SmsRuFake } from '../../fakes/smsru-fake.server';
import { CapturingLogger, smsRuCallbackBody } from '../../webhooks/webhook-test-app';
import { AppModule } from './app.module';
import { DOCUMENTED_REPORT_FIELDS, documentedIsTheLibrarysReport } from './delivery-report';
import { DeliveryReports } from './delivery-reports';
import { FinalStatusMetrics } from './final-status-metrics';
import { SmsCallbacks } from './sms-callbacks';
import { Reconciliation, ShippingNotice } from './shipping-notice';

const API_ID = 'DOCS0000-1111-2222-3333-444455556666';
const TOKEN = 'docs-webhook-token-6f1e2d3c4b5a';
const PUBLIC_URL = 'http://api.example.com/api';

describe('docs/webhooks.md: turning it on (AppModule over HTTP on 127.0.0.1, global prefix "api")', () => {
  const env = { ...process.env };
  let app: INestApplication;
  let base: string;
  const published: DeliveryReport[] = [];

  beforeAll(async () => {
    Object.assign(process.env, {
      SMSRU_API_ID: API_ID,
      SMSPILOT_API_KEY: 'docs-smspilot-key',
      SMS_WEBHOOK_TOKEN: TOKEN,
    });
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule],
      providers: [FinalStatusMetrics],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.setGlobalPrefix('api');
    await app.listen(0, '127.0.0.1');
    base = `${await app.getUrl()}/api/sms/webhooks`;
    app.get(SmsService).deliveryReports$.subscribe((r) => published.push(r));
  });
  afterAll(async () => {
    await app.close();
    process.env = { ...env };
  });

  const post = (path: string, body: string) =>
    fetch(`${base}/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });

  it('mounts the endpoints on 127.0.0.1 and hands a signed SMS.ru report to reports.upsert, then to deliveryReports$', async () => {
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/sms\/webhooks$/);
    const entry = 'sms_status\n202626-7000001\n103\n1700000000';
    const res = await post(`main/${TOKEN}`, smsRuCallbackBody(API_ID, [entry]));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('100');
    const expected = {
      provider: 'main',
      id: '202626-7000001',
      kind: 'sms',
      status: 'delivered',
      final: true,
      providerStatus: 103,
      at: new Date(1_700_000_000_000),
      raw: entry,
    };
    expect(app.get(DeliveryReports).of('main', '202626-7000001')).toEqual([expected]);
    expect(published).toEqual([expected]);
    expect(app.get(FinalStatusMetrics).snapshot()).toEqual({ 'main.delivered': 1 });

    // The provider's repeat is acknowledged and changes nothing.
    const repeat = await post(`main/${TOKEN}`, smsRuCallbackBody(API_ID, [entry]));
    expect(await repeat.text()).toBe('100');
    expect(published).toHaveLength(1);
    expect(app.get(FinalStatusMetrics).snapshot()).toEqual({ 'main.delivered': 1 });
  });

  it('takes SMSPilot callbacks on the backup endpoint; a status that is not final is stored but not counted', async () => {
    const res = await fetch(`${base}/backup/${TOKEN}?server_id=10077&status=1&error=0`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('OK');
    expect(app.get(DeliveryReports).of('backup', '10077')).toEqual([
      expect.objectContaining({ provider: 'backup', status: 'sent', final: false, providerStatus: 1 }),
    ]);
    expect(app.get(FinalStatusMetrics).snapshot()).toEqual({ 'main.delivered': 1 });
  });

  it('publishes reports with the fields of the documented DeliveryReport, no others', () => {
    expect(documentedIsTheLibrarysReport).toBe(true);
    for (const report of published) {
      for (const field of Object.keys(report)) expect(DOCUMENTED_REPORT_FIELDS).toContain(field);
    }
  });

  it('refuses a forged SMS.ru callback (403) and a wrong token (404), publishing nothing', async () => {
    const before = published.length;
    const forged = smsRuCallbackBody('not-the-api-id', ['sms_status\n202626-7000002\n103\n1700000000']);
    expect((await post(`main/${TOKEN}`, forged)).status).toBe(403);
    expect((await fetch(`${base}/backup/wrong-token-0000000000?server_id=1&status=2`)).status).toBe(404);
    expect(published).toHaveLength(before);
  });

  it('builds the callback URLs from publicUrl, prefix included', () => {
    expect(app.get(SmsWebhooksService).callbackUrl('backup')).toBe(
      `${PUBLIC_URL}/sms/webhooks/backup/${TOKEN}`,
    );
  });
});

describe('docs/webhooks.md: the configuration fails loudly', () => {
  const env = { ...process.env };
  afterEach(() => {
    process.env = { ...env };
  });

  it('without SMS_WEBHOOK_TOKEN the application does not start, and the error names the variable', async () => {
    Object.assign(process.env, { SMSRU_API_ID: API_ID, SMSPILOT_API_KEY: 'docs-smspilot-key' });
    delete process.env.SMS_WEBHOOK_TOKEN;
    await expect(Test.createTestingModule({ imports: [AppModule] }).compile()).rejects.toThrow(
      /SMS_WEBHOOK_TOKEN/,
    );
  });

  it('a token that is too short stops it with an SmsConfigurationError that never shows the token', async () => {
    Object.assign(process.env, {
      SMSRU_API_ID: API_ID,
      SMSPILOT_API_KEY: 'docs-smspilot-key',
      SMS_WEBHOOK_TOKEN: 'short-secret',
    });
    const error = await Test.createTestingModule({ imports: [AppModule] })
      .compile()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmsConfigurationError);
    expect((error as Error).message).toContain('"webhooks.token" must be 16 to 200 characters');
    expect((error as Error).message).not.toContain('short-secret');
  });
});

describe('docs/webhooks.md: SmsCallbacks registers the SMS.ru URL at every start', () => {
  let fake: SmsRuFake;
  beforeEach(async () => {
    fake = await SmsRuFake.start({ apiId: API_ID });
  });
  afterEach(() => fake.close());

  async function start(logger = new CapturingLogger()): Promise<TestingModule> {
    const options: SmsModuleOptions = {
      providers: { main: fake.providerConfig() },
      webhooks: { path: 'sms/webhooks', token: TOKEN, publicUrl: PUBLIC_URL },
    };
    const moduleRef = await Test.createTestingModule({
      imports: [SmsModule.forRoot(options)],
      providers: [SmsCallbacks],
    })
      .setLogger(logger)
      .compile();
    await moduleRef.createNestApplication({ logger }).init();
    return moduleRef;
  }

  it('adds the URL once, however often the application starts', async () => {
    const logger = new CapturingLogger();
    await (await start(logger)).close();
    await (await start(logger)).close();
    expect(fake.callbacks).toEqual([`${PUBLIC_URL}/sms/webhooks/main/${TOKEN}`]);
    expect(fake.requestsTo('callback/add')).toHaveLength(1);
    const lines = logger.lines.filter((l) => l.includes('SMS.ru callback URLs:'));
    expect(lines[0]).toContain('"result":"added"');
    expect(lines[1]).toContain('"result":"present"');
    expect(logger.lines.join('\n')).not.toContain(TOKEN);
  });

  it('starts the application anyway when SMS.ru does not answer, with a warning', async () => {
    fake.failRequests('callback/get', 220);
    const logger = new CapturingLogger();
    const moduleRef = await start(logger);
    expect(fake.callbacks).toEqual([]);
    expect(logger.lines.join('\n')).toContain('SMS.ru callback URLs not registered');
    await moduleRef.close();
  });
});

describe('docs/webhooks.md: waitForFinalStatus (ShippingNotice)', () => {
  let main: SmsRuFake;
  let backup: SmsRuFake;
  let moduleRef: TestingModule;
  let notice: ShippingNotice;

  beforeEach(async () => {
    main = await SmsRuFake.start();
    backup = await SmsRuFake.start();
    moduleRef = await Test.createTestingModule({
      imports: [
        SmsModule.forRoot({
          providers: { main: main.providerConfig(), backup: backup.providerConfig() },
          failover: ['main', 'backup'],
          retry: false,
        }),
      ],
      providers: [ShippingNotice, Reconciliation],
    }).compile();
    notice = moduleRef.get(ShippingNotice);
  });
  afterEach(async () => {
    await moduleRef.close();
    await main.close();
    await backup.close();
  });

  it('resolves with the final status the provider reports', async () => {
    const status = await notice.send('+79255070602', 'Your parcel is on its way');
    expect(status).toMatchObject({ provider: 'main', status: 'delivered', final: true, providerStatus: 103 });
    expect(moduleRef.get(Reconciliation).pending).toEqual([]);
  });

  it('asks the provider that took the message when failover sent it', async () => {
    main.failRequests('sms/send', 220);
    const status = await notice.send('+79255070603', 'Your parcel is on its way');
    expect(status).toMatchObject({ provider: 'backup', status: 'delivered', final: true });
    expect(backup.requestsTo('sms/status')).toHaveLength(1);
    expect(main.requestsTo('sms/status')).toHaveLength(0);
  });

  it('hands a message still in transit at the timeout to the reconciliation, without throwing', async () => {
    main.defaultStatus = 102;
    const status = await notice.send('+79255070604', 'Your parcel is on its way', 300);
    expect(status).toMatchObject({ provider: 'main', status: 'sent', final: false });
    expect(moduleRef.get(Reconciliation).pending).toEqual([{ provider: 'main', id: status!.id }]);
    expect(main.requestsTo('sms/status').length).toBeGreaterThanOrEqual(2);
  });

  it('returns nothing for a number the provider refused, and polls nothing', async () => {
    main.recipient('79255070605', { code: 207 });
    await expect(notice.send('+79255070605', 'Your parcel is on its way')).resolves.toBeUndefined();
    expect(main.requestsTo('sms/status')).toHaveLength(0);
  });
});
