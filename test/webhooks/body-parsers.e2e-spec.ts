import { type INestApplication, type NestApplicationOptions } from '@nestjs/common';
import { type NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import { type SmsModuleOptions } from 'nestjs-sms';
import request from 'supertest';
import { smsRuCallbackBody, startWebhookApp, type WebhookTestApp } from './webhook-test-app';

const TOKEN = 'b0dy-Parser-T0ken-4242';
const API_ID = 'BODY-PARSER-API-ID-0001';

const options = (extra: Partial<SmsModuleOptions['webhooks']> = {}): SmsModuleOptions => ({
  providers: {
    ru: { driver: 'smsru', apiId: API_ID, baseUrl: 'http://127.0.0.1:9' },
    pilot: { driver: 'smspilot', apiKey: 'pilot-key', baseUrl: 'http://127.0.0.1:9' },
  },
  webhooks: { path: 'hooks/sms', token: TOKEN, ...extra },
});

/** 25 entries: more than qs' array limit (20), so an `extended` parser builds an object, not an array. */
const ENTRIES = Array.from(
  { length: 25 },
  (_, i) => `sms_status\n202626-${2_000_000 + i}\n${i % 2 ? 102 : 103}\n1700000000`,
);

interface AppSetup {
  name: string;
  async?: boolean;
  nest?: NestApplicationOptions;
  globalPrefix?: string;
  prepare?: (app: INestApplication) => void;
}

const setups: AppSetup[] = [
  { name: 'default body parsers (urlencoded, extended)' },
  { name: 'bodyParser: false', nest: { bodyParser: false } },
  { name: 'rawBody: true', nest: { rawBody: true } },
  {
    name: 'urlencoded with extended: false',
    prepare: (app) => (app as NestExpressApplication).useBodyParser('urlencoded', { extended: false }),
  },
  {
    name: 'a text parser for every type',
    nest: { bodyParser: false },
    prepare: (app) => (app as NestExpressApplication).use(express.text({ type: '*/*' })),
  },
  { name: 'forRootAsync and a global prefix', async: true, globalPrefix: 'v1' },
];

describe.each(setups)('webhook bodies with $name', (setup) => {
  let t: WebhookTestApp;
  const base = `${setup.globalPrefix ? `/${setup.globalPrefix}` : ''}/hooks/sms`;

  beforeAll(async () => {
    t = await startWebhookApp({
      options: setup.async ? async () => options() : options(),
      nest: setup.nest,
      globalPrefix: setup.globalPrefix,
      prepare: setup.prepare,
    });
  });
  afterAll(() => t.close());
  beforeEach(() => {
    t.reports.length = 0;
  });

  it('verifies and reads a signed SMS.ru callback of 25 entries', async () => {
    const res = await request(t.app.getHttpServer())
      .post(`${base}/ru/${TOKEN}`)
      .type('application/x-www-form-urlencoded')
      .send(smsRuCallbackBody(API_ID, ENTRIES));
    expect(res.status).toBe(200);
    expect(res.text).toBe('100');
    expect(t.reports.map((r) => r.raw)).toEqual(ENTRIES);
  });

  it('refuses a forged SMS.ru callback', async () => {
    await request(t.app.getHttpServer())
      .post(`${base}/ru/${TOKEN}`)
      .type('application/x-www-form-urlencoded')
      .send(smsRuCallbackBody('forged', ENTRIES))
      .expect(403);
    expect(t.reports).toEqual([]);
  });

  it('reads an SMSPilot POST callback', async () => {
    await request(t.app.getHttpServer())
      .post(`${base}/pilot/${TOKEN}`)
      .type('application/x-www-form-urlencoded')
      .send('server_id=10100&status=2&error=0')
      .expect(200, 'OK');
    expect(t.reports.map((r) => [r.provider, r.id, r.status])).toEqual([['pilot', '10100', 'delivered']]);
  });
});

describe('a callback body larger than webhooks.maxBodyBytes', () => {
  it('is answered 413 when the endpoint reads the body itself', async () => {
    const t = await startWebhookApp({ options: options({ maxBodyBytes: 512 }), nest: { bodyParser: false } });
    try {
      await request(t.app.getHttpServer())
        .post(`/hooks/sms/ru/${TOKEN}`)
        .type('application/x-www-form-urlencoded')
        .send(smsRuCallbackBody(API_ID, ENTRIES))
        .expect(413);
      expect(t.reports).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
