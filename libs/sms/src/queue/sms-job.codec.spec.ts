import { UnrecoverableError } from 'bullmq';
import { SmsError, SmsValidationError } from '../errors';
import { type SmsFailureClass } from '../errors/sms-error-code';
import { type SendResult } from '../interfaces';
import {
  fromJobData,
  jobIdForKey,
  parseJobError,
  provablyNotSent,
  toJobData,
  toJobFailure,
  unknownRecipients,
} from './sms-job.codec';

describe('sms-job.codec', () => {
  describe('jobIdForKey', () => {
    it('derives the same id from the same key, a different one from another, never with ":"', () => {
      const a = jobIdForKey('order:42:shipped');
      expect(a).toBe(jobIdForKey('order:42:shipped'));
      expect(a).not.toBe(jobIdForKey('order:43:shipped'));
      expect(a).toMatch(/^idem-[0-9a-f]{64}$/);
    });
  });

  describe('toJobData / fromJobData', () => {
    it('carries a trace context when given one, and reads jobs with or without it alike', () => {
      const input = { to: '+79255070602', text: 'Hello' };
      const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      const traced = toJobData(input, undefined, { traceparent });
      const plain = toJobData(input);
      expect(traced.trace).toEqual({ traceparent });
      expect('trace' in plain).toBe(false);
      expect(fromJobData(traced)).toEqual(input);
      expect(fromJobData(plain)).toEqual(input);
    });

    it('keeps the known fields and sendAt as a Date through JSON', () => {
      const sendAt = new Date(Date.now() + 3_600_000);
      const input = {
        to: ['+7 925 507-06-02'],
        text: 'hi',
        sender: 'Shop',
        sendAt,
        ttlMinutes: 60,
        test: true,
      };
      const data = JSON.parse(JSON.stringify(toJobData({ ...input, extra: 'dropped' } as never, 'k-1')));
      expect(data).toEqual({
        v: 1,
        input: { ...input, sendAt: sendAt.toISOString(), idempotencyKey: 'k-1' },
      });
      const back = fromJobData(data);
      expect(back.sendAt).toBeInstanceOf(Date);
      expect(back.sendAt!.getTime()).toBe(sendAt.getTime());
      expect(back).toMatchObject({ to: ['+7 925 507-06-02'], text: 'hi', idempotencyKey: 'k-1' });
    });

    it('drops a sendAt that has passed while the job waited', () => {
      const data = toJobData({ to: '79255070602', text: 'hi', sendAt: new Date(1_000) });
      expect(fromJobData(data, 2_000)).toEqual({ to: '79255070602', text: 'hi' });
    });

    it('refuses data it cannot read', () => {
      expect(() => fromJobData({ v: 2, input: {} })).toThrow(SmsValidationError);
      expect(() => fromJobData(null)).toThrow(SmsValidationError);
    });
  });

  describe('toJobFailure / parseJobError', () => {
    it('retries only a retryable not-sent error', () => {
      const failure = toJobFailure(new SmsError('main: HTTP 503', { code: 'UNAVAILABLE', retryable: true }));
      expect(failure).not.toBeInstanceOf(UnrecoverableError);
      expect(parseJobError(failure.message)).toEqual({
        code: 'UNAVAILABLE',
        outcome: 'not_sent',
        failure: 'unavailable',
        retryable: true,
        message: 'main: HTTP 503',
      });
    });

    it('fails an unknown outcome at once, even when marked retryable', () => {
      const failure = toJobFailure(
        new SmsError('lost', { code: 'TIMEOUT', outcome: 'unknown', retryable: true }),
      );
      expect(failure).toBeInstanceOf(UnrecoverableError);
      expect(parseJobError(failure.message)).toMatchObject({
        code: 'TIMEOUT',
        outcome: 'unknown',
        failure: 'unknown',
        retryable: false,
      });
    });

    it('fails a final refusal at once', () => {
      const failure = toJobFailure(new SmsError('refused', { code: 'STOP_LIST' }));
      expect(failure).toBeInstanceOf(UnrecoverableError);
      expect(parseJobError(failure.message)).toMatchObject({
        code: 'STOP_LIST',
        outcome: 'not_sent',
        failure: 'refused',
        retryable: false,
      });
    });

    it.each(['account', 'no_route'] as const)('keeps the %s class with the job, not retried', (failure) => {
      const error = toJobFailure(new SmsError('no', { code: 'UNSUPPORTED', failure }));
      expect(error).toBeInstanceOf(UnrecoverableError);
      expect(parseJobError(error.message)).toMatchObject({ failure, outcome: 'not_sent', retryable: false });
    });

    it('reads a reason kept before the class was (` retryable` or nothing in its place)', () => {
      expect(parseJobError('UNAVAILABLE not_sent retryable: main: HTTP 503')).toEqual({
        code: 'UNAVAILABLE',
        outcome: 'not_sent',
        failure: 'unavailable',
        retryable: true,
        message: 'main: HTTP 503',
      });
      expect(parseJobError('STOP_LIST not_sent: refused')).toMatchObject({
        failure: 'refused',
        retryable: false,
      });
      expect(parseJobError('TIMEOUT unknown: lost')).toMatchObject({ failure: 'unknown', retryable: false });
    });

    it('treats any other error as an unknown outcome', () => {
      const failure = toJobFailure(new TypeError('x is undefined'));
      expect(failure).toBeInstanceOf(UnrecoverableError);
      expect(parseJobError(failure.message)).toMatchObject({
        code: 'UNKNOWN',
        outcome: 'unknown',
        message: 'TypeError: x is undefined',
      });
    });

    it('reads a reason written by BullMQ itself as an unknown outcome', () => {
      expect(parseJobError('job stalled more than allowable limit')).toEqual({
        code: 'UNKNOWN',
        outcome: 'unknown',
        failure: 'unknown',
        retryable: false,
        message: 'job stalled more than allowable limit',
      });
    });

    it('keeps a multi-line message and shortens a very long one', () => {
      expect(parseJobError(toJobFailure(new SmsError('a\nb', { code: 'AUTH' })).message).message).toBe(
        'a\nb',
      );
      const long = toJobFailure(new SmsError('x'.repeat(5_000), { code: 'AUTH' }));
      expect(parseJobError(long.message).message.length).toBeLessThanOrEqual(1_001);
    });
  });

  describe('the failure class decides', () => {
    const classes: Array<[SmsFailureClass, boolean, boolean]> = [
      ['unavailable', true, true],
      ['account', false, true],
      ['refused', false, true],
      ['no_route', false, true],
      ['unknown', false, false],
    ];

    it.each(classes)('%s: retried %s, provably not sent %s', (failure, retried, notSent) => {
      const error = new SmsError('x', { code: 'UNAVAILABLE', failure });
      expect(toJobFailure(error) instanceof UnrecoverableError).toBe(!retried);
      expect(provablyNotSent(error)).toBe(notSent);
    });

    it('anything that is not an SmsError may have sent', () => {
      expect(provablyNotSent(new TypeError('bug'))).toBe(false);
      expect(provablyNotSent('text')).toBe(false);
    });
  });

  describe('unknownRecipients', () => {
    const result = (errors: Array<SendResult['messages'][number]['error']>): SendResult => ({
      provider: 'main',
      attempts: [],
      messages: errors.map((error, i) => ({
        to: `7925507060${i}`,
        text: 't',
        accepted: !error,
        status: error ? 'failed' : 'queued',
        segments: 1,
        ...(error && { error }),
      })),
    });

    it('is undefined when every recipient has a known outcome', () => {
      expect(unknownRecipients(undefined)).toBeUndefined();
      expect(
        unknownRecipients(result([undefined, { code: 'STOP_LIST', message: 'stop', failure: 'refused' }])),
      ).toBeUndefined();
    });

    it('reports the recipients whose outcome is unknown, by outcome or by class', () => {
      const error = unknownRecipients(
        result([
          undefined,
          { code: 'UNKNOWN', message: 'system error', outcome: 'unknown' },
          { code: 'BAD_RESPONSE', message: 'odd', failure: 'unknown' },
        ]),
      );
      expect(error).toEqual({
        code: 'UNKNOWN',
        outcome: 'unknown',
        failure: 'unknown',
        retryable: false,
        message: expect.stringMatching(/^2 of 3 recipient\(s\) may have been sent \(system error\)/),
      });
    });
  });
});
