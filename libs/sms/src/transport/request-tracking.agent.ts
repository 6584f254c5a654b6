import * as http from 'node:http';
import * as https from 'node:https';
import { type Socket } from 'node:net';

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

/** A keep-alive agent that records how far each request got (see `requestProgress`). */
export class TrackingHttpAgent extends http.Agent {}
/** The HTTPS twin of `TrackingHttpAgent`. */
export class TrackingHttpsAgent extends https.Agent {}

/**
 * `Agent#addRequest` and `Agent#createConnection` are Node's (undocumented but stable) hooks for
 * every request an agent serves and every socket it opens. A plain socket is ready at `connect`; a
 * TLS one only at `secureConnect` (Node reports a request "finished" once TLS buffered it, before the
 * handshake, which may still fail).
 */
for (const [agent, readyEvent] of [
  [TrackingHttpAgent, 'connect'],
  [TrackingHttpsAgent, 'secureConnect'],
] as const) {
  const proto = agent.prototype as unknown as { addRequest: AddRequest; createConnection: CreateConnection };
  const addRequest = proto.addRequest;
  proto.addRequest = function (this: unknown, req, options) {
    track(req);
    addRequest.call(this, req, options);
  };
  const createConnection = proto.createConnection;
  proto.createConnection = function (this: unknown, ...args) {
    const socket = createConnection.apply(this, args);
    socket?.once(readyEvent, onReady);
    return socket;
  };
}
