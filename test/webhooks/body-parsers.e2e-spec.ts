import { type INestApplication, type NestApplicationOptions } from '@nestjs/common';
import { type NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import { type SmsModuleOptions } from 'nestjs-sms';
import request from 'supertest';
import { postChunked, smsRuCallbackBody, startWebhookApp, type WebhookTestApp } from './webhook-test-app';

const TOKEN = 'b0dy-Parser-T0ken-4242';
const API_ID = 'BODY-PARSER-API-ID-0001';
const MAX_BODY_BYTES = 2000;

const options = (extra: Partial<SmsModuleOptions['webhooks']> = {}): SmsModuleOptions => ({
  providers: {
    ru: { driver: 'smsru', apiId: API_ID, baseUrl: 'http://127.0.0.1:9' },
    pilot: { driver: 'smspilot', apiKey: 'pilot-key', baseUrl: 'http://127.0.0.1:9' },
  },
  webhooks: { path: 'hooks/sms', token: TOKEN, maxBodyBytes: MAX_BODY_BYTES, ...extra },
});

/** `count` SMS.ru entries of message ids from `first` on (published once each: de-duplication). */
const entries = (count: number, first = 0) =>
  Array.from(
    { length: count },
    (_, i) => `sms_status\n202626-${2_000_000 + first + i}\n${i % 2 ? 102 : 103}\n1700000000`,
  );
/**
 * 25 entries: more than qs' array limit (20), so an `extended` parser builds an object, not an array;
 * 1 559 bytes signed, under `maxBodyBytes`.
 */
const ENTRIES = entries(25);
/** The same size, other messages. */
const CHUNKED_ENTRIES = entries(25, 100);
/** 85 entries, signed: 5 161 bytes, over `maxBodyBytes` and well under every parser's own limit. */
const TOO_MANY = entries(85);
/** An SMSPilot callback padded with an extra field to 5 000 bytes. */
const PILOT_TOO_LARGE = 'server_id=10100&status=2&error=0&pad='.padEnd(5_000, 'x');

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
  {
    name: 'a raw parser for every type',
    nest: { bodyParser: false },
    prepare: (app) => (app as NestExpressApplication).use(express.raw({ type: '*/*' })),
  },
  {
    name: "Nest's json and urlencoded parsers with a 10 MB limit",
    prepare: (app) => {
      (app as NestExpressApplication).useBodyParser('json', { limit: '10mb' });
      (app as NestExpressApplication).useBodyParser('urlencoded', { limit: '10mb', extended: true });
    },
  },
  {
    name: 'express.json and express.urlencoded with a 10 MB limit',
    nest: { bodyParser: false },
    prepare: (app) =>
      (app as NestExpressApplication).use(
        express.json({ limit: '10mb' }),
        express.urlencoded({ limit: '10mb', extended: false }),
      ),
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

  it('reads a signed SMS.ru callback sent chunked (no Content-Length)', async () => {
    const res = await postChunked(t.app, `${base}/ru/${TOKEN}`, smsRuCallbackBody(API_ID, CHUNKED_ENTRIES));
    expect(res).toEqual({ status: 200, text: '100' });
    expect(t.reports.map((r) => r.raw)).toEqual(CHUNKED_ENTRIES);
  });

  it('refuses a signed SMS.ru callback over maxBodyBytes: 413, nothing published', async () => {
    const body = smsRuCallbackBody(API_ID, TOO_MANY);
    expect(Buffer.byteLength(body)).toBeGreaterThan(MAX_BODY_BYTES * 2);
    await request(t.app.getHttpServer())
      .post(`${base}/ru/${TOKEN}`)
      .type('application/x-www-form-urlencoded')
      .send(body)
      .expect(413);
    expect(t.reports).toEqual([]);
    expect(t.logged()).toContain(
      `refused (413): its body is over webhooks.maxBodyBytes (${MAX_BODY_BYTES} bytes)`,
    );
    expect(t.logged()).not.toContain(TOKEN);
  });

  it('refuses it sent chunked as well (no Content-Length)', async () => {
    const res = await postChunked(t.app, `${base}/ru/${TOKEN}`, smsRuCallbackBody(API_ID, TOO_MANY));
    expect(res.status).toBe(413);
    expect(t.reports).toEqual([]);
  });

  it('refuses an SMSPilot callback over maxBodyBytes, with Content-Length or chunked', async () => {
    await request(t.app.getHttpServer())
      .post(`${base}/pilot/${TOKEN}`)
      .type('application/x-www-form-urlencoded')
      .send(PILOT_TOO_LARGE)
      .expect(413);
    expect((await postChunked(t.app, `${base}/pilot/${TOKEN}`, PILOT_TOO_LARGE)).status).toBe(413);
    expect(t.reports).toEqual([]);
  });
});
