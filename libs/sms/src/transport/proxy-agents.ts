import * as http from 'node:http';
import { type Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { HttpProxyAgent, type HttpProxyAgentOptions } from 'http-proxy-agent';
import { HttpsProxyAgent, type HttpsProxyAgentOptions } from 'https-proxy-agent';
import { markReady, ProxyFailure, type TargetTlsOptions, trackRequests } from './request-tracking.agent';

// The proxy agents of ./egress, loaded only when a provider goes through a proxy: `https-proxy-agent`
// and `http-proxy-agent` are ES modules, which Node 20 `require`s from 20.19 on.

type ProxyConnectOptions = Parameters<HttpsProxyAgent<string>['connect']>[1];

/** A failure to reach the proxy, told without the proxy's own error (whose text is not ours). */
function unreachable(proxy: string, error: unknown): ProxyFailure {
  const code = (error as { code?: unknown } | undefined)?.code;
  const known = typeof code === 'string' ? code : 'ERR_PROXY_CONNECTION';
  return new ProxyFailure(`cannot connect to the proxy ${proxy} (${known})`, known);
}

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
    options: HttpsProxyAgentOptions<string>,
    private readonly targetTls: TargetTlsOptions,
  ) {
    super(proxy, options);
  }

  override async connect(req: http.ClientRequest, opts: ProxyConnectOptions): Promise<Socket> {
    let status: number | undefined;
    const onProxyConnect = (connect: { statusCode: number }) => (status = connect.statusCode);
    req.once('proxyConnect', onProxyConnect);
    let socket: Socket;
    try {
      socket = await super.connect(req, { ...opts, ...this.targetTls });
    } catch (e) {
      throw unreachable(this.printable, e);
    } finally {
      req.off('proxyConnect', onProxyConnect);
    }
    if (status !== 200) {
      socket.destroy();
      // The standard reason phrase, not the proxy's own text.
      const answer =
        status === undefined ? 'no answer' : `HTTP ${status} ${http.STATUS_CODES[status] ?? ''}`.trim();
      throw new ProxyFailure(
        `the proxy ${this.printable} refused the tunnel to the provider (${answer})`,
        'ERR_PROXY_REFUSED',
      );
    }
    if (opts.secureEndpoint) markReady(socket, 'secureConnect');
    else markReady(socket);
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
    if (socket instanceof TLSSocket) markReady(socket, 'secureConnect');
    else markReady(socket);
    return socket;
  }
}

for (const agent of [TrackingHttpProxyAgent, TrackingHttpsProxyAgent]) trackRequests(agent);
