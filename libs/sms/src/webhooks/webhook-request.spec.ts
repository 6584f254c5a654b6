import { once } from 'node:events';
import { Readable } from 'node:stream';
import { type WebhookRequest, WebhookBodyError, readWebhookFields, requestPath } from './webhook-request';

function fakeRequest(init: {
  url?: string;
  body?: unknown;
  rawBody?: Buffer;
  stream?: string;
  headers?: Record<string, string>;
}): WebhookRequest {
  const stream = Readable.from(
    init.stream === undefined ? [] : [Buffer.from(init.stream)],
  ) as unknown as WebhookRequest;
  if (init.stream === undefined) stream.resume();
  return Object.assign(stream, {
    url: init.url ?? '/hooks/ru/token',
    method: 'POST',
    headers: {
      ...(init.stream !== undefined && { 'content-length': String(Buffer.byteLength(init.stream)) }),
      ...init.headers,
    },
    ...(init.body !== undefined && { body: init.body }),
    ...(init.rawBody !== undefined && { rawBody: init.rawBody }),
  });
}

/** A request whose stream a body parser has read to the end. */
async function readByParser(init: Parameters<typeof fakeRequest>[0]): Promise<WebhookRequest> {
  const req = fakeRequest(init);
  await once(req, 'end');
  return req;
}

describe('readWebhookFields', () => {
  it('flattens a qs "extended" object back to data[N] keys (indexes past the array limit)', async () => {
    const body = { data: { '0': 'a', '21': 'b' }, hash: 'h' };
    const fields = await readWebhookFields(fakeRequest({ body }), 1000);
    expect([...fields]).toEqual([
      ['data[0]', 'a'],
      ['data[21]', 'b'],
      ['hash', 'h'],
    ]);
  });

  it('flattens arrays and keeps flat keys as they are', async () => {
    expect([...(await readWebhookFields(fakeRequest({ body: { data: ['a', 'b'] } }), 1000))]).toEqual([
      ['data[0]', 'a'],
      ['data[1]', 'b'],
    ]);
    expect([...(await readWebhookFields(fakeRequest({ body: { 'data[0]': 'a' } }), 1000))]).toEqual([
      ['data[0]', 'a'],
    ]);
  });

  it('prefers rawBody, reads an unread stream, and lays the body over the query', async () => {
    const raw = await readWebhookFields(
      fakeRequest({ url: '/x?status=1&extra=q', rawBody: Buffer.from('status=2'), body: { status: '9' } }),
      1000,
    );
    expect(Object.fromEntries(raw)).toEqual({ status: '2', extra: 'q' });
    const streamed = await readWebhookFields(fakeRequest({ stream: 'server_id=5&status=-1' }), 1000);
    expect(Object.fromEntries(streamed)).toEqual({ server_id: '5', status: '-1' });
  });

  it('refuses a body over the limit', async () => {
    await expect(
      readWebhookFields(fakeRequest({ stream: 'a='.padEnd(2000, 'x') }), 1000),
    ).rejects.toBeInstanceOf(WebhookBodyError);
    await expect(readWebhookFields(fakeRequest({ rawBody: Buffer.alloc(2000) }), 1000)).rejects.toMatchObject(
      { status: 413 },
    );
  });

  it('refuses a declared Content-Length over the limit whoever read the body', async () => {
    const parsed = await readByParser({ body: { a: 'b' }, headers: { 'content-length': '1001' } });
    await expect(readWebhookFields(parsed, 1000)).rejects.toMatchObject({ status: 413 });
    const exact = await readByParser({ body: { a: 'b' }, headers: { 'content-length': '1000' } });
    expect(Object.fromEntries(await readWebhookFields(exact, 1000))).toEqual({ a: 'b' });
  });

  it('measures a parsed body without Content-Length: a string or buffer by its bytes, an object as its form', async () => {
    const text = 'status=2&pad='.padEnd(1001, 'x');
    await expect(readWebhookFields(fakeRequest({ body: text }), 1000)).rejects.toMatchObject({ status: 413 });
    await expect(readWebhookFields(fakeRequest({ body: Buffer.from(text) }), 1000)).rejects.toMatchObject({
      status: 413,
    });
    // `data%5B0%5D=a%0Ab` is 17 bytes as a form: it passes a limit of 17 and not one of 16.
    const object = () => fakeRequest({ body: { data: ['a\nb'] } });
    expect(Object.fromEntries(await readWebhookFields(object(), 17))).toEqual({ 'data[0]': 'a\nb' });
    await expect(readWebhookFields(object(), 16)).rejects.toMatchObject({ status: 413 });
    expect(
      Object.fromEntries(await readWebhookFields(fakeRequest({ body: Buffer.from('status=2') }), 15)),
    ).toEqual({
      status: '2',
    });
  });

  it('requestPath uses the original URL without the query', () => {
    const req = Object.assign(fakeRequest({ url: '/ru/token?x=1' }), {
      originalUrl: '/api/hooks/ru/token?x=1',
    });
    expect(requestPath(req)).toBe('/api/hooks/ru/token');
  });
});
