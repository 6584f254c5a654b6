import { SmsError } from 'nestjs-sms';
import { type SmsTlsOptions } from 'nestjs-sms/driver';
import { closedPort } from '../fakes/closed-port';
import { FakeProxy, type FakeProxyCredentials, PROXY_SOURCE_ADDRESS } from '../fakes/fake-proxy';
import { SmsRuFake } from '../fakes/smsru-fake.server';
import { makeTestCertificates, type TestCertificates } from '../fakes/test-certificates';
import { waitFor } from '../queue/queue-test-kit';
import { renderings } from '../reliability/log-capture';
import { bootEgress, type EgressApp, withProxyEnv } from './egress-kit';

const API_ID = 'tls-api-id-4b8e02';
const PHONE = '79255070602';
const CREDENTIALS: FakeProxyCredentials = { user: 'tunnel-user', password: 'tunn3l-s3cret:pw' };

describe('HTTPS providers: TLS settings, directly and through a CONNECT tunnel', () => {
  let certs: TestCertificates;
  let smsru: SmsRuFake;
  let proxy: FakeProxy;
  let app: EgressApp | undefined;

  beforeAll(async () => {
    certs = await makeTestCertificates();
  });
  beforeEach(async () => {
    smsru = await SmsRuFake.start({ apiId: API_ID, server: { tls: certs.server } });
    proxy = await FakeProxy.start();
  });
  afterEach(async () => {
    await app?.moduleRef.close();
    app = undefined;
    await Promise.all([smsru.close(), proxy.close()]);
  });

  async function boot(extra: { proxy?: string | false; tls?: SmsTlsOptions } = {}): Promise<EgressApp> {
    app = await bootEgress({ providers: { main: smsru.providerConfig(extra) } });
    return app;
  }

  async function sendAndRead({ sms }: EgressApp): Promise<void> {
    await expect(sms.send({ to: PHONE, text: 'Over TLS' })).resolves.toMatchObject({ provider: 'main' });
    await expect(sms.getBalance()).resolves.toMatchObject({ provider: 'main' });
  }

  async function sendFailure({ sms }: EgressApp): Promise<SmsError> {
    const error = (await sms.send({ to: PHONE, text: 'Over TLS' }).catch((e: unknown) => e)) as SmsError;
    expect(error).toBeInstanceOf(SmsError);
    return error;
  }

  it('is an https fake with a certificate of the test CA', () => {
    expect(smsru.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('sends with `tls.ca` trusting the test CA', async () => {
    await sendAndRead(await boot({ tls: { ca: certs.ca.cert } }));
    expect(smsru.requests.map((r) => r.remoteAddress)).toEqual(['127.0.0.1', '127.0.0.1']);
    expect(smsru.server.tlsFailures).toBe(0);
  });

  it('takes the CA as a Buffer or a list', async () => {
    await sendAndRead(await boot({ tls: { ca: [Buffer.from(certs.ca.cert)] } }));
    expect(smsru.requests).toHaveLength(2);
  });

  it('without the CA fails the handshake: `unavailable`, nothing written, retried', async () => {
    const error = await sendFailure(await boot());
    expect(error).toMatchObject({ code: 'UNAVAILABLE', failure: 'unavailable', outcome: 'not_sent' });
    expect(error.message).toMatch(
      /before the request was written \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED)/,
    );
    expect(app!.events.filter((e) => e.type === 'retry')).toHaveLength(2);
    // The server tells of a failed handshake a moment after the client gave up on it.
    await waitFor(() => smsru.server.tlsFailures === 3, 'three failed handshakes', 2_000);
    expect(smsru.requests).toHaveLength(0);
  });

  it('goes through the proxy with a CONNECT tunnel, TLS to the provider inside it', async () => {
    await sendAndRead(await boot({ proxy: proxy.url(), tls: { ca: certs.ca.cert } }));
    const target = smsru.url.replace('https://', '');
    // One kept-alive tunnel carried both requests; the proxy saw no request in clear.
    expect(proxy.connects).toEqual([target]);
    expect(proxy.requests).toEqual([]);
    expect(smsru.requests.map((r) => r.remoteAddress)).toEqual([PROXY_SOURCE_ADDRESS, PROXY_SOURCE_ADDRESS]);
  });

  it('checks the provider certificate inside the tunnel too', async () => {
    const error = await sendFailure(await boot({ proxy: proxy.url() }));
    expect(error).toMatchObject({ code: 'UNAVAILABLE', outcome: 'not_sent' });
    expect(proxy.connects).toHaveLength(3);
    expect(smsru.requests).toHaveLength(0);
  });

  it('is `unavailable` and retried when the proxy cannot reach the provider (CONNECT answered 500)', async () => {
    const unreachable = `https://127.0.0.1:${await closedPort()}`;
    app = await bootEgress({
      providers: { main: smsru.providerConfig({ baseUrl: unreachable, proxy: proxy.url() }) },
    });
    const error = await sendFailure(app);
    expect(error).toMatchObject({ code: 'UNAVAILABLE', failure: 'unavailable', outcome: 'not_sent' });
    expect(error.message).toMatch(
      /the proxy http:\/\/127\.0\.0\.1:\d+ refused the tunnel to the provider \(HTTP 500/,
    );
    expect(proxy.connects).toHaveLength(3);
    expect(app.events.filter((e) => e.type === 'retry')).toHaveLength(2);
  });

  it('takes the proxy from HTTPS_PROXY for an https provider, and not from HTTP_PROXY', async () => {
    await sendAndRead(
      await withProxyEnv({ HTTPS_PROXY: proxy.url() }, () => boot({ tls: { ca: certs.ca.cert } })),
    );
    expect(proxy.connects).toHaveLength(1);
    await app!.moduleRef.close();
    proxy.reset();
    await sendAndRead(
      await withProxyEnv({ HTTP_PROXY: proxy.url() }, () => boot({ tls: { ca: certs.ca.cert } })),
    );
    expect(proxy.seen).toBe(0);
  });

  it('accepts any certificate with `rejectUnauthorized: false`, warning at start', async () => {
    await sendAndRead(await boot({ tls: { rejectUnauthorized: false } }));
    expect(app!.logs.lines.filter((l) => l.includes('rejectUnauthorized'))).toEqual([
      expect.stringMatching(
        /^warn main: tls\.rejectUnauthorized is false, the provider's certificate is not verified/,
      ),
    ]);
  });

  it('logs no warning while the certificate is checked', async () => {
    await sendAndRead(await boot({ tls: { ca: certs.ca.cert } }));
    expect(app!.logs.lines.filter((l) => l.startsWith('warn'))).toEqual([]);
  });
});

describe('a CONNECT proxy that asks for credentials', () => {
  let certs: TestCertificates;
  let smsru: SmsRuFake;
  let proxy: FakeProxy;
  let app: EgressApp | undefined;

  beforeAll(async () => {
    certs = await makeTestCertificates();
  });
  beforeEach(async () => {
    smsru = await SmsRuFake.start({ apiId: API_ID, server: { tls: certs.server } });
    proxy = await FakeProxy.start(CREDENTIALS);
  });
  afterEach(async () => {
    await app?.moduleRef.close();
    app = undefined;
    await Promise.all([smsru.close(), proxy.close()]);
  });

  it('opens the tunnel with the right credentials', async () => {
    app = await bootEgress({
      providers: {
        main: smsru.providerConfig({ proxy: proxy.url(CREDENTIALS), tls: { ca: certs.ca.cert } }),
      },
    });
    await expect(app.sms.send({ to: PHONE, text: 'Tunnelled' })).resolves.toMatchObject({ provider: 'main' });
    expect(proxy.refused).toBe(0);
    expect(proxy.connects).toHaveLength(1);
  });

  it('is refused with wrong ones: `unavailable` with a PROXY message, retried, no credential shown', async () => {
    const wrong = { user: CREDENTIALS.user, password: 'n0t-the-tunn3l-pw' };
    app = await bootEgress({
      providers: { main: smsru.providerConfig({ proxy: proxy.url(wrong), tls: { ca: certs.ca.cert } }) },
    });
    const error = (await app.sms.send({ to: PHONE, text: 'Tunnelled' }).catch((e: unknown) => e)) as SmsError;
    expect(error).toBeInstanceOf(SmsError);
    expect(error).toMatchObject({ code: 'UNAVAILABLE', failure: 'unavailable', outcome: 'not_sent' });
    expect(error.message).toMatch(
      /the proxy http:\/\/\*\*\*@127\.0\.0\.1:\d+ refused the tunnel to the provider \(HTTP 407 Proxy Authentication Required\); the message was not sent/,
    );
    expect(proxy.refused).toBe(3);
    expect(smsru.requests).toHaveLength(0);
    const printed = [...renderings(error), ...app.logs.lines].join('\n');
    for (const secret of [
      wrong.password,
      encodeURIComponent(wrong.password),
      Buffer.from(`${wrong.user}:${wrong.password}`).toString('base64'),
    ]) {
      expect(printed).not.toContain(secret);
    }
  });
});

describe('mutual TLS', () => {
  let certs: TestCertificates;
  let smsru: SmsRuFake;
  let app: EgressApp | undefined;

  beforeAll(async () => {
    certs = await makeTestCertificates();
  });
  beforeEach(async () => {
    smsru = await SmsRuFake.start({
      apiId: API_ID,
      server: { tls: { ...certs.server, ca: certs.ca.cert, requestCert: true, rejectUnauthorized: true } },
    });
  });
  afterEach(async () => {
    await app?.moduleRef.close();
    app = undefined;
    await smsru.close();
  });

  it('is refused without a client certificate: `unavailable`, nothing read by the provider', async () => {
    app = await bootEgress({ providers: { main: smsru.providerConfig({ tls: { ca: certs.ca.cert } }) } });
    const error = (await app.sms.send({ to: PHONE, text: 'Mutual' }).catch((e: unknown) => e)) as SmsError;
    expect(error).toMatchObject({ code: 'UNAVAILABLE', failure: 'unavailable', outcome: 'not_sent' });
    expect(error.message).toContain('the provider refused the TLS client certificate');
    // The server tells of a failed handshake a moment after the client gave up on it.
    await waitFor(() => smsru.server.tlsFailures === 3, 'three failed handshakes', 2_000);
    expect(smsru.requests).toHaveLength(0);
  });

  it('is accepted with `cert`, `key` and the key passphrase', async () => {
    const { cert, key } = certs.client;
    app = await bootEgress({
      providers: {
        main: smsru.providerConfig({
          tls: { ca: certs.ca.cert, cert, key, passphrase: certs.clientPassphrase },
        }),
      },
    });
    await expect(app.sms.send({ to: PHONE, text: 'Mutual' })).resolves.toMatchObject({ provider: 'main' });
    expect(smsru.requests).toHaveLength(1);
    expect(smsru.server.tlsFailures).toBe(0);
  });
});
