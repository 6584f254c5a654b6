import { type INestApplication } from '@nestjs/common';
import { type SmsModuleOptions, SmsService } from 'nestjs-sms';
import request from 'supertest';
import { type FakeHttpServer, type FakeReply } from '../fakes/fake-http-server';
import { SmsPilotFake } from '../fakes/smspilot-fake.server';
import { SmsRuFake } from '../fakes/smsru-fake.server';
import { bootHealthApp } from './health-app';

const CACHE_TTL_MS = 400;
const PROBES = 8;

interface Provider {
  name: string;
  start(): Promise<{ server: FakeHttpServer; sms: SmsModuleOptions; close(): Promise<void> }>;
}

const providers: Provider[] = [
  {
    name: 'SMS.ru',
    start: async () => {
      const fake = await SmsRuFake.start({ apiId: 'ttl-api-id-0001' });
      return {
        server: fake.server,
        sms: { providers: { main: fake.providerConfig() } },
        close: () => fake.close(),
      };
    },
  },
  {
    name: 'SMSPilot',
    start: async () => {
      const fake = await SmsPilotFake.start({ apiKey: 'ttl-api-key-0001' });
      return {
        server: fake.http,
        sms: { providers: { main: { driver: 'smspilot', apiKey: 'ttl-api-key-0001', baseUrl: fake.url } } },
        close: () => fake.close(),
      };
    },
  },
];

const answers: Array<{ name: string; reply: FakeReply; code: string }> = [
  { name: 'HTTP 503', reply: { status: 503, body: 'Service Temporarily Unavailable' }, code: 'UNAVAILABLE' },
  {
    name: 'an unreadable answer',
    reply: { status: 200, headers: { 'content-type': 'text/html' }, body: '<html>maintenance</html>' },
    code: 'BAD_RESPONSE',
  },
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(providers)('health probes of $name: one request per cacheTtlMs', (provider) => {
  let app: INestApplication | undefined;
  let fake: Awaited<ReturnType<Provider['start']>>;

  beforeEach(async () => {
    fake = await provider.start();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await fake.close();
  });

  it.each(answers)('against $name (the module retries reads 3 times)', async ({ reply, code }) => {
    fake.server.setHandler(() => reply);
    app = await bootHealthApp({ sms: fake.sms, health: { cacheTtlMs: CACHE_TTL_MS } });
    const probe = () => request(app!.getHttpServer()).get('/health');

    const first = await probe();
    expect(first.status).toBe(503);
    expect(first.body.error.sms).toMatchObject({ reason: 'unreachable', code, cached: false });
    expect(fake.server.requests).toHaveLength(1);

    const within = [
      ...(await Promise.all(Array.from({ length: PROBES / 2 }, probe))),
      ...(await Promise.all(Array.from({ length: PROBES / 2 }, probe))),
    ];
    for (const res of within) {
      expect(res.status).toBe(503);
      expect(res.body.error.sms).toMatchObject({ reason: 'unreachable', code, cached: true });
    }
    expect(fake.server.requests).toHaveLength(1);

    await sleep(CACHE_TTL_MS + 100);
    const after = await probe();
    expect(after.body.error.sms).toMatchObject({ reason: 'unreachable', code, cached: false });
    expect(fake.server.requests).toHaveLength(2);
  });

  it('a send still retries what provably did not go out (the option is the probe’s only)', async () => {
    fake.server.setHandler(() => ({ status: 503 }));
    app = await bootHealthApp({ sms: fake.sms });
    await expect(app.get(SmsService).send({ to: '+79255070602', text: 'hi' })).rejects.toMatchObject({
      failure: 'unavailable',
    });
    expect(fake.server.requests).toHaveLength(3);
  });
});
