import { AxiosError } from 'axios';
import { SmsError } from '../errors';
import { classifyHttpStatus, classifyTransportError, parseRetryAfter } from './classify';

describe('classifyTransportError without a tracked request', () => {
  it('passes an SmsError through', () => {
    const error = new SmsError('x', { code: 'UNAVAILABLE', failure: 'unavailable' });
    expect(classifyTransportError('main', error, false)).toBe(error);
  });

  it('an axios error with no request made is unavailable: nothing went out', () => {
    const error = classifyTransportError('main', new AxiosError('aborted', 'ERR_CANCELED'), true);
    expect(error).toMatchObject({ code: 'TIMEOUT', failure: 'unavailable', outcome: 'not_sent' });
  });

  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL'])(
    '%s arises only while connecting: unavailable',
    (code) => {
      expect(classifyTransportError('main', { code }, false)).toMatchObject({
        code: 'UNAVAILABLE',
        failure: 'unavailable',
      });
    },
  );

  it.each(['ECONNRESET', 'EPIPE', 'EHOSTUNREACH', undefined])(
    '%s with nothing known of the request: unknown (it may have been written)',
    (code) => {
      expect(classifyTransportError('main', { code }, false)).toMatchObject({
        failure: 'unknown',
        outcome: 'unknown',
        retryable: false,
      });
    },
  );
});

describe('classifyHttpStatus', () => {
  it('keeps the Retry-After of a 429 and classes it unavailable', () => {
    expect(classifyHttpStatus('main', 429, '7', '')).toMatchObject({
      code: 'RATE_LIMITED',
      failure: 'unavailable',
      retryAfterSeconds: 7,
      httpStatus: 429,
    });
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});
