import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, type Socket } from 'node:net';

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
}

/** What the fake answers: a reply, or a fault. */
export type FakeReply =
  | { status?: number; headers?: Record<string, string>; body?: string; delayMs?: number }
  /** Destroy the connection once the request has arrived, without answering. */
  | { fault: 'reset' }
  /** Never answer (until the server closes). */
  | { fault: 'hang' };

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
  private readonly scripted: FakeReply[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly hanging = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    private handler: FakeHandler,
  ) {}

  /** Starts a server on a free port of 127.0.0.1. */
  static async start(handler: FakeHandler): Promise<FakeHttpServer> {
    const server = createServer();
    const fake = new FakeHttpServer(server, handler);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void fake.handle(req, res));
    server.on('connection', (socket) => {
      fake.sockets.add(socket);
      socket.on('close', () => fake.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** `http://127.0.0.1:<port>` */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
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
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path,
        query: new URLSearchParams(query),
        url,
        headers: req.headers,
        body,
        form: new URLSearchParams(body),
        at: Date.now(),
      };
      this.requests.push(recorded);
      const reply = this.scripted.shift() ?? (await this.handler(recorded));
      if ('fault' in reply) {
        if (reply.fault === 'reset') req.socket.resetAndDestroy();
        else this.hanging.add(res);
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
}
