import { createServer } from 'node:net';
import { SmsError } from 'nestjs-sms';
import {
  HttpTransport,
  type HttpTransportOptions,
  MAX_ANSWER_BYTES,
} from '../libs/sms/src/transport/http-transport';
import { FakeHttpServer, FakeTlsFailingServer, failDnsFor } from './fakes/fake-http-server';

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

  it('cuts off an answer over MAX_ANSWER_BYTES: a send is unknown and not repeated, a read is repeated', async () => {
    fake.setHandler(() => ({ status: 200, body: `{"ok":true,"pad":"${'x'.repeat(MAX_ANSWER_BYTES)}"}` }));
    const started = Date.now();
    const err = (await t.postForm('/x', {}, parse).catch((e: unknown) => e)) as SmsError;
    expect(err).toMatchObject({ code: 'BAD_RESPONSE', failure: 'unknown', outcome: 'unknown' });
    expect(err.message).toContain(`the answer was larger than ${MAX_ANSWER_BYTES} bytes and was not read`);
    expect(fake.requests).toHaveLength(1);
    await expect(t.postForm('/x', {}, parse, { idempotent: true })).rejects.toMatchObject({
      failure: 'unknown',
    });
    expect(fake.requests).toHaveLength(4);
    expect(Date.now() - started).toBeLessThan(2000);
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
    expect(err).toMatchObject({
      code: 'BAD_RESPONSE',
      failure: 'unknown',
      outcome: 'unknown',
      retryable: false,
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('never repeats a send whose reused keep-alive socket reset after the request was taken', async () => {
    const retries: unknown[] = [];
    const tracked = transport(fake.url, { onRetry: (e) => retries.push(e) });
    await tracked.postForm('/x', {}, parse);
    fake.script({ fault: 'reset' });
    const err = (await tracked.postForm('/x', {}, parse).catch((e: unknown) => e)) as SmsError;
    tracked.close();
    expect(err).toMatchObject({
      code: 'BAD_RESPONSE',
      failure: 'unknown',
      outcome: 'unknown',
      retryable: false,
    });
    expect(err.message).toMatch(/request was written, then the reused keep-alive connection was lost/);
    expect(err.message).toMatch(/outcome is unknown/);
    // The request the fake reset came on the connection of the one before it, and was not repeated.
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]).toMatchObject({
      reusedConnection: true,
      connection: fake.requests[0].connection,
    });
    expect(retries).toEqual([]);
  });

  it('reports a partial status line after the request was written as unknown, one request', async () => {
    fake.setHandler(() => ({ fault: 'partial-status' }));
    const err = await t.postForm('/x', {}, parse).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BAD_RESPONSE', failure: 'unknown', outcome: 'unknown' });
    expect(fake.requests).toHaveLength(1);
  });

  it('reports a body cut off after the status line as unknown, one request', async () => {
    fake.setHandler(() => ({ fault: 'truncated-body' }));
    const err = (await t.postForm('/x', {}, parse).catch((e: unknown) => e)) as SmsError;
    expect(err).toMatchObject({ code: 'BAD_RESPONSE', failure: 'unknown', outcome: 'unknown' });
    expect(err.message).toMatch(/while the answer was read/);
    expect(fake.requests).toHaveLength(1);
  });

  it('repeats a read after a reset on a reused socket', async () => {
    await t.postForm('/x', {}, parse);
    fake.script({ fault: 'reset' });
    await expect(t.postForm('/x', {}, parse, { idempotent: true })).resolves.toEqual({ ok: true });
    expect(fake.requests).toHaveLength(3);
  });

  it("retries a parser's unavailable SmsError, not its unknown one", async () => {
    const unavailable = new SmsError('busy', { code: 'UNAVAILABLE', failure: 'unavailable' });
    const unknown = new SmsError('garbled', { code: 'BAD_RESPONSE', failure: 'unknown' });
    await expect(
      t.postForm('/x', {}, () => {
        throw unavailable;
      }),
    ).rejects.toBe(unavailable);
    expect(fake.requests).toHaveLength(3);
    fake.reset();
    await expect(
      t.postForm('/x', {}, () => {
        throw unknown;
      }),
    ).rejects.toBe(unknown);
    expect(fake.requests).toHaveLength(1);
  });

  it.each([
    [500, 'BAD_RESPONSE', 'unknown', 1],
    [502, 'BAD_RESPONSE', 'unknown', 1],
    [504, 'BAD_RESPONSE', 'unknown', 1],
    [503, 'UNAVAILABLE', 'unavailable', 3],
    [429, 'RATE_LIMITED', 'unavailable', 3],
    [408, 'UNAVAILABLE', 'unavailable', 3],
    [401, 'AUTH', 'account', 1],
    [404, 'BAD_RESPONSE', 'refused', 1],
  ])('HTTP %i: %s, class %s, %i request(s)', async (status, code, failure, requests) => {
    fake.setHandler(() => ({ status, body: 'no' }));
    const err = await t.postForm('/x', {}, parse).catch((e: unknown) => e);
    expect(err).toMatchObject({ code, failure, httpStatus: status });
    expect(fake.requests).toHaveLength(requests);
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

describe('HttpTransport before the request is written', () => {
  it('retries a TLS handshake that fails before the request is written: unavailable', async () => {
    const tls = await FakeTlsFailingServer.start();
    const t = transport(tls.url);
    const err = (await t.postForm('/x', {}, parse).catch((e: unknown) => e)) as SmsError;
    t.close();
    await tls.close();
    expect(err).toMatchObject({ code: 'UNAVAILABLE', failure: 'unavailable', outcome: 'not_sent' });
    expect(err.message).toMatch(/before the request was written/);
    expect(tls.connections).toBe(3);
  });

  it('retries a DNS failure: unavailable', async () => {
    const dns = failDnsFor('sms.provider.invalid');
    const retries: unknown[] = [];
    const t = transport('http://sms.provider.invalid', { onRetry: (e) => retries.push(e) });
    const err = await t.postForm('/x', {}, parse).catch((e: unknown) => e);
    t.close();
    dns.restore();
    expect(err).toMatchObject({ code: 'UNAVAILABLE', failure: 'unavailable', outcome: 'not_sent' });
    expect(dns.lookups()).toBe(3);
    expect(retries).toHaveLength(2);
  });

  it('retries a connection the server resets at once, before the request is written', async () => {
    const server = createServer((socket) => socket.resetAndDestroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    let connections = 0;
    server.on('connection', () => connections++);
    const t = transport(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
    const err = await t.postForm('/x', {}, parse).catch((e: unknown) => e);
    t.close();
    await new Promise((r) => server.close(r));
    expect(err).toMatchObject({ failure: 'unavailable', outcome: 'not_sent' });
    expect(connections).toBe(3);
  });
});

describe('HttpTransport keep-alive sockets', () => {
  it('closes a kept-alive socket idle for idleSocketTimeoutMs, before the server would', async () => {
    const fake = await FakeHttpServer.start(ok, { keepAliveTimeoutMs: 60_000 });
    const t = transport(fake.url, { idleSocketTimeoutMs: 150 });
    await t.postForm('/x', {}, parse);
    await t.postForm('/x', {}, parse);
    expect(fake.requests[1].reusedConnection).toBe(true);
    expect(fake.openConnections).toBe(1);
    await new Promise((r) => setTimeout(r, 600));
    expect(fake.openConnections).toBe(0);
    await t.postForm('/x', {}, parse);
    t.close();
    await fake.close();
    expect(fake.requests[2]).toMatchObject({ reusedConnection: false, connection: 2 });
  });

  it('does not cut a request in flight that takes longer than the idle timeout', async () => {
    const fake = await FakeHttpServer.start(() => ({ status: 200, body: '{"ok":true}', delayMs: 400 }));
    const t = transport(fake.url, { idleSocketTimeoutMs: 100, timeoutMs: 2_000 });
    await t.postForm('/x', {}, parse);
    const second = await t.postForm('/x', {}, parse).catch((e: unknown) => e);
    t.close();
    await fake.close();
    expect(second).toEqual({ ok: true });
    expect(fake.requests).toHaveLength(2);
  });

  it('by default keeps a socket idle for less than the 5 s of a Node server', async () => {
    const fake = await FakeHttpServer.start(ok);
    const t = transport(fake.url);
    await t.postForm('/x', {}, parse);
    await new Promise((r) => setTimeout(r, 4_600));
    const open = fake.openConnections;
    t.close();
    await fake.close();
    expect(open).toBe(0);
  }, 10_000);
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
