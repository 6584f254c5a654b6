import { request as httpRequest } from 'node:http';
import { type AddressInfo } from 'node:net';
import request from 'supertest';
import { listenDemo } from '../../apps/demo/src/listen';
import { createLogger } from '../../apps/demo/src/logging/create-logger';
import { type DemoApp, startDemo } from './demo-app';
import { FakeHttpServer } from '../fakes/fake-http-server';
import { captureOutput, type LogCapture } from './log-capture';

const KEY = 'dK9-4fQ2_zX7mL0pW3vB8nR5';
const TOKEN = 'Tk7-wq2Lx9_ZpR4mVb8n';
const SEND = { to: '+79255070602', text: 'Your code: 4821' };

/** A memory provider (outbox page and routes) and an SMSPilot one (its delivery-report endpoint). */
const PROVIDERS = {
  SMS_PROVIDERS: 'dev,pilot',
  SMS_DEV_DRIVER: 'memory',
  SMS_PILOT_DRIVER: 'smspilot',
  SMS_PILOT_API_KEY: 'pilot-api-key-0123456789',
  SMS_PILOT_BASE_URL: 'http://127.0.0.1:9',
  SMS_WEBHOOK_TOKEN: TOKEN,
};

interface Probe {
  status: number;
  body: string;
}

/**
 * One request on a real socket; resolves on the status line and the first body bytes, then closes
 * the socket (an event stream never ends by itself).
 */
function probe(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<Probe> {
  return new Promise((resolve, reject) => {
    const body = method === 'GET' || method === 'HEAD' || method === 'DELETE' ? undefined : '{}';
    const req = httpRequest(
      `${url}${path}`,
      { method, headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers } },
      (res) => {
        let text = '';
        const done = () => {
          resolve({ status: res.statusCode ?? 0, body: text });
          req.destroy();
        };
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          if (/text\/event-stream/.test(String(res.headers['content-type']))) done();
        });
        res.on('end', done);
        if (/text\/event-stream/.test(String(res.headers['content-type']))) setTimeout(done, 200);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Every route the HTTP server maps (Nest's, Swagger's, the webhook middleware), as `METHOD /path`. */
function everyRoute(demo: DemoApp): Array<{ method: string; path: string }> {
  const express = demo.app.getHttpAdapter().getInstance();
  const layers: Array<{ route?: { path: string; methods: Record<string, boolean> } }> = express.router.stack;
  const routes = layers.flatMap((layer) =>
    layer.route
      ? Object.keys(layer.route.methods).map((m) => ({ method: m.toUpperCase(), path: layer.route!.path }))
      : [],
  );
  return routes.filter((r) => r.method !== '_ALL' && r.method !== 'ALL');
}

/** A concrete path for a route pattern. */
const concrete = (path: string): string =>
  path
    .replace(':provider', 'pilot')
    .replace(':token', `${TOKEN}?server_id=10001&status=2&error=0`)
    .replace(/:\w+/g, 'x1');

const isOpen = (path: string) => path.startsWith('/health/') || path.startsWith('/sms/webhooks/');

describe('demo with DEMO_API_KEY: every route but the probes and the webhooks needs the key', () => {
  let demo: DemoApp;
  let url: string;
  let routes: Array<{ method: string; path: string }>;

  beforeAll(async () => {
    demo = await startDemo({ ...PROVIDERS, DEMO_API_KEY: KEY }, { listen: true });
    url = await demo.app.getUrl();
    routes = everyRoute(demo);
  });
  afterAll(() => demo.close());

  it('finds the routes to check in the router and in the OpenAPI document', async () => {
    const listed = routes.map((r) => `${r.method} ${r.path}`);
    for (const route of [
      'POST /sms',
      'POST /sms/batch',
      'GET /sms/status',
      'POST /sms/cost',
      'GET /sms/balance',
      'GET /outbox',
      'GET /outbox/messages',
      'DELETE /outbox/messages',
      'GET /outbox/events',
      'GET /health/live',
      'GET /health/ready',
      'GET /',
      'GET /docs-json',
      'GET /sms/webhooks/:provider/:token',
    ])
      expect(listed).toContain(route);
    const doc = JSON.parse((await probe(url, 'GET', '/docs-json', { 'x-api-key': KEY })).body) as {
      paths: Record<string, Record<string, unknown>>;
    };
    for (const [path, operations] of Object.entries(doc.paths))
      for (const method of Object.keys(operations))
        expect(listed).toContain(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
  });

  it('answers 401 with the usual error body to every guarded route without the key, or with a wrong one', async () => {
    const wrong: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer nope' },
      { 'x-api-key': `${KEY}x` },
      { authorization: KEY },
    ];
    for (const { method, path } of routes.filter((r) => !isOpen(r.path))) {
      for (const headers of wrong) {
        const res = await probe(url, method, concrete(path), headers);
        expect({ method, path, status: res.status }).toEqual({ method, path, status: 401 });
        expect(JSON.parse(res.body)).toEqual({
          statusCode: 401,
          code: 'AUTH',
          outcome: 'not_sent',
          failure: 'account',
          message: expect.stringContaining('API key'),
          retryable: false,
        });
      }
    }
    // A path no route has is refused the same way: nothing is served that the key does not cover.
    expect((await probe(url, 'GET', '/no/such/route')).status).toBe(401);
    expect((await probe(url, 'POST', '/sms/queue')).status).toBe(401);
  });

  it('serves every guarded route with the key, as a bearer token or as x-api-key', async () => {
    for (const headers of [{ authorization: `Bearer ${KEY}` }, { 'x-api-key': KEY }] as Array<
      Record<string, string>
    >) {
      for (const { method, path } of routes.filter((r) => !isOpen(r.path))) {
        const res = await probe(url, method, concrete(path), headers);
        expect({ method, path, passed: res.status !== 401 && res.status < 500 }).toEqual({
          method,
          path,
          passed: true,
        });
        expect(res.body).not.toContain('API key');
      }
    }
    expect((await probe(url, 'GET', '/no/such/route', { 'x-api-key': KEY })).status).toBe(404);
    for (const path of [
      '/outbox',
      '/outbox/messages',
      '/outbox/events',
      '/docs',
      '/docs-json',
      '/sms/balance',
    ])
      expect((await probe(url, 'GET', path, { 'x-api-key': KEY })).status).toBe(200);
  });

  it('leaves the health probes and the delivery-report endpoints open', async () => {
    const open = routes.filter((r) => isOpen(r.path) && r.method === 'GET');
    expect(open.map((r) => r.path).sort()).toEqual([
      '/health/live',
      '/health/ready',
      '/sms/webhooks/:provider/:token',
    ]);
    expect((await probe(url, 'GET', '/health/live')).status).toBe(200);
    const report = await probe(url, 'GET', concrete('/sms/webhooks/:provider/:token'));
    expect(report).toEqual({ status: 200, body: 'OK' });
  });

  it('does not empty the outbox, or send, without the key', async () => {
    await request(url).post('/sms').set('x-api-key', KEY).send(SEND).expect(201);
    await request(url).delete('/outbox/messages').expect(401);
    await request(url).post('/sms').send(SEND).expect(401);
    expect(demo.outbox.size).toBe(1);
    await request(url).delete('/outbox/messages').set('authorization', `Bearer ${KEY}`).expect(204);
    expect(demo.outbox.size).toBe(0);
  });

  it('signs a browser in with a form (the key in a POST body) and a derived HttpOnly SameSite cookie', async () => {
    const page = await request(url).get('/outbox').set('accept', 'text/html').expect(401);
    expect(page.text).toContain('<form method="post" action="/login">');
    expect(page.text).toContain('name="next" value="/outbox"');
    await request(url).post('/login').type('form').send({ key: 'wrong', next: '/outbox' }).expect(401);
    const signedIn = await request(url)
      .post('/login')
      .type('form')
      .send({ key: KEY, next: '/outbox' })
      .expect(303);
    expect(signedIn.headers.location).toBe('/outbox');
    const setCookie = String(signedIn.headers['set-cookie']);
    expect(setCookie).toMatch(
      /^demo_session=[\w-]+; Max-Age=\d+; Path=\/; Expires=.+; HttpOnly; SameSite=Strict$/,
    );
    expect(setCookie).not.toContain(KEY);
    const session = setCookie.split(';')[0];
    await request(url).get('/outbox').set('cookie', session).expect(200);
    await request(url).post('/sms').set('cookie', session).send(SEND).expect(201);
    await request(url).get('/outbox/messages').set('cookie', 'demo_session=forged').expect(401);
    for (const next of ['//evil.example', 'https://evil.example/', '/\\evil.example'])
      expect(
        (await request(url).post('/login').type('form').send({ key: KEY, next }).expect(303)).headers
          .location,
      ).toBe('/');
  });

  it('refuses a large body without the key before reading it', async () => {
    const res = await request(url)
      .post('/sms')
      .send({ ...SEND, text: 'a'.repeat(2_000_000) });
    expect(res.status).toBe(401);
  });
});

describe('demo binding and start-up line', () => {
  let output: LogCapture | undefined;
  afterEach(() => output?.restore());

  async function started(env: Record<string, string>) {
    output = captureOutput();
    const demo = await startDemo({ ...env, PORT: '0' }, { logger: createLogger({ LOG_FORMAT: 'json' }) });
    await listenDemo(demo.app).catch(async (error: unknown) => {
      await demo.close();
      throw error;
    });
    const address = demo.app.getHttpServer().address() as AddressInfo;
    const line = output
      .records()
      .map((r) => r.message as Record<string, unknown>)
      .find((m) => m.msg === 'nestjs-sms demo listening');
    return { demo, address, line };
  }

  it('without DEMO_API_KEY binds to 127.0.0.1 only, even with HOST=0.0.0.0, says so, and needs no key', async () => {
    const { demo, address, line } = await started({ HOST: '0.0.0.0' });
    try {
      expect(address.address).toBe('127.0.0.1');
      expect(line).toMatchObject({
        address: `127.0.0.1:${address.port}`,
        access: expect.stringMatching(
          /^local only: bound to 127\.0\.0\.1 instead of HOST=0\.0\.0\.0, no API key/,
        ),
      });
      // The README's quick start: a send without any key.
      await request(`http://127.0.0.1:${address.port}`).post('/sms').send(SEND).expect(201);
    } finally {
      await demo.close();
    }
  });

  it('with DEMO_API_KEY binds to HOST, default 0.0.0.0, and says the key is required', async () => {
    const { demo, address, line } = await started({ DEMO_API_KEY: KEY });
    try {
      expect(address.address).toBe('0.0.0.0');
      expect(line).toMatchObject({ access: expect.stringMatching(/^API key required/) });
      expect(output!.text()).not.toContain(KEY);
    } finally {
      await demo.close();
    }
  });
});

describe('demo request bodies and the request log', () => {
  let demo: DemoApp;
  let output: LogCapture;

  beforeAll(async () => {
    output = captureOutput();
    demo = await startDemo(PROVIDERS, { logger: createLogger({ LOG_FORMAT: 'json' }) });
  });
  afterAll(async () => {
    await demo.close();
    output.restore();
  });

  const records = () => output.records();
  /** The usual error body of a refused request body. */
  const refused = (statusCode: number) => ({
    statusCode,
    code: 'VALIDATION',
    outcome: 'not_sent',
    retryable: false,
  });
  const loud = () =>
    records().filter((r) => r.level === 'error' || r.level === 'fatal' || r.level === 'warn');

  it('answers a JSON body nested 2 000 deep with 400 and the usual body, logging no error', async () => {
    const to = `${'['.repeat(2000)}"+79255070602"${']'.repeat(2000)}`;
    const res = await request(demo.app.getHttpServer())
      .post('/sms')
      .set('content-type', 'application/json')
      .send(`{"to":${to},"text":"x"}`)
      .expect(400);
    expect(res.body).toMatchObject({
      ...refused(400),
      details: [{ field: 'body', message: expect.stringContaining('deeper than') }],
    });
    expect(loud()).toEqual([]);
  });

  it('answers a 2 MB body with 413 and the usual body, with no stack in the log', async () => {
    const res = await request(demo.app.getHttpServer())
      .post('/sms')
      .send({ ...SEND, text: 'a'.repeat(2_000_000) })
      .expect(413);
    expect(res.body).toMatchObject({
      statusCode: 413,
      code: 'VALIDATION',
      outcome: 'not_sent',
      retryable: false,
    });
    expect(loud()).toEqual([]);
    expect(output.text()).not.toMatch(/\n\s+at |PayloadTooLarge|entity\.too\.large/);
    expect(records().find((r) => (r.message as { status?: number }).status === 413)).toMatchObject({
      level: 'log',
      context: 'Http',
    });
  });

  it('answers broken JSON and a form nested too deep with 400, logging no error', async () => {
    const http = () => request(demo.app.getHttpServer()).post('/sms');
    await http().set('content-type', 'application/json').send('{"to":').expect(400);
    await http()
      .type('form')
      .send(`to${'[a]'.repeat(40)}=1&text=x`)
      .expect(400);
    expect(loud()).toEqual([]);
  });

  it('masks a path segment that looks like a webhook token, at any path', async () => {
    const hex = 'f3a9c1d27be84f6a90c3d5e7b1a2c4d6e8f0a1b2c3d4e5f6';
    for (const path of [`/sms/hooks/pilot/${TOKEN}`, `/callbacks/${hex}`, `/${TOKEN.replace('7', '%37')}/x`])
      await request(demo.app.getHttpServer()).get(path).expect(404);
    const paths = records()
      .filter((r) => r.context === 'Http')
      .map((r) => (r.message as { path: string }).path);
    expect(paths).toEqual(expect.arrayContaining(['/sms/hooks/pilot/***', '/callbacks/***', '/***/x']));
    expect(output.text()).not.toContain(TOKEN);
    expect(output.text()).not.toContain(hex);
  });
});

describe('demo in front of a gateway that echoes the credentials', () => {
  const LOGIN = 'shop.owner+sms@example.com';
  const PASSWORD = 'Пароль/с "кавычками"&+ 42';
  let gateway: FakeHttpServer;
  let demo: DemoApp;
  let output: LogCapture;

  /** Every 6-character piece of the credentials, raw, URL-encoded and JSON-escaped. */
  const pieces = [LOGIN, PASSWORD]
    .flatMap((secret) => [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])
    .flatMap((spelled) =>
      Array.from({ length: spelled.length - 5 }, (_, i) => spelled.slice(i, i + 6).toLowerCase()),
    );

  beforeAll(async () => {
    // An error page that writes the request back after 470 characters of whitespace, as is and JSON-escaped.
    gateway = await FakeHttpServer.start((req) => ({
      status: 500,
      body: `<html><body>${' '.repeat(470)}${req.body} ${JSON.stringify(req.body)} login=${LOGIN}</body></html>`,
    }));
    output = captureOutput();
    demo = await startDemo(
      {
        SMS_PROVIDERS: 'main',
        SMS_MAIN_DRIVER: 'smsru',
        SMS_MAIN_LOGIN: LOGIN,
        SMS_MAIN_PASSWORD: PASSWORD,
        SMS_MAIN_BASE_URL: gateway.url,
      },
      { logger: createLogger({ LOG_FORMAT: 'json' }) },
    );
  });
  afterAll(async () => {
    await demo?.close();
    output.restore();
    await gateway.close();
  });

  it('answers 502 and logs the warning with the page redacted: no piece of the login or the password', async () => {
    const res = await request(demo.app.getHttpServer()).post('/sms').send(SEND).expect(502);
    expect(gateway.requests).toHaveLength(1);
    expect(gateway.requests[0].form.get('login')).toBe(LOGIN);
    expect(res.body).toMatchObject({ code: 'BAD_RESPONSE', outcome: 'unknown', mayHaveBeenSent: true });
    expect(res.body.message).toContain('[redacted]');
    const warning = output.records().find((r) => r.context === 'SmsExceptionFilter');
    expect(warning).toMatchObject({ level: 'warn' });
    const seen = `${res.text}\n${output.text()}`.toLowerCase();
    expect(pieces.filter((piece) => seen.includes(piece))).toEqual([]);
  });
});
