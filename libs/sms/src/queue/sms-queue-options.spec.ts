import { SmsConfigurationError } from '../errors';
import { SMS_QUEUE_DEFAULTS } from './sms-queue.constants';
import { parseRedisUrl, resolveSmsQueueOptions } from './sms-queue-options';
import { type SmsQueueModuleOptions } from './sms-queue-options.interface';

describe('resolveSmsQueueOptions', () => {
  it('fills in the defaults', () => {
    const settings = resolveSmsQueueOptions({ connection: { host: '10.0.0.5' } }, 'sms');
    expect(settings).toEqual({
      queueName: 'sms',
      connection: { host: '10.0.0.5' },
      prefix: 'bull',
      concurrency: SMS_QUEUE_DEFAULTS.concurrency,
      limiter: undefined,
      providerLimiters: {},
      attempts: 13,
      backoff: { type: 'exponential', delay: 1_000 },
      worker: true,
      shutdownTimeoutMs: 25_000,
      lockDuration: 30_000,
      stalledInterval: 30_000,
      maxStalledCount: 1,
      removeOnComplete: { age: 86_400, count: 100_000 },
      removeOnFail: { age: 604_800 },
      commandTimeoutMs: 2_000,
      sendMarkTtlMs: 8 * 86_400_000,
    });
  });

  it('keeps send marks a day longer than failed jobs, and at least 7 days', () => {
    const mark = (removeOnFail: SmsQueueModuleOptions['removeOnFail']) =>
      resolveSmsQueueOptions({ connection: 'redis://127.0.0.1', removeOnFail }, 'sms').sendMarkTtlMs;
    expect(mark({ age: 30 * 86_400 })).toBe(31 * 86_400_000);
    expect(mark({ age: 60 })).toBe(7 * 86_400_000);
    expect(mark(true)).toBe(7 * 86_400_000);
    expect(mark({ count: 10 })).toBe(7 * 86_400_000);
  });

  it('checks commandTimeoutMs', () => {
    const settings = resolveSmsQueueOptions(
      { connection: 'redis://127.0.0.1', commandTimeoutMs: 500 },
      'sms',
    );
    expect(settings.commandTimeoutMs).toBe(500);
    for (const bad of [0, -1, 1.5, '2000']) {
      expect(() =>
        resolveSmsQueueOptions({ connection: 'redis://127.0.0.1', commandTimeoutMs: bad as number }, 'sms'),
      ).toThrow(/commandTimeoutMs/);
    }
  });

  it('turns a redis:// URL into connection options', () => {
    expect(resolveSmsQueueOptions({ connection: 'redis://u:p%40ss@cache:6380/2' }, 'sms').connection).toEqual(
      {
        host: 'cache',
        port: 6380,
        username: 'u',
        password: 'p@ss',
        db: 2,
      },
    );
    expect(parseRedisUrl('rediss://[::1]')).toEqual({ host: '::1', port: 6379, tls: {} });
  });

  it.each([
    [{ concurrency: 0 }, /concurrency/],
    [{ attempts: 1.5 }, /attempts/],
    [{ limiter: { max: 10 } }, /limiter/],
    [{ limiter: { max: 10, duration: -1 } }, /limiter\.duration/],
    [{ providerLimiters: { main: { max: 0, duration: 1000 } } }, /providerLimiters\.main\.max/],
    [{ backoff: {} }, /backoff/],
    [{ worker: 'yes' }, /worker/],
    [{ prefix: '' }, /prefix/],
    [{ connection: 42 }, /connection/],
  ])('refuses %j', (bad, message) => {
    const options = { connection: 'redis://127.0.0.1:6379', ...bad } as never;
    expect(() => resolveSmsQueueOptions(options, 'sms')).toThrow(SmsConfigurationError);
    expect(() => resolveSmsQueueOptions(options, 'sms')).toThrow(message);
  });

  it('refuses a queue name with ":"', () => {
    expect(() => resolveSmsQueueOptions({ connection: 'redis://x' }, 'a:b')).toThrow(/queueName/);
  });

  it('never repeats the URL of a bad connection (it may hold a password)', () => {
    const error = (() => {
      try {
        resolveSmsQueueOptions({ connection: 'mysql://root:hunter2@db' }, 'sms');
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toMatch(/redis:\/\//);
    expect(error?.message).not.toContain('hunter2');
  });
});
