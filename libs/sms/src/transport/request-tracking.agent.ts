import * as http from 'node:http';
import * as https from 'node:https';

/** What is known of one HTTP request when it fails: enough to tell "not sent" from "maybe sent". */
export interface RequestProgress {
  /** The request went out on a socket that had served an earlier request. */
  reusedSocket: boolean;
  /** Every byte of the request was handed to a connected socket. */
  written: boolean;
  /** At least the status line of a response came back. */
  responded: boolean;
}

/** What events tell of a request; whether its socket was reused the request itself says. */
interface Seen {
  written: boolean;
  responded: boolean;
}

const progress = new WeakMap<http.ClientRequest, Seen>();

/** The progress of a request made through a tracking agent, if it was. */
export function requestProgress(request: unknown): RequestProgress | undefined {
  if (!(request instanceof http.ClientRequest)) return undefined;
  const seen = progress.get(request);
  return seen && { reusedSocket: request.reusedSocket, written: seen.written, responded: seen.responded };
}

// Shared listeners (`this` is the request), not closures: nothing is allocated for them a request.
// `finish` and `response` are emitted at most once a request.
function onFinish(this: http.ClientRequest): void {
  const seen = progress.get(this);
  if (seen) seen.written = true;
}

function onResponse(this: http.ClientRequest): void {
  const seen = progress.get(this);
  if (seen) seen.responded = true;
}

function track(req: http.ClientRequest): void {
  progress.set(req, { written: false, responded: false });
  req.on('finish', onFinish);
  req.on('response', onResponse);
}

type AddRequest = (req: http.ClientRequest, options: unknown) => void;

/** A keep-alive agent that records how far each request got (see `requestProgress`). */
export class TrackingHttpAgent extends http.Agent {}
/** The HTTPS twin of `TrackingHttpAgent`. */
export class TrackingHttpsAgent extends https.Agent {}

/** `Agent#addRequest` is Node's (undocumented but stable) hook for every request an agent serves. */
for (const agent of [TrackingHttpAgent, TrackingHttpsAgent]) {
  const proto = agent.prototype as unknown as { addRequest: AddRequest };
  const base = proto.addRequest;
  proto.addRequest = function (this: unknown, req, options) {
    track(req);
    base.call(this, req, options);
  };
}
