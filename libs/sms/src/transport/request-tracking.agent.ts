import * as http from 'node:http';
import * as https from 'node:https';
import { type Socket } from 'node:net';
import { type ConnectionOptions } from 'node:tls';

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

/**
 * Marks a socket ready for requests to be written to it: now, or at `event` (`secureConnect` for a
 * TLS handshake still under way). For agents that open their sockets themselves (./proxy-agents).
 */
export function markReady(socket: Socket, event?: 'secureConnect'): void {
  if (event) socket.once(event, onReady);
  else ready.add(socket);
}

function track(req: http.ClientRequest): void {
  progress.set(req, { finished: false, responded: false });
  req.on('finish', onFinish);
  req.on('response', onResponse);
}

type AddRequest = (req: http.ClientRequest, options: unknown) => void;
type CreateConnection = (...args: unknown[]) => Socket | undefined;

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

/** A keep-alive agent that records how far each request got (see `requestProgress`). */
export class TrackingHttpAgent extends http.Agent {}
/** The HTTPS twin of `TrackingHttpAgent`. */
export class TrackingHttpsAgent extends https.Agent {}

/**
 * Makes every request an agent class serves tracked (see `requestProgress`), through
 * `Agent#addRequest`, Node's (undocumented but stable) hook for every request an agent serves.
 */
export function trackRequests(agent: abstract new (...args: never[]) => http.Agent): void {
  const proto = agent.prototype as unknown as { addRequest: AddRequest };
  const addRequest = proto.addRequest;
  proto.addRequest = function (this: unknown, req, options) {
    track(req);
    addRequest.call(this, req, options);
  };
}

/**
 * `Agent#createConnection` is Node's hook for every socket an agent opens. A plain socket is ready
 * at `connect`; a TLS one only at `secureConnect` (Node reports a request "finished" once TLS
 * buffered it, before the handshake, which may still fail).
 */
for (const [agent, readyEvent] of [
  [TrackingHttpAgent, 'connect'],
  [TrackingHttpsAgent, 'secureConnect'],
] as const) {
  trackRequests(agent);
  const proto = agent.prototype as unknown as { createConnection: CreateConnection };
  const createConnection = proto.createConnection;
  proto.createConnection = function (this: unknown, ...args) {
    const socket = createConnection.apply(this, args);
    socket?.once(readyEvent, onReady);
    return socket;
  };
}
