import type * as http from 'node:http';
import { Logger } from '@nestjs/common';
import { getProxyForUrl } from 'proxy-from-env';
import { SmsConfigurationError } from '../errors/sms-configuration.error';
import { SMS_LOGGER_CONTEXT } from '../sms.constants';
import { type TargetTlsOptions, TrackingHttpAgent, TrackingHttpsAgent } from './request-tracking.agent';

/** TLS settings of the connections to one provider. */
export interface SmsTlsOptions {
  /** Certificate authorities to trust instead of Node's list (PEM), e.g. a corporate CA. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** A client certificate (PEM), for mutual TLS; give `key` with it. */
  cert?: string | Buffer;
  /** The private key of `cert` (PEM). */
  key?: string | Buffer;
  /** The passphrase of an encrypted `key`. */
  passphrase?: string;
  /**
   * `false` accepts any certificate of the provider (a warning is logged at start): for tests against
   * a local server, never in production. Default `true`.
   */
  rejectUnauthorized?: boolean;
}

/** How a transport reaches its provider: through a proxy or not, and with which TLS settings. */
export interface SmsEgressOptions {
  /**
   * An HTTP proxy, `http://[user:pass@]host:port` (or `https://` for a proxy spoken to over TLS),
   * or `false` for none. When not given, `HTTPS_PROXY` / `HTTP_PROXY` (by the provider URL's scheme)
   * and `NO_PROXY` are read once, when the transport is built.
   */
  proxy?: string | false;
  tls?: SmsTlsOptions;
}

/** The agents of one transport and what they must keep secret. */
export interface EgressAgents {
  httpAgent: http.Agent;
  httpsAgent: http.Agent;
  /** The proxy in use, printable (`http://***@host:port`), or `undefined` for a direct connection. */
  proxy?: string;
  /** The proxy's credentials in every form a request or an answer may carry them. */
  secrets: string[];
}

/** The TLS fields, for config checks. */
export const TLS_OPTION_FIELDS = ['ca', 'cert', 'key', 'passphrase', 'rejectUnauthorized'] as const;

/** Whether a value is a URL an HTTP proxy can have: `http:` or `https:`, with a host. */
export function isProxyUrl(value: unknown): boolean {
  return parseProxyUrl(value) !== undefined;
}

/**
 * Parses a proxy URL: `http:` or `https:`, a host, and credentials (if any) that are valid
 * URL-encoding, for they are decoded to build the `Proxy-Authorization` header.
 */
function parseProxyUrl(value: unknown): URL | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return undefined;
    decodeURIComponent(url.username);
    decodeURIComponent(url.password);
    return url;
  } catch {
    return undefined;
  }
}

/** A proxy URL as it may be printed: the credentials, when there are any, as `***`. */
export function maskProxyUrl(url: URL): string {
  return `${url.protocol}//${url.username || url.password ? '***@' : ''}${url.host}`;
}

/**
 * The proxy of a provider: the configured one, none for `false`, or the one the environment names
 * for `baseUrl` (`proxy-from-env`, which honours `NO_PROXY`). A proxy of the environment that is
 * not an http(s) URL is a configuration error, told without the URL (it may hold a password).
 */
export function resolveProxy(
  provider: string,
  baseUrl: string,
  proxy: string | false | undefined,
): URL | undefined {
  if (proxy === false) return undefined;
  const fromEnv = proxy === undefined;
  const value = fromEnv ? getProxyForUrl(baseUrl) : proxy;
  if (value === '') return undefined;
  const url = parseProxyUrl(value);
  if (!url) {
    const source = fromEnv
      ? 'the proxy of the environment (HTTPS_PROXY / HTTP_PROXY / ALL_PROXY)'
      : '"proxy"';
    throw new SmsConfigurationError(
      `provider "${provider}": ${source} must be an http:// or https:// URL, its credentials URL-encoded`,
    );
  }
  return url;
}

/**
 * The credentials of a proxy URL as they may show up: the password and the userinfo, as written and
 * decoded (the user name alone too when there is no password: it is then the credential, a token),
 * and the `Proxy-Authorization` token (last).
 */
function proxySecrets(url: URL): string[] {
  if (!url.username && !url.password) return [];
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  const spellings = [url.password, password, `${url.username}:${url.password}`, `${user}:${password}`];
  if (!url.password) spellings.push(url.username, user);
  return [...spellings.filter((s) => s.length > 0), Buffer.from(`${user}:${password}`).toString('base64')];
}

/**
 * Builds the keep-alive agents of a transport: direct ones, or proxy agents (a CONNECT tunnel for an
 * https provider, absolute-URI requests for an http one) when a proxy applies, each recording how
 * far every request got. The TLS settings apply to the connection to the provider, tunnelled or not.
 *
 * The proxy agents are given the proxy URL without its credentials and send them in a
 * `Proxy-Authorization` header made on demand, so no URL an agent keeps, prints or puts in an error
 * holds a password.
 */
export function createEgressAgents(
  provider: string,
  baseUrl: string,
  agentOptions: http.AgentOptions,
  egress: SmsEgressOptions,
): EgressAgents {
  const tls = targetTls(egress.tls);
  if (tls.rejectUnauthorized === false) {
    new Logger(SMS_LOGGER_CONTEXT).warn(
      `${provider}: tls.rejectUnauthorized is false, the provider's certificate is not verified`,
    );
  }
  const proxy = resolveProxy(provider, baseUrl, egress.proxy);
  if (!proxy) {
    return {
      httpAgent: new TrackingHttpAgent(agentOptions),
      httpsAgent: new TrackingHttpsAgent({ ...agentOptions, ...tls }),
      secrets: [],
    };
  }
  const secrets = proxySecrets(proxy);
  const headers = secrets.length > 0 ? { 'Proxy-Authorization': `Basic ${secrets[secrets.length - 1]}` } : {};
  const printable = maskProxyUrl(proxy);
  const bare = new URL(proxy.href);
  bare.username = '';
  bare.password = '';
  const options = { ...agentOptions, headers: () => ({ ...headers }) };
  // Loaded here, not on import: without a proxy, the proxy agents (ES modules) are never required.
  const { TrackingHttpProxyAgent, TrackingHttpsProxyAgent } =
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('./proxy-agents') as typeof import('./proxy-agents');
  return {
    httpAgent: new TrackingHttpProxyAgent(bare, printable, options),
    httpsAgent: new TrackingHttpsProxyAgent(bare, printable, options, tls),
    proxy: printable,
    secrets,
  };
}

/** The TLS settings given, as Node's connection options (unset ones left out). */
function targetTls(tls: SmsTlsOptions | undefined): TargetTlsOptions {
  if (!tls) return {};
  const { ca, cert, key, passphrase, rejectUnauthorized } = tls;
  return Object.fromEntries(
    Object.entries({ ca, cert, key, passphrase, rejectUnauthorized }).filter(([, v]) => v !== undefined),
  );
}
