import dns from 'node:dns';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions as HttpsServerOptions } from 'node:https';
import {
  type AddressInfo,
  type Server as NetServer,
  type Socket,
  createServer as createNetServer,
} from 'node:net';

/** A request as the fake server saw it on the wire. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** The query string, parsed. */
  query: URLSearchParams;
  /** Path and query as sent. */
  url: string;
  headers: IncomingMessage['headers'];
  /** The raw body. */
  body: string;
  /** The body parsed as a form. */
  form: URLSearchParams;
  at: number;
  /** The number of the TCP connection it came on (1 for the server's first connection). */
  connection: number;
  /** It came on a kept-alive connection that had carried an earlier request. */
  reusedConnection: boolean;
  /** The address the connection came from (a proxy's when the request came through one). */
  remoteAddress: string;
}

/** What the fake answers: a reply, or a fault. */
export type FakeReply =
  | { status?: number; headers?: Record<string, string>; body?: string; delayMs?: number }
  /**
   * A fault once the whole request has arrived (the request is recorded first):
   * - `reset`: reset the connection without answering (on a kept-alive connection too: answer one
   *   request, then script `reset` for the next);
   * - `partial-status`: write `HTTP/1.1 2` and destroy the connection;
   * - `truncated-body`: write a 200 status and headers announcing a longer body than is sent, part
   *   of the body, and destroy the connection;
   * - `hang`: never answer (until the server closes).
   */
  | { fault: FakeFault };

/** The faults a `FakeReply` can script. */
export type FakeFault = 'reset' | 'partial-status' | 'truncated-body' | 'hang';

/** Settings of a fake server. */
export interface FakeHttpServerOptions {
  /** How long the server keeps an idle connection open. Default Node's 5 s. */
  keepAliveTimeoutMs?: number;
  /** Serve HTTPS with these settings (`key`, `cert`; `requestCert` + `ca` for mutual TLS). */
  tls?: HttpsServerOptions;
}

export type FakeHandler = (request: RecordedRequest) => FakeReply | Promise<FakeReply>;

/**
 * A real HTTP server on 127.0.0.1 for provider tests: it records every request and answers through a
 * handler, with scripted one-off replies and faults (resets, hangs, delays) queued in front of it.
 */
export class FakeHttpServer {
  readonly requests: RecordedRequest[] = [];
  /** Requests being handled now, and the most ever at once. */
  inFlight = 0;
  maxInFlight = 0;
  /** TCP connections accepted so far (for HTTPS: that completed the TLS handshake). */
  connections = 0;
  /** TLS handshakes that failed (HTTPS only). */
  tlsFailures = 0;
  private readonly scripted: FakeReply[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly connectionOf = new WeakMap<Socket, { id: number; requests: number }>();
  private readonly hanging = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    private handler: FakeHandler,
    private readonly scheme: 'http' | 'https',
  ) {}

  /** Starts a server on a free port of 127.0.0.1. */
  static async start(handler: FakeHandler, options: FakeHttpServerOptions = {}): Promise<FakeHttpServer> {
    const server: Server = options.tls ? createHttpsServer(options.tls) : createServer();
    if (options.keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = options.keepAliveTimeoutMs;
    const fake = new FakeHttpServer(server, handler, options.tls ? 'https' : 'http');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void fake.handle(req, res));
    server.on('connection', (socket: Socket) => {
      fake.sockets.add(socket);
      socket.on('close', () => fake.sockets.delete(socket));
    });
    // A request's socket is the TLS one over HTTPS, the TCP one over HTTP.
    server.on(options.tls ? 'secureConnection' : 'connection', (socket: Socket) => {
      fake.connectionOf.set(socket, { id: ++fake.connections, requests: 0 });
    });
    server.on('tlsClientError', () => fake.tlsFailures++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** `http://127.0.0.1:<port>` (`https://` when it serves TLS) */
  get url(): string {
    return `${this.scheme}://127.0.0.1:${this.port}`;
  }

  /** TCP connections open now (kept-alive idle ones included). */
  get openConnections(): number {
    return this.sockets.size;
  }

  /** Replaces the handler. */
  setHandler(handler: FakeHandler): void {
    this.handler = handler;
  }

  /** Answers the next requests with these replies, in order, before the handler takes over again. */
  script(...replies: FakeReply[]): void {
    this.scripted.push(...replies);
  }

  /** Requests to one path. */
  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  reset(): void {
    this.requests.length = 0;
    this.scripted.length = 0;
    this.maxInFlight = this.inFlight;
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      const url = req.url ?? '/';
      const [path, query = ''] = url.split('?', 2);
      const connection = this.connectionOf.get(req.socket) ?? { id: 0, requests: 0 };
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path,
        query: new URLSearchParams(query),
        url,
        headers: req.headers,
        body,
        form: new URLSearchParams(body),
        at: Date.now(),
        connection: connection.id,
        reusedConnection: connection.requests++ > 0,
        remoteAddress: req.socket.remoteAddress ?? '',
      };
      this.requests.push(recorded);
      const reply = this.scripted.shift() ?? (await this.handler(recorded));
      if ('fault' in reply) {
        this.fault(reply.fault, req.socket, res);
        return;
      }
      if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
      if (res.destroyed) return;
      res.writeHead(reply.status ?? 200, {
        'content-type': 'application/json; charset=utf-8',
        ...reply.headers,
      });
      res.end(reply.body ?? '');
    } finally {
      this.inFlight--;
    }
  }

  private fault(fault: FakeFault, socket: Socket, res: ServerResponse): void {
    if (fault === 'hang') {
      this.hanging.add(res);
    } else if (fault === 'reset') {
      socket.resetAndDestroy();
    } else if (fault === 'partial-status') {
      socket.end('HTTP/1.1 2', () => socket.destroy());
    } else {
      const head = 'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 64\r\n\r\n';
      socket.end(`${head}{"status":"OK","sms":`, () => socket.destroy());
    }
  }
}

/**
 * A TCP server on 127.0.0.1 that answers the first bytes of every connection with an HTTP text and
 * closes: to an HTTPS client it is a server whose TLS handshake fails before any request is written.
 */
export class FakeTlsFailingServer {
  /** TCP connections accepted (each a handshake attempt; no HTTP request ever gets through). */
  connections = 0;

  private constructor(private readonly server: NetServer) {}

  static async start(): Promise<FakeTlsFailingServer> {
    const server = createNetServer();
    const fake = new FakeTlsFailingServer(server);
    server.on('connection', (socket) => {
      fake.connections++;
      socket.on('error', () => undefined);
      socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\n\r\nnot TLS'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** `https://127.0.0.1:<port>` */
  get url(): string {
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * Makes name resolution of `host` fail with `ENOTFOUND` (every other name resolves as usual), so a
 * test can have a DNS failure without asking a real resolver. Node's sockets look names up through
 * `dns.lookup`, read at each connection. Call `restore()` when done.
 */
export function failDnsFor(host: string): { lookups: () => number; restore: () => void } {
  const module = dns as unknown as { lookup: (...args: unknown[]) => void };
  const original = module.lookup;
  let lookups = 0;
  module.lookup = (name: unknown, ...rest: unknown[]) => {
    if (name !== host) return original(name, ...rest);
    lookups++;
    const callback = rest[rest.length - 1] as (error: Error) => void;
    const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), {
      code: 'ENOTFOUND',
      hostname: host,
    });
    process.nextTick(callback, error);
  };
  return {
    lookups: () => lookups,
    restore: () => {
      module.lookup = original;
    },
  };
}
