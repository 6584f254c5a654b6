import * as http from 'node:http';
import * as https from 'node:https';
import axios, {
  type AxiosAdapter,
  AxiosError,
  AxiosHeaders,
  type AxiosResponse,
  CanceledError,
  type InternalAxiosRequestConfig,
} from 'axios';

/** Axios' own Node adapter, for every request `nodeHttpAdapter` does not take. */
const axiosHttpAdapter = axios.getAdapter('http');
const USER_AGENT = `axios/${axios.VERSION}`;
const BOM = 0xfeff;

/** The parts of a base URL a request needs, parsed once a base URL. */
interface Origin {
  https: boolean;
  hostname: string;
  port: string;
  /** The base URL's path without its trailing slashes. */
  path: string;
}

/** A few base URLs (one a provider): parsed once each, not once a request. */
const origins = new Map<string, Origin | null>();
const MAX_ORIGINS = 64;

function originOf(baseURL: string): Origin | null {
  let origin = origins.get(baseURL);
  if (origin !== undefined) return origin;
  try {
    const url = new URL(baseURL);
    const plain = url.protocol === 'http:';
    origin =
      (plain || url.protocol === 'https:') && url.username === '' && url.password === '' && url.search === ''
        ? {
            https: !plain,
            hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
            port: url.port,
            path: url.pathname.replace(/\/+$/, ''),
          }
        : null;
  } catch {
    origin = null;
  }
  if (origins.size >= MAX_ORIGINS) origins.clear();
  origins.set(baseURL, origin);
  return origin;
}

/**
 * The transport's axios adapter: one form POST over `node:http`/`node:https` through the agent of the
 * config, its answer as text. Axios' own Node adapter does the same with more general work a
 * request (URL parsing, header normalization, a TCP keep-alive system call, stream plumbing for
 * compression, redirects and progress events) that a form POST answered with a small JSON body does
 * not need; see docs/benchmark.md for what it saves. Axios keeps its interface: interceptors,
 * request and response transforms, `validateStatus`, `AxiosError`s carrying the `ClientRequest`
 * (which `requestProgress` reads). Any request this adapter is not made for (a body that is not a
 * text, an absolute URL, a timeout, redirects, a proxy, a stream or progress wanted) goes to axios'
 * own adapter.
 */
export const nodeHttpAdapter: AxiosAdapter = (config) => {
  const origin = config.baseURL && config.url?.startsWith('/') ? originOf(config.baseURL) : null;
  if (
    origin === null ||
    typeof config.data !== 'string' ||
    config.timeout ||
    config.maxRedirects !== 0 ||
    config.proxy ||
    config.socketPath ||
    config.auth ||
    config.onUploadProgress ||
    config.onDownloadProgress ||
    (config.responseType !== 'text' && config.responseType !== 'json')
  ) {
    return axiosHttpAdapter(config);
  }
  return send(config, origin, config.data);
};

function send(
  config: InternalAxiosRequestConfig,
  origin: Origin,
  body: string,
): Promise<AxiosResponse<string>> {
  return new Promise((resolve, reject) => {
    const signal = config.signal;
    const headers = AxiosHeaders.from(config.headers).toJSON() as Record<string, string>;
    if (!('User-Agent' in headers) && !('user-agent' in headers)) headers['User-Agent'] = USER_AGENT;
    headers['Content-Length'] = String(Buffer.byteLength(body));
    const options: http.RequestOptions = {
      method: (config.method ?? 'post').toUpperCase(),
      // Given, not left to the module: a proxy agent (agent-base) names its socket pools by it, and
      // without it guesses from the call stack, which differs when a socket is freed, so a tunnel
      // would never be reused.
      protocol: origin.https ? 'https:' : 'http:',
      hostname: origin.hostname,
      port: origin.port || undefined,
      path: origin.path + config.url!,
      headers,
      agent: origin.https ? config.httpsAgent : config.httpAgent,
    };
    let settled = false;
    const onAbort = () => fail(new CanceledError(undefined, config, req));
    const finish = () => {
      settled = true;
      signal?.removeEventListener?.('abort', onAbort);
    };
    const fail = (error: AxiosError) => {
      if (settled) return;
      finish();
      req.destroy();
      reject(error);
    };
    const limit =
      config.maxContentLength !== undefined && config.maxContentLength > -1
        ? config.maxContentLength
        : Infinity;
    const req = (origin.https ? https : http).request(options, (res) => {
      const chunks: Buffer[] = [];
      let length = 0;
      res.on('data', (chunk: Buffer) => {
        length += chunk.length;
        // As axios' own adapter words it: the answer is cut off at the bound, the socket dropped.
        if (length > limit)
          fail(
            new AxiosError(
              `maxContentLength size of ${limit} exceeded`,
              AxiosError.ERR_BAD_RESPONSE,
              config,
              req,
            ),
          );
        else chunks.push(chunk);
      });
      res.on('aborted', () => {
        fail(new AxiosError('stream has been aborted', AxiosError.ERR_BAD_RESPONSE, config, req));
      });
      res.on('error', (e) => fail(AxiosError.from(e, undefined, config, req)));
      res.on('end', () => {
        if (settled) return;
        finish();
        let data = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8');
        if (data.charCodeAt(0) === BOM) data = data.slice(1);
        const response: AxiosResponse<string> = {
          data,
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? '',
          headers: new AxiosHeaders(res.headers as Record<string, string>),
          config,
          request: req,
        };
        const valid = config.validateStatus;
        if (!valid || valid(response.status)) resolve(response);
        else {
          const code = response.status >= 500 ? AxiosError.ERR_BAD_RESPONSE : AxiosError.ERR_BAD_REQUEST;
          reject(
            new AxiosError(`Request failed with status code ${response.status}`, code, config, req, response),
          );
        }
      });
    });
    req.on('error', (e) => fail(AxiosError.from(e, undefined, config, req)));
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener?.('abort', onAbort);
    req.end(body);
  });
}
