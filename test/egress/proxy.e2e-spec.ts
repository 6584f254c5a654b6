import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { SmsError } from 'nestjs-sms';
import { closedPort } from '../fakes/closed-port';
import { FakeProxy, type FakeProxyCredentials, PROXY_SOURCE_ADDRESS } from '../fakes/fake-proxy';
import { type RecordedRequest } from '../fakes/fake-http-server';
import { SmsPilotFake } from '../fakes/smspilot-fake.server';
import { SmsRuFake } from '../fakes/smsru-fake.server';
import { renderings } from '../reliability/log-capture';
import { bootEgress, type EgressApp, withProxyEnv } from './egress-kit';

const API_ID = 'egress-api-id-7f3a91';
const API_KEY = 'egress-pilot-key-c2d4e6';
const PHONE = '79255070602';
const CREDENTIALS: FakeProxyCredentials = { user: 'egress-user', password: 'pr0xy-p@ss/w0rd' };

describe('HTTP providers through an egress proxy', () => {
  let smsru: SmsRuFake;
  let pilot: SmsPilotFake;
  let proxy: FakeProxy;
  let app: EgressApp | undefined;

  beforeEach(async () => {
    smsru = await SmsRuFake.start({ apiId: API_ID });
    pilot = await SmsPilotFake.start({ apiKey: API_KEY });
    proxy = await FakeProxy.start();
  });
  afterEach(async () => {
    await app?.moduleRef.close();
    app = undefined;
    await Promise.all([smsru.close(), pilot.close(), proxy.close()]);
  });

  /** Both providers, SMS.ru as `ru` and SMSPilot as `pilot`, each with `extra` in its config. */
  async function boot(extra: { proxy?: string | false } = {}): Promise<EgressApp> {
    app = await bootEgress({
      providers: {
        ru: smsru.providerConfig(extra),
        pilot: { driver: 'smspilot', apiKey: API_KEY, baseUrl: pilot.url, ...extra },
      },
    });
    return app;
  }

  /** Send, status, cost and balance of both providers. */
  async function everyOperation({ sms }: EgressApp): Promise<void> {
    for (const provider of ['ru', 'pilot']) {
      const sent = await sms.send({ to: PHONE, text: 'Through the proxy', provider });
      expect(sent.messages[0]).toMatchObject({ accepted: true, provider });
      const [status] = await sms.getStatus(sent.messages[0].id!, { provider });
      expect(status.provider).toBe(provider);
      await expect(sms.getCost({ to: PHONE, text: 'Through the proxy', provider })).resolves.toMatchObject({
        provider,
      });
      await expect(sms.getBalance({ provider })).resolves.toMatchObject({ provider });
    }
  }

  const allRequests = (): RecordedRequest[] => [...smsru.requests, ...pilot.requests];

  /** Every request the fakes saw came from the proxy, and the proxy forwarded each of them. */
  function expectAllThroughProxy(): void {
    const requests = allRequests();
    expect(requests.length).toBeGreaterThanOrEqual(8);
    expect(requests.map((r) => r.remoteAddress)).toEqual(requests.map(() => PROXY_SOURCE_ADDRESS));
    expect(requests.map((r) => r.headers.via)).toEqual(requests.map(() => expect.stringContaining('proxy/')));
    const forwarded = [
      ...smsru.requests.map((r) => `POST ${smsru.url}${r.url}`),
      ...pilot.requests.map((r) => `POST ${pilot.url}${r.url}`),
    ];
    expect([...proxy.requests].sort()).toEqual(forwarded.sort());
  }

  /** Every request went to the fakes directly; the proxy saw nothing. */
  function expectAllDirect(): void {
    const requests = allRequests();
    expect(requests.length).toBeGreaterThanOrEqual(8);
    expect(requests.map((r) => r.remoteAddress)).toEqual(requests.map(() => '127.0.0.1'));
    expect(proxy.seen).toBe(0);
  }

  it('sends, reads statuses, costs and balances of both providers through the `proxy` option', async () => {
    await everyOperation(await boot({ proxy: proxy.url() }));
    expectAllThroughProxy();
  });

  it('takes the proxy from HTTP_PROXY when `proxy` is not set, read when the module starts', async () => {
    const booted = await withProxyEnv({ HTTP_PROXY: proxy.url() }, () => boot());
    // The environment is read once, at start: it is back to no proxy now, the transport still uses it.
    expect(process.env.HTTP_PROXY).toBeUndefined();
    await everyOperation(booted);
    expectAllThroughProxy();
  });

  it('takes the lowercase http_proxy too', async () => {
    await everyOperation(await withProxyEnv({ http_proxy: proxy.url() }, () => boot()));
    expectAllThroughProxy();
  });

  it('goes direct with `proxy: false`, whatever the environment says', async () => {
    await everyOperation(await withProxyEnv({ HTTP_PROXY: proxy.url() }, () => boot({ proxy: false })));
    expectAllDirect();
  });

  it.each([
    ['NO_PROXY', '127.0.0.1'],
    ['no_proxy', 'localhost,127.0.0.1'],
    ['NO_PROXY', '*'],
  ])('goes direct when %s=%s covers the provider', async (name, value) => {
    await everyOperation(await withProxyEnv({ HTTP_PROXY: proxy.url(), [name]: value }, () => boot()));
    expectAllDirect();
  });

  it('leaves the proxy alone for an https variable when the provider is http', async () => {
    await everyOperation(await withProxyEnv({ HTTPS_PROXY: proxy.url() }, () => boot()));
    expectAllDirect();
  });
});

describe('an authenticating proxy', () => {
  let smsru: SmsRuFake;
  let proxy: FakeProxy;
  let app: EgressApp | undefined;

  beforeEach(async () => {
    smsru = await SmsRuFake.start({ apiId: API_ID });
    proxy = await FakeProxy.start(CREDENTIALS);
  });
  afterEach(async () => {
    await app?.moduleRef.close();
    app = undefined;
    await Promise.all([smsru.close(), proxy.close()]);
  });

  /** Every spelling of the proxy credentials that must never show. */
  const secretSpellings = (credentials: FakeProxyCredentials) => [
    credentials.password,
    encodeURIComponent(credentials.password),
    Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64'),
  ];

  it('sends with the right credentials, given in the URL', async () => {
    app = await bootEgress({ providers: { main: smsru.providerConfig({ proxy: proxy.url(CREDENTIALS) }) } });
    await expect(app.sms.send({ to: PHONE, text: 'Authenticated' })).resolves.toMatchObject({
      provider: 'main',
    });
    await expect(app.sms.getBalance()).resolves.toMatchObject({ provider: 'main' });
    expect(proxy.refused).toBe(0);
    expect(proxy.requests).toHaveLength(2);
    expect(smsru.requests.map((r) => r.remoteAddress)).toEqual([PROXY_SOURCE_ADDRESS, PROXY_SOURCE_ADDRESS]);
    // The proxy takes its credentials for itself: the provider never sees them.
    expect(smsru.requests.map((r) => r.headers['proxy-authorization'])).toEqual([undefined, undefined]);
  });

  it('refuses wrong credentials with a typed, retried `unavailable` that names no credential', async () => {
    const wrong = { user: CREDENTIALS.user, password: 'wr0ng-pr0xy-s3cret' };
    app = await bootEgress({ providers: { main: smsru.providerConfig({ proxy: proxy.url(wrong) }) } });
    const error = (await app.sms.send({ to: PHONE, text: 'Refused' }).catch((e: unknown) => e)) as SmsError;
    expect(error).toBeInstanceOf(SmsError);
    const attempt = error.attempts?.[0]?.error ?? error;
    expect(attempt).toMatchObject({
      code: 'UNAVAILABLE',
      failure: 'unavailable',
      outcome: 'not_sent',
    });
    expect(attempt.message).toContain('HTTP 407, the proxy refused the request');
    expect(proxy.refused).toBe(3);
    expect(app.events.filter((e) => e.type === 'retry')).toHaveLength(2);
    expect(smsru.requests).toHaveLength(0);
    const printed = [...renderings(error), ...renderings(attempt), ...app.logs.lines].join('\n');
    for (const secret of [...secretSpellings(wrong), proxy.url(wrong)]) expect(printed).not.toContain(secret);
  });
});

describe('a proxy that cannot be reached', () => {
  let smsru: SmsRuFake;
  let backup: SmsPilotFake;
  let app: EgressApp | undefined;

  beforeEach(async () => {
    smsru = await SmsRuFake.start({ apiId: API_ID });
    backup = await SmsPilotFake.start({ apiKey: API_KEY });
  });
  afterEach(async () => {
    await app?.moduleRef.close();
    app = undefined;
    await Promise.all([smsru.close(), backup.close()]);
  });

  it('is `unavailable` (nothing sent), retried, and fails over to the next provider', async () => {
    const down = `http://${CREDENTIALS.user}:${encodeURIComponent(CREDENTIALS.password)}@127.0.0.1:${await closedPort()}`;
    app = await bootEgress({
      providers: {
        main: smsru.providerConfig({ proxy: down }),
        backup: { driver: 'smspilot', apiKey: API_KEY, baseUrl: backup.url },
      },
      failover: ['main', 'backup'],
    });
    const sent = await app.sms.send({ to: PHONE, text: 'Around the dead proxy' });
    expect(sent.provider).toBe('backup');
    const [first] = sent.attempts;
    expect(first).toMatchObject({ provider: 'main', result: 'failed' });
    expect(first.error).toMatchObject({ code: 'UNAVAILABLE', failure: 'unavailable', outcome: 'not_sent' });
    expect(first.error?.message).toMatch(
      /cannot connect to the proxy http:\/\/\*\*\*@127\.0\.0\.1:\d+ \(ECONNREFUSED\)/,
    );
    expect(app.events.filter((e) => e.type === 'retry').map((e) => e.provider)).toEqual(['main', 'main']);
    expect(smsru.requests).toHaveLength(0);
    expect(backup.requests).toHaveLength(1);
    const printed = [...renderings(first.error), JSON.stringify(sent), ...app.logs.lines].join('\n');
    expect(printed).not.toContain(CREDENTIALS.password);
    expect(printed).not.toContain(encodeURIComponent(CREDENTIALS.password));
  });
});

describe('a proxy that read the request and answers for the provider', () => {
  let gateway: Server;
  let backup: SmsPilotFake;
  let app: EgressApp | undefined;
  /** Requests the gateway read in full, and the status it answers them with. */
  let read: string[];
  let answer: number;

  beforeEach(async () => {
    read = [];
    // An HTTP proxy (absolute-URI requests) that reads each request whole, then answers for the
    // provider without forwarding a thing, as a proxy whose upstream connection was lost would.
    gateway = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        read.push(`${req.method} ${req.url} ${body.includes('api_id=') ? 'with body' : 'empty'}`);
        res.writeHead(answer, { 'Content-Length': '0', Connection: 'close' }).end();
      });
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    backup = await SmsPilotFake.start({ apiKey: API_KEY });
  });
  afterEach(async () => {
    await app?.moduleRef.close();
    app = undefined;
    await Promise.all([new Promise((resolve) => gateway.close(resolve)), backup.close()]);
  });

  it.each([503, 502, 504, 500])(
    'HTTP %i: the outcome is unknown (the request was with the proxy), never retried, never failed over',
    async (status) => {
      answer = status;
      const { port } = gateway.address() as AddressInfo;
      app = await bootEgress({
        providers: {
          main: {
            driver: 'smsru',
            apiId: API_ID,
            baseUrl: 'http://sms.example',
            proxy: `http://127.0.0.1:${port}`,
          },
          backup: { driver: 'smspilot', apiKey: API_KEY, baseUrl: backup.url },
        },
        failover: ['main', 'backup'],
      });
      const error = (await app.sms
        .send({ to: PHONE, text: 'Maybe sent' })
        .catch((e: unknown) => e)) as SmsError;
      expect(error).toBeInstanceOf(SmsError);
      expect(error).toMatchObject({ failure: 'unknown', outcome: 'unknown', httpStatus: status });
      expect(read).toEqual(['POST http://sms.example/sms/send?json=1 with body']);
      expect(app.events.filter((e) => e.type === 'retry')).toHaveLength(0);
      expect(backup.requests).toHaveLength(0);
    },
  );

  it('a 407 from the provider itself (no proxy) is a refusal like any other 4xx, not "the proxy refused"', async () => {
    answer = 407;
    const { port } = gateway.address() as AddressInfo;
    app = await bootEgress({
      providers: {
        main: { driver: 'smsru', apiId: API_ID, baseUrl: `http://127.0.0.1:${port}`, proxy: false },
      },
    });
    const error = (await app.sms.send({ to: PHONE, text: 'Direct' }).catch((e: unknown) => e)) as SmsError;
    expect(error).toMatchObject({ failure: 'refused', httpStatus: 407 });
    expect(error.message).not.toContain('proxy');
    expect(read).toHaveLength(1);
  });
});
