import { Agent, type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import axios, { type AxiosInstance, CanceledError, isAxiosError } from 'axios';
import { nodeHttpAdapter } from 'nestjs-sms/transport/node-http.adapter';
import { closedPort } from './fakes/closed-port';

/** What the server saw of the last request. */
interface Seen {
  method?: string;
  url?: string;
  headers: IncomingMessage['headers'];
  body: string;
}

describe('nodeHttpAdapter (the transport axios adapter)', () => {
  let server: Server;
  let baseURL: string;
  let agent: Agent;
  let seen: Seen;
  let reply: (res: ServerResponse) => void;

  /** An instance with the transport's main settings and the adapter. */
  const client = (extra: Parameters<typeof axios.create>[0] = {}): AxiosInstance =>
    axios.create({
      adapter: nodeHttpAdapter,
      baseURL,
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
        Accept: 'application/json',
      },
      httpAgent: agent,
      maxRedirects: 0,
      proxy: false,
      responseType: 'text',
      ...extra,
    });

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen = {
          method: req.method,
          url: req.url,
          headers: req.headers,
          body: Buffer.concat(chunks).toString(),
        };
        reply(res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
    agent = new Agent({ keepAlive: true, maxSockets: 4 });
  });

  beforeEach(() => {
    reply = (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"OK"}');
  });

  afterAll(async () => {
    agent.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('POSTs the text body under the base path with the instance headers and answers with text', async () => {
    const response = await client().request<string>({
      method: 'post',
      url: '/sms/send?json=1',
      data: 'to=7925&msg=%D0%9A',
    });
    expect(seen).toMatchObject({
      method: 'POST',
      url: '/api/sms/send?json=1',
      body: 'to=7925&msg=%D0%9A',
      headers: {
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        accept: 'application/json',
        'content-length': '18',
        'user-agent': `axios/${axios.VERSION}`,
      },
    });
    // No compression asked for: the answer needs no decoding.
    expect(seen.headers['accept-encoding']).toBeUndefined();
    expect(response.status).toBe(200);
    expect(response.data).toBe('{"status":"OK"}');
    expect(response.headers['content-type']).toBe('application/json');
  });

  it('cuts an answer off at maxContentLength, as axios does, with the request attached', async () => {
    reply = (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('x'.repeat(70_000));
    const error = (await client({ maxContentLength: 65_536 })
      .post('/sms/send', 'a=1')
      .catch((e: unknown) => e)) as Error;
    expect(isAxiosError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'ERR_BAD_RESPONSE',
      message: 'maxContentLength size of 65536 exceeded',
    });
    expect(isAxiosError(error) && error.request).toBeTruthy();
    reply = (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('x'.repeat(65_536));
    await expect(client({ maxContentLength: 65_536 }).post('/sms/send', 'a=1')).resolves.toMatchObject({
      status: 200,
    });
  });

  it('counts the body length in bytes, not characters', async () => {
    await client().request({ method: 'post', url: '/x', data: 'msg=Код' });
    expect(seen.headers['content-length']).toBe(String(Buffer.byteLength('msg=Код')));
  });

  it('runs the request and response interceptors of the instance', async () => {
    const instance = client();
    instance.interceptors.request.use((config) => {
      config.headers.set('X-Trace', 'abc');
      return config;
    });
    instance.interceptors.response.use((response) => ({ ...response, data: `seen:${response.data}` }));
    const response = await instance.request<string>({ method: 'post', url: '/x', data: 'a=1' });
    expect(seen.headers['x-trace']).toBe('abc');
    expect(response.data).toBe('seen:{"status":"OK"}');
  });

  it('strips a byte order mark from the answer', async () => {
    reply = (res) => res.writeHead(200).end('\uFEFF{"status":"OK"}');
    const response = await client().request<string>({ method: 'post', url: '/x', data: 'a=1' });
    expect(response.data).toBe('{"status":"OK"}');
  });

  it('rejects a status validateStatus refuses with an AxiosError carrying the response', async () => {
    reply = (res) => res.writeHead(503).end('busy');
    const error: unknown = await client({ validateStatus: (s) => s < 500 })
      .request({ method: 'post', url: '/x', data: 'a=1' })
      .catch((e: unknown) => e);
    expect(isAxiosError(error) && error.response?.status).toBe(503);
    expect(isAxiosError(error) && error.code).toBe('ERR_BAD_RESPONSE');
  });

  it('aborts through the signal with a CanceledError that carries the request', async () => {
    reply = () => undefined; // never answers
    const controller = new AbortController();
    const pending = client()
      .request({ method: 'post', url: '/x', data: 'a=1', signal: controller.signal })
      .catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    const error = await pending;
    expect(error).toBeInstanceOf(CanceledError);
    expect((error as CanceledError<unknown>).request).toBeDefined();
  });

  it('rejects a refused connection with its code and the request', async () => {
    const port = await closedPort();
    const error: unknown = await client({ baseURL: `http://127.0.0.1:${port}` })
      .request({ method: 'post', url: '/x', data: 'a=1' })
      .catch((e: unknown) => e);
    expect(isAxiosError(error) && error.code).toBe('ECONNREFUSED');
    expect(isAxiosError(error) && error.request).toBeDefined();
  });

  it("leaves a request it is not made for (a timeout, a Buffer body) to axios' own adapter", async () => {
    // Axios' adapter asks for compressed answers; this one does not.
    await client({ timeout: 5000 }).request({ method: 'post', url: '/x', data: 'a=1' });
    expect(seen.headers['accept-encoding']).toContain('gzip');
    await client().request({ method: 'post', url: '/x', data: Buffer.from('a=1') });
    expect(seen.headers['accept-encoding']).toContain('gzip');
    expect(seen.body).toBe('a=1');
    await client().request({ method: 'post', url: '/x', data: 'a=1' });
    expect(seen.headers['accept-encoding']).toBeUndefined();
  });
});
