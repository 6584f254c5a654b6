import type { Attributes } from '@opentelemetry/api';
import { SmsError } from '../errors/sms.error';
import { instruments, PROVIDER_ERROR } from './metrics';
import { SpanKinds, activate, failSpan, recording, startSpan } from './spans';

/** The attributes of the HTTP spans of one base URL and path: host, port and path only, no query. */
const targets = new Map<string, Map<string, Attributes>>();

function target(provider: string, baseUrl: string, path: string): Attributes {
  let paths = targets.get(baseUrl);
  if (!paths) targets.set(baseUrl, (paths = new Map()));
  let attributes = paths.get(path);
  if (!attributes) {
    const url = new URL(baseUrl);
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    attributes = Object.freeze({
      'sms.provider': provider,
      'http.request.method': 'POST',
      'server.address': url.hostname,
      'server.port': port,
      // The path only: the query is never recorded.
      'url.path': `${url.pathname.replace(/\/+$/, '')}/${path.replace(/^\/+/, '').split('?')[0]}`,
    });
    paths.set(path, attributes);
  }
  return attributes;
}

/**
 * One HTTP try as a `POST` CLIENT span, a child of the active span: server, port, path, the answer's
 * status, and `http.request.resend_count` for the tries after the first.
 */
export function traceHttpTry<T extends { status: number }>(
  provider: string,
  baseUrl: string,
  path: string,
  resendCount: number,
  post: () => Promise<T>,
): Promise<T> {
  const span = startSpan('POST', SpanKinds.CLIENT);
  if (!span) return post();
  if (recording(span)) {
    span.setAttributes(target(provider, baseUrl, path));
    if (resendCount > 0) span.setAttribute('http.request.resend_count', resendCount);
  }
  return activate(span, post).then(
    (answer) => {
      if (recording(span)) span.setAttribute('http.response.status_code', answer.status);
      span.end();
      return answer;
    },
    (error: unknown) => {
      if (recording(span) && error instanceof SmsError && error.httpStatus !== undefined) {
        span.setAttribute('http.response.status_code', error.httpStatus);
      }
      failSpan(span, error);
      span.end();
      throw error;
    },
  );
}

/** `sms.retries`: one transport retry. */
export function countRetry(provider: string, error: SmsError): void {
  instruments()?.retries.add(1, PROVIDER_ERROR.get(provider, error.code));
}
