import { isAxiosError } from 'axios';
import { RECONCILE_HINT, SMS_ERROR_MESSAGES, SmsError } from '../errors';
import { proxyFailureOf, requestProgress } from './request-tracking.agent';

/**
 * Network error codes that arise only while connecting: with them the request never reached a
 * server, whatever else is known of it.
 */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL']);
/**
 * TLS alerts a server sends when it refuses the client's certificate in the handshake (mutual TLS):
 * it read no request. With TLS 1.3 the client finishes its side of the handshake first and may
 * already have handed the request on, so only the alert tells that nothing was read.
 */
const CLIENT_CERTIFICATE_REFUSED =
  /^ERR_SSL_(TLSV13_ALERT_CERTIFICATE_REQUIRED|SSLV3_ALERT_(BAD_CERTIFICATE|UNSUPPORTED_CERTIFICATE|CERTIFICATE_(REVOKED|EXPIRED|UNKNOWN)|HANDSHAKE_FAILURE)|TLSV1_ALERT_(UNKNOWN_CA|ACCESS_DENIED))$/;
const CONNECTION_LOST = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_SOCKET_CLOSED']);

/** Parses `Retry-After` (seconds or an HTTP date) into seconds. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

/**
 * Classifies an HTTP status that is not a success. 429, 503 and 408 say the request was not carried
 * out (`unavailable`); 401 and 403 that this account cannot send (`account`); any other 5xx may hide
 * a message that went out (`unknown`); any other status is a refusal of the request (`refused`).
 *
 * `forwardProxy`: the request went to an HTTP proxy as an absolute-URI request (an `http://` provider
 * behind a proxy), so the answer may be the proxy's. A 407 is then the proxy asking for credentials,
 * having forwarded nothing (`unavailable`); a 503 may be the proxy's report of a provider connection
 * lost after it forwarded the request (Envoy's "upstream reset"), so it proves nothing (`unknown`).
 * Through a CONNECT tunnel the answer is the provider's own, as on a direct connection.
 */
export function classifyHttpStatus(
  provider: string,
  status: number,
  retryAfter: unknown,
  excerpt: string,
  forwardProxy = false,
): SmsError {
  const retryAfterSeconds = parseRetryAfter(retryAfter);
  const common = { provider, httpStatus: status, retryAfterSeconds };
  if (status === 429) {
    return new SmsError(
      `${provider}: HTTP 429, ${SMS_ERROR_MESSAGES.RATE_LIMITED}; the message was not sent`,
      {
        ...common,
        code: 'RATE_LIMITED',
        failure: 'unavailable',
      },
    );
  }
  if (status === 407 && forwardProxy) {
    // A proxy that asks for credentials has forwarded nothing.
    return new SmsError(
      `${provider}: HTTP 407, the proxy refused the request (check its credentials); the message was not sent`,
      { ...common, code: 'UNAVAILABLE', failure: 'unavailable' },
    );
  }
  if ((status === 503 && !forwardProxy) || status === 408) {
    return new SmsError(`${provider}: HTTP ${status}, ${SMS_ERROR_MESSAGES.UNAVAILABLE}`, {
      ...common,
      code: 'UNAVAILABLE',
      failure: 'unavailable',
    });
  }
  if (status === 401 || status === 403) {
    return new SmsError(`${provider}: HTTP ${status}, ${SMS_ERROR_MESSAGES.AUTH}`, {
      ...common,
      code: 'AUTH',
      failure: 'account',
    });
  }
  if (status >= 500) {
    return new SmsError(
      `${provider}: HTTP ${status} (${excerpt}); the outcome is unknown. ${RECONCILE_HINT}`,
      {
        ...common,
        code: 'BAD_RESPONSE',
        failure: 'unknown',
      },
    );
  }
  return new SmsError(`${provider}: HTTP ${status} (${excerpt}), the request was refused`, {
    ...common,
    code: 'BAD_RESPONSE',
    failure: 'refused',
  });
}

/**
 * Turns whatever a request threw into an `SmsError` that tells whether the message may have gone
 * out. The raw error (which holds the request config, body and credentials) is dropped.
 *
 * Whether the request was written (every byte handed to a connected socket, for HTTPS after the TLS
 * handshake) decides, not the socket's history:
 * - not written (refused, DNS, unreachable, a TLS handshake that failed, a socket lost while
 *   connecting, a proxy that could not be reached or refused the tunnel, a client certificate
 *   refused in the TLS handshake, a timeout before the request went out): `unavailable`, provably
 *   not sent, retryable;
 * - written, then a timeout, a reset (on a fresh or a reused keep-alive socket), a partial status
 *   line or a body cut off: `unknown`, never retried, never failed over. The server may have read
 *   the request and acted on it.
 */
export function classifyTransportError(provider: string, error: unknown, timedOut: boolean): SmsError {
  if (error instanceof SmsError) return error;
  const code = isAxiosError(error) ? error.code : (error as { code?: string } | undefined)?.code;
  const progress = isAxiosError(error) ? requestProgress(error.request) : undefined;
  const timeout = timedOut || code === 'ETIMEDOUT' || code === 'ERR_CANCELED';
  // Without a tracked request: none was made (e.g. an already-aborted signal) or, with a code that
  // arises only while connecting, none reached a server. Anything else may have been written.
  const neverMade = isAxiosError(error) && !error.request;
  const refusedInHandshake =
    !progress?.reusedSocket && code !== undefined && CLIENT_CERTIFICATE_REFUSED.test(code);
  const written =
    !refusedInHandshake && (progress ? progress.written : !neverMade && !(code && NOT_CONNECTED.has(code)));

  if (!written) {
    const proxy = proxyFailureOf(error);
    if (proxy) {
      return new SmsError(`${provider}: ${proxy.message}; the message was not sent`, {
        provider,
        code: 'UNAVAILABLE',
        failure: 'unavailable',
      });
    }
    if (timeout) {
      return new SmsError(`${provider}: timed out before the request was written; the message was not sent`, {
        provider,
        code: 'TIMEOUT',
        failure: 'unavailable',
      });
    }
    const why =
      code && NOT_CONNECTED.has(code)
        ? 'cannot connect'
        : refusedInHandshake
          ? 'the provider refused the TLS client certificate (tls.cert / tls.key)'
          : 'the connection failed before the request was written';
    return new SmsError(`${provider}: ${why} (${code ?? 'connection error'}); the message was not sent`, {
      provider,
      code: 'UNAVAILABLE',
      failure: 'unavailable',
    });
  }
  if (timeout) {
    return new SmsError(
      `${provider}: the request was written, then no answer came in time; the outcome is unknown. ${RECONCILE_HINT}`,
      { provider, code: 'TIMEOUT', failure: 'unknown' },
    );
  }
  if (isAxiosError(error) && error.message.startsWith('maxContentLength size of')) {
    return new SmsError(
      `${provider}: the request was written, then the answer was larger than ${error.config?.maxContentLength} bytes and was not read; the outcome is unknown. ${RECONCILE_HINT}`,
      { provider, code: 'BAD_RESPONSE', failure: 'unknown' },
    );
  }
  const reason = code && CONNECTION_LOST.has(code) ? code : 'connection error';
  const socket = progress?.reusedSocket ? 'the reused keep-alive connection' : 'the connection';
  const when = progress?.responded ? 'while the answer was read' : 'before an answer';
  return new SmsError(
    `${provider}: the request was written, then ${socket} was lost ${when} (${reason}); the outcome is unknown. ${RECONCILE_HINT}`,
    { provider, code: 'BAD_RESPONSE', failure: 'unknown' },
  );
}
