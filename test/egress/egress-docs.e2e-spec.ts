import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SmsService } from 'nestjs-sms';
import { withProviders } from '../docs/configuration/point-providers';
import { FakeProxy, PROXY_SOURCE_ADDRESS } from '../fakes/fake-proxy';
import { SmsPilotFake } from '../fakes/smspilot-fake.server';
import { SmsRuFake } from '../fakes/smsru-fake.server';
import { makeTestCertificates, type TestCertificates } from '../fakes/test-certificates';
import { withProxyEnv } from './egress-kit';

const API_ID = 'docs-egress-api-id-01';
const API_KEY = 'docs-egress-api-key-01';

/** docs/configuration.md, "Egress proxy and TLS": the examples, run against local fakes. */
describe('docs/configuration.md: egress proxy and TLS', () => {
  const env = { ...process.env };
  let certs: TestCertificates;
  let dir: string;

  beforeAll(async () => {
    certs = await makeTestCertificates();
    dir = mkdtempSync(join(tmpdir(), 'nestjs-sms-egress-'));
    for (const [name, text] of Object.entries({
      'ca.pem': certs.ca.cert,
      'client.pem': certs.client.cert,
      'client-key.pem': certs.client.key,
    })) {
      writeFileSync(join(dir, name), text);
    }
  });
  afterEach(() => {
    process.env = { ...env };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('sends through the proxy of SMS_EGRESS_PROXY, trusting the CA of SMS_EGRESS_CA_FILE', async () => {
    const smsru = await SmsRuFake.start({ apiId: API_ID, server: { tls: certs.server } });
    const proxy = await FakeProxy.start({ user: 'docs', password: 'docs-proxy-pw' });
    Object.assign(process.env, {
      SMSRU_API_ID: API_ID,
      SMS_EGRESS_PROXY: proxy.url({ user: 'docs', password: 'docs-proxy-pw' }),
      SMS_EGRESS_CA_FILE: join(dir, 'ca.pem'),
    });
    const { sms } = await import('../docs/configuration/egress-proxy');
    const moduleRef = await withProviders([sms], { main: { baseUrl: smsru.url } }).compile();
    try {
      await moduleRef.init();
      const result = await moduleRef.get(SmsService).send({ to: '+79255070602', text: 'Via the proxy' });
      expect(result).toMatchObject({ provider: 'main', messages: [{ accepted: true }] });
      expect(proxy.connects).toEqual([smsru.url.replace('https://', '')]);
      expect(smsru.requests.map((r) => r.remoteAddress)).toEqual([PROXY_SOURCE_ADDRESS]);
    } finally {
      await moduleRef.close();
      await Promise.all([smsru.close(), proxy.close()]);
    }
  });

  it('sends with a client certificate, directly even with HTTPS_PROXY set', async () => {
    const pilot = await SmsPilotFake.start({
      apiKey: API_KEY,
      server: { tls: { ...certs.server, ca: certs.ca.cert, requestCert: true, rejectUnauthorized: true } },
    });
    const proxy = await FakeProxy.start();
    Object.assign(process.env, {
      SMSPILOT_API_KEY: API_KEY,
      GATEWAY_CA_FILE: join(dir, 'ca.pem'),
      GATEWAY_CLIENT_CERT_FILE: join(dir, 'client.pem'),
      GATEWAY_CLIENT_KEY_FILE: join(dir, 'client-key.pem'),
      GATEWAY_CLIENT_KEY_PASSPHRASE: certs.clientPassphrase,
    });
    const { sms } = await import('../docs/configuration/egress-mtls');
    const moduleRef = await withProxyEnv({ HTTPS_PROXY: proxy.url() }, async () => {
      const built = await withProviders([sms], { backup: { baseUrl: pilot.url } }).compile();
      await built.init();
      return built;
    });
    try {
      const result = await moduleRef.get(SmsService).send({ to: '+79255070602', text: 'Mutual TLS' });
      expect(result).toMatchObject({ provider: 'backup', messages: [{ accepted: true }] });
      expect(pilot.requests.map((r) => r.remoteAddress)).toEqual(['127.0.0.1']);
      expect(proxy.seen).toBe(0);
    } finally {
      await moduleRef.close();
      await Promise.all([pilot.close(), proxy.close()]);
    }
  });
});
