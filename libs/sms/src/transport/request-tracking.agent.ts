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

const progress = new WeakMap<http.ClientRequest, RequestProgress>();

/** The progress of a request made through a tracking agent, if it was. */
export function requestProgress(request: unknown): RequestProgress | undefined {
  return request instanceof http.ClientRequest ? progress.get(request) : undefined;
}

function track(req: http.ClientRequest): void {
  const state: RequestProgress = { reusedSocket: false, written: false, responded: false };
  progress.set(req, state);
  req.once('socket', () => {
    state.reusedSocket = req.reusedSocket;
  });
  req.once('finish', () => {
    state.written = true;
  });
  req.once('response', () => {
    state.responded = true;
  });
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

