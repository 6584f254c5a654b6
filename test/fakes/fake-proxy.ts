import { createServer, type IncomingMessage } from 'node:http';
import { type AddressInfo, type Socket } from 'node:net';
import { createProxy, type ProxyServer } from 'proxy';

/**
 * The address the fake proxy connects to servers from: a loopback address of its own, so that a
 * fake provider tells a request that came through the proxy (`remoteAddress`) from a direct one.
 */
export const PROXY_SOURCE_ADDRESS = '127.0.0.2';

/** Credentials a `FakeProxy` asks for. */
export interface FakeProxyCredentials {
  user: string;
  password: string;
}

/**
 * A real HTTP proxy (the `proxy` package) on 127.0.0.1 that records what it was asked for: plain
 * requests with an absolute URI (http targets) and CONNECT tunnels (https targets), each with the
 * `Proxy-Authorization` it came with. With credentials, it answers 407 to any other.
 */
export class FakeProxy {
  /** `METHOD absolute-URI` of every plain request. */
  readonly requests: string[] = [];
  /** `host:port` of every CONNECT. */
  readonly connects: string[] = [];
  /** Requests and CONNECTs refused for want of the right credentials. */
  refused = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: ProxyServer) {}

  static async start(credentials?: FakeProxyCredentials): Promise<FakeProxy> {
    const server = createProxy(createServer());
    server.localAddress = PROXY_SOURCE_ADDRESS;
    const fake = new FakeProxy(server);
    if (credentials) {
      const expected = `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`;
      server.authenticate = (req: IncomingMessage) => {
        const ok = req.headers['proxy-authorization'] === expected;
        if (!ok) fake.refused++;
        return ok;
      };
    }
    server.on('request', (req: IncomingMessage) => fake.requests.push(`${req.method} ${req.url}`));
    server.on('connect', (req: IncomingMessage) => fake.connects.push(req.url ?? ''));
    server.on('connection', (socket: Socket) => {
      fake.sockets.add(socket);
      socket.on('close', () => fake.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** `http://127.0.0.1:<port>`, or with `user:password@` in it. */
  url(credentials?: FakeProxyCredentials): string {
    const auth = credentials
      ? `${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@`
      : '';
    return `http://${auth}127.0.0.1:${this.port}`;
  }

  /** Everything it was asked for, plain requests and CONNECTs. */
  get seen(): number {
    return this.requests.length + this.connects.length;
  }

  reset(): void {
    this.requests.length = 0;
    this.connects.length = 0;
    this.refused = 0;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
