import * as http from 'node:http';
import * as https from 'node:https';
import { type Socket } from 'node:net';
import { type ConnectionOptions, TLSSocket } from 'node:tls';
import { HttpProxyAgent, type HttpProxyAgentOptions } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';

/** What is known of one HTTP request when it fails: enough to tell "not sent" from "maybe sent". */
export interface RequestProgress {
  /** The request went out on a socket that had served an earlier request. */
  reusedSocket: boolean;
  /**
   * Every byte of the request was handed to a socket that was connected (for HTTPS: whose TLS
   * handshake had completed), so the server may have read it. A request whose socket failed during
   * connect or the TLS handshake is not written, even though Node buffered its bytes.
   */
  written: boolean;
  /** At least the status line and headers of a response came back. */
  responded: boolean;
}

/** What events tell of a request; whether its socket was reused the request itself says. */
interface Seen {
  /** Node handed the last byte on (`finish`); for TLS that may be into the handshake's buffer. */
  finished: boolean;
  responded: boolean;
}

const progress = new WeakMap<http.ClientRequest, Seen>();
/** Sockets that connected (HTTP) or completed their TLS handshake (HTTPS). */
const ready = new WeakSet<Socket>();

/** The progress of a request made through a tracking agent, if it was. */
export function requestProgress(request: unknown): RequestProgress | undefined {
  if (!(request instanceof http.ClientRequest)) return undefined;
  const seen = progress.get(request);
  if (!seen) return undefined;
  const socket = request.socket as Socket | null;
  return {
    reusedSocket: request.reusedSocket,
    written: seen.finished && socket !== null && ready.has(socket),
    responded: seen.responded,
  };
}

// Shared listeners (`this` is the request or the socket), not closures: nothing is allocated for
// them a request. `finish` and `response` are emitted at most once a request.
function onFinish(this: http.ClientRequest): void {
  const seen = progress.get(this);
  if (seen) seen.finished = true;
}

function onResponse(this: http.ClientRequest): void {
  const seen = progress.get(this);
  if (seen) seen.responded = true;
}

function onReady(this: Socket): void {
  ready.add(this);
}

function track(req: http.ClientRequest): void {
  progress.set(req, { finished: false, responded: false });
  req.on('finish', onFinish);
  req.on('response', onResponse);
}

type AddRequest = (req: http.ClientRequest, options: unknown) => void;
type CreateConnection = (...args: unknown[]) => Socket | undefined;
type ProxyConnectOptions = Parameters<HttpsProxyAgent<string>['connect']>[1];

/** The TLS settings of the connection to the provider. */
export type TargetTlsOptions = Pick<
  ConnectionOptions,
  'ca' | 'cert' | 'key' | 'passphrase' | 'rejectUnauthorized'
>;

/**
 * A proxy that could not be reached, or would not open the tunnel to the provider: nothing reached
 * the provider. Its message names the proxy without credentials (`http://***@host:port`).
 */
export class ProxyFailure extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'ProxyFailure';
  }
}

/** The `ProxyFailure` behind an error (itself, or the `cause` axios keeps of it), if there is one. */
export function proxyFailureOf(error: unknown): ProxyFailure | undefined {
  if (error instanceof ProxyFailure) return error;
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  return cause instanceof ProxyFailure ? cause : undefined;
}

/** A failure to reach the proxy, told without the proxy's own error (whose text is not ours). */
function unreachable(proxy: string, error: unknown): ProxyFailure {
  const code = (error as { code?: unknown } | undefined)?.code;
  const known = typeof code === 'string' ? code : 'ERR_PROXY_CONNECTION';
  return new ProxyFailure(`cannot connect to the proxy ${proxy} (${known})`, known);
}

/** A keep-alive agent that records how far each request got (see `requestProgress`). */
export class TrackingHttpAgent extends http.Agent {}
/** The HTTPS twin of `TrackingHttpAgent`. */
export class TrackingHttpsAgent extends https.Agent {}

/**
 * Reaches the provider through a CONNECT tunnel of an HTTP proxy (`https-proxy-agent`), TLS to the
 * provider inside it, and records how far each request got: a request is ready to be written once
 * the proxy answered 200 and (for an https provider) the TLS handshake with the provider completed.
 * A proxy that cannot be reached or answers anything but 200 fails the request with a
 * `ProxyFailure` before a byte of it went out.
 */
export class TrackingHttpsProxyAgent extends HttpsProxyAgent<string> {
  constructor(
    proxy: URL,
    private readonly printable: string,
    options: HttpProxyAgentOptions<string>,
    private readonly targetTls: TargetTlsOptions,
  ) {
    super(proxy, options);
  }

  override async connect(req: http.ClientRequest, opts: ProxyConnectOptions): Promise<Socket> {
    let answer: { statusCode: number; statusText: string } | undefined;
    const onProxyConnect = (connect: typeof answer) => (answer = connect);
    req.once('proxyConnect', onProxyConnect);
    let socket: Socket;
    try {
      socket = await super.connect(req, { ...opts, ...this.targetTls });
    } catch (e) {
      throw unreachable(this.printable, e);
    } finally {
      req.off('proxyConnect', onProxyConnect);
    }
    if (answer?.statusCode !== 200) {
      socket.destroy();
      const status = answer ? `HTTP ${answer.statusCode} ${answer.statusText}`.trim() : 'no answer';
      throw new ProxyFailure(
        `the proxy ${this.printable} refused the tunnel to the provider (${status})`,
        'ERR_PROXY_REFUSED',
      );
    }
    if (opts.secureEndpoint) socket.once('secureConnect', onReady);
    else ready.add(socket);
    return socket;
  }
}

/**
 * Sends requests to an http provider through an HTTP proxy, as absolute-URI requests
 * (`http-proxy-agent`), and records how far each got: a request is ready to be written once the
 * socket to the proxy connected (for an `https:` proxy: its TLS handshake completed).
 */
export class TrackingHttpProxyAgent extends HttpProxyAgent<string> {
  constructor(
    proxy: URL,
    private readonly printable: string,
    options: HttpProxyAgentOptions<string>,
  ) {
    super(proxy, options);
  }

  override async connect(req: http.ClientRequest, opts: ProxyConnectOptions): Promise<Socket> {
    let socket: Socket;
    try {
      socket = await super.connect(req as Parameters<HttpProxyAgent<string>['connect']>[0], opts);
    } catch (e) {
      throw unreachable(this.printable, e);
    }
    if (socket instanceof TLSSocket) socket.once('secureConnect', onReady);
    else ready.add(socket);
    return socket;
  }
}

/**
 * `Agent#addRequest` and `Agent#createConnection` are Node's (undocumented but stable) hooks for
 * every request an agent serves and every socket it opens. A plain socket is ready at `connect`; a
 * TLS one only at `secureConnect` (Node reports a request "finished" once TLS buffered it, before the
 * handshake, which may still fail). The proxy agents tell readiness in their `connect`.
 */
for (const agent of [
  TrackingHttpAgent,
  TrackingHttpsAgent,
  TrackingHttpProxyAgent,
  TrackingHttpsProxyAgent,
]) {
  const proto = agent.prototype as unknown as { addRequest: AddRequest };
  const addRequest = proto.addRequest;
  proto.addRequest = function (this: unknown, req, options) {
    track(req);
    addRequest.call(this, req, options);
  };
}
for (const [agent, readyEvent] of [
  [TrackingHttpAgent, 'connect'],
  [TrackingHttpsAgent, 'secureConnect'],
] as const) {
  const proto = agent.prototype as unknown as { createConnection: CreateConnection };
  const createConnection = proto.createConnection;
  proto.createConnection = function (this: unknown, ...args) {
    const socket = createConnection.apply(this, args);
    socket?.once(readyEvent, onReady);
    return socket;
  };
}
