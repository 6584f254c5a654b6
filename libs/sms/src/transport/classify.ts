import { isAxiosError } from 'axios';
import { RECONCILE_HINT, SMS_ERROR_MESSAGES, SmsError } from '../errors';
import { requestProgress } from './request-tracking.agent';

/** Network error codes that mean the request never reached a server. */
const NOT_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EADDRNOTAVAIL',
]);
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
 * out; any other 5xx may hide a message that went out.
 */
export function classifyHttpStatus(
  provider: string,
  status: number,
  retryAfter: unknown,
  excerpt: string,
): SmsError {
  const retryAfterSeconds = parseRetryAfter(retryAfter);
  const common = { provider, httpStatus: status, retryAfterSeconds };
  if (status === 429) {
    return new SmsError(`${provider}: HTTP 429, ${SMS_ERROR_MESSAGES.RATE_LIMITED}`, {
      ...common,
      code: 'RATE_LIMITED',
      retryable: true,
    });
  }
  if (status === 503 || status === 408) {
    return new SmsError(`${provider}: HTTP ${status}, ${SMS_ERROR_MESSAGES.UNAVAILABLE}`, {
      ...common,
      code: 'UNAVAILABLE',
      retryable: true,
    });
  }
  if (status === 401 || status === 403) {
    return new SmsError(`${provider}: HTTP ${status}, ${SMS_ERROR_MESSAGES.AUTH}`, {
      ...common,
      code: 'AUTH',
    });
  }
  if (status >= 500) {
    return new SmsError(`${provider}: HTTP ${status} (${excerpt}). ${RECONCILE_HINT}`, {
      ...common,
      code: 'BAD_RESPONSE',
      outcome: 'unknown',
    });
  }
  return new SmsError(`${provider}: HTTP ${status} (${excerpt}), the request was refused`, {
    ...common,
    code: 'BAD_RESPONSE',
  });
}

/**
 * Turns whatever a request threw into an `SmsError` that tells whether the message may have gone
 * out. The raw error (which holds the request config, body and credentials) is dropped.
 *
 * - never connected (refused, DNS, unreachable): `UNAVAILABLE`, not sent, retryable;
 * - lost on a reused keep-alive socket before any answer: not sent, retryable (the server had closed
 *   the idle socket);
 * - timed out or lost after the request was written: `TIMEOUT` / `BAD_RESPONSE`, outcome unknown;
 * - timed out before the request was written: `TIMEOUT`, not sent, retryable.
 */
export function classifyTransportError(provider: string, error: unknown, timedOut: boolean): SmsError {
  if (error instanceof SmsError) return error;
  const code = isAxiosError(error) ? error.code : (error as { code?: string } | undefined)?.code;
  const progress = isAxiosError(error) ? requestProgress(error.request) : undefined;
  // No request object at all: axios gave up before one was made (e.g. an already-aborted signal).
  const neverMade = isAxiosError(error) && !error.request;
  const written = progress?.written ?? !neverMade;
  const responded = progress?.responded ?? false;

  if (code && NOT_CONNECTED.has(code)) {
    return new SmsError(`${provider}: cannot connect (${code}); the message was not sent`, {
      provider,
      code: 'UNAVAILABLE',
      retryable: true,
    });
  }
  if (timedOut || code === 'ETIMEDOUT' || code === 'ERR_CANCELED') {
    if (!written) {
      return new SmsError(`${provider}: timed out before the request was sent; the message was not sent`, {
        provider,
        code: 'TIMEOUT',
        retryable: true,
      });
    }
    return new SmsError(`${provider}: ${SMS_ERROR_MESSAGES.TIMEOUT}. ${RECONCILE_HINT}`, {
      provider,
      code: 'TIMEOUT',
      outcome: 'unknown',
    });
  }
  if (!responded && (progress?.reusedSocket || !written)) {
    return new SmsError(
      `${provider}: connection closed before the request was taken (${code ?? 'reset'}); the message was not sent`,
      {
        provider,
        code: 'UNAVAILABLE',
        retryable: true,
      },
    );
  }
  const reason = code && CONNECTION_LOST.has(code) ? code : 'connection error';
  return new SmsError(`${provider}: connection lost without an answer (${reason}). ${RECONCILE_HINT}`, {
    provider,
    code: 'BAD_RESPONSE',
    outcome: 'unknown',
  });
}
