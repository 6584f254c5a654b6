import { createServer } from 'node:net';
import { SmsError } from 'nestjs-sms';
import { HttpTransport, type HttpTransportOptions } from '../libs/sms/src/transport/http-transport';
import { FakeHttpServer } from './fakes/fake-http-server';

const ok = () => ({ status: 200, body: '{"ok":true}' });
const parse = (a: { body: string }) => JSON.parse(a.body) as unknown;

function transport(baseUrl: string, overrides: Partial<HttpTransportOptions> = {}): HttpTransport {
  return new HttpTransport({
    provider: 'main',
    baseUrl,
    timeoutMs: 500,
    maxConcurrency: 4,
    retry: { maxAttempts: 3, initialDelayMs: 10, maxDelayMs: 50 },
    secrets: ['s3cret-key'],
    ...overrides,
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

describe('HttpTransport', () => {
  let fake: FakeHttpServer;
  let t: HttpTransport;
  beforeEach(async () => {
    fake = await FakeHttpServer.start(ok);
    t = transport(fake.url);
  });
  afterEach(async () => {
    t.close();
    await fake.close();
  });

  it('POSTs the form in the body and nothing in the URL', async () => {
    await expect(
      t.postForm('/sms/send?json=1', { api_id: 's3cret-key', to: '79255070602' }, parse),
    ).resolves.toEqual({ ok: true });
    expect(fake.requests).toHaveLength(1);
    const [req] = fake.requests;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/sms/send?json=1');
    expect(req.form.get('api_id')).toBe('s3cret-key');
    expect(req.headers['content-type']).toContain('application/x-www-form-urlencoded');
  });

  it('retries a refused connection and reports UNAVAILABLE, not sent', async () => {
    const down = transport(`http://127.0.0.1:${await freePort()}`);
    const err = await down.postForm('/x', {}, parse).catch((e: unknown) => e);
    down.close();
    expect(err).toBeInstanceOf(SmsError);
    expect(err).toMatchObject({ code: 'UNAVAILABLE', outcome: 'not_sent', retryable: true });
  });

  it('retries HTTP 503 and succeeds once', async () => {
    fake.script({ status: 503, body: 'busy' });
    await expect(t.postForm('/x', {}, parse)).resolves.toEqual({ ok: true });
    expect(fake.requests).toHaveLength(2);
  });

  it('honours Retry-After on 429', async () => {
    fake.script({ status: 429, headers: { 'retry-after': '1' } });
    const started = Date.now();
    await t.postForm('/x', {}, parse);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(fake.requests).toHaveLength(2);
  });

  it('never repeats a send after HTTP 502: outcome unknown', async () => {
    fake.setHandler(() => ({ status: 502, body: '<html>Bad gateway s3cret-key</html>' }));
    const err = (await t.postForm('/x', {}, parse).catch((e: unknown) => e)) as SmsError;
    expect(err).toMatchObject({ code: 'BAD_RESPONSE', outcome: 'unknown', httpStatus: 502 });
    expect(err.message).not.toContain('s3cret-key');
    expect(fake.requests).toHaveLength(1);
  });

  it('reports a timeout after the request was written as TIMEOUT, unknown, one request', async () => {
    fake.setHandler(() => ({ fault: 'hang' }));
    const started = Date.now();
    const err = await t.postForm('/x', {}, parse).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'TIMEOUT', outcome: 'unknown' });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(fake.requests).toHaveLength(1);
  });

  it('reports a reset after the request was written on a fresh socket as unknown, one request', async () => {
    fake.setHandler(() => ({ fault: 'reset' }));
    const err = await t.postForm('/x', {}, parse).catch((e: unknown) => e);
    expect(err).toMatchObject({ outcome: 'unknown' });
    expect(fake.requests).toHaveLength(1);
  });

  it('repeats a read after a timeout', async () => {
    fake.script({ fault: 'hang' });
    await expect(t.postForm('/x', {}, parse, { idempotent: true })).resolves.toEqual({ ok: true });
    expect(fake.requests).toHaveLength(2);
  });

  it('keeps at most maxConcurrency requests in flight', async () => {
    fake.setHandler(() => ({ status: 200, body: '{}', delayMs: 20 }));
    await Promise.all(Array.from({ length: 40 }, () => t.postForm('/x', {}, parse)));
    expect(fake.requests).toHaveLength(40);
    expect(fake.maxInFlight).toBeLessThanOrEqual(4);
  });
});

describe('HttpTransport edge cases', () => {
  it('reports a call whose deadline had already passed as not sent, with no request made', async () => {
    const fake = await FakeHttpServer.start(ok);
    const t = transport(fake.url);
    const err = await t.postForm('/x', {}, parse, { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    t.close();
    await fake.close();
    expect(err).toMatchObject({ code: 'TIMEOUT', outcome: 'not_sent' });
    expect(fake.requests).toHaveLength(0);
  });

  it('scrubs a secret from answer excerpts in raw, URI- and form-encoded forms', async () => {
    const secret = "k3y with space!'()";
    const fake = await FakeHttpServer.start(() => ({
      status: 502,
      body: `${secret} ${encodeURIComponent(secret)} ${new URLSearchParams({ s: secret }).toString()}`,
    }));
    const t = transport(fake.url, { secrets: [secret] });
    const err = (await t.postForm('/x', {}, parse).catch((e: unknown) => e)) as Error;
    t.close();
    await fake.close();
    expect(err.message).not.toContain('k3y');
    expect(err.message).toContain('[redacted]');
  });
});
