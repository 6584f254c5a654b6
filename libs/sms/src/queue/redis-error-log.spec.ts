import { RedisErrorLog, isConnectionError } from './redis-error-log';

describe('RedisErrorLog', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });
  let lines: Array<[string, string]>;
  let log: RedisErrorLog;

  beforeEach(() => {
    jest.useFakeTimers({ now: 0 });
    lines = [];
    log = new RedisErrorLog(
      { error: (m: string) => lines.push(['error', m]), log: (m: string) => lines.push(['log', m]) },
      'Redis of queue "sms"',
    );
  });
  afterEach(() => jest.useRealTimers());

  /** An error every 100 ms for `ms`, as ioredis reports reconnection attempts. */
  function errorsFor(ms: number): void {
    for (let t = 0; t < ms; t += 100) {
      log.failed(refused);
      jest.advanceTimersByTime(100);
    }
  }

  it('logs the first error at once, then after 1, 2, 4, 8 … s with the count in between', () => {
    errorsFor(16_000);
    expect(lines.map(([, m]) => m)).toEqual([
      'Redis of queue "sms": connect ECONNREFUSED 127.0.0.1:6379',
      'Redis of queue "sms": connect ECONNREFUSED 127.0.0.1:6379 (down for 1.0 s, 9 more error(s) since the last line)',
      'Redis of queue "sms": connect ECONNREFUSED 127.0.0.1:6379 (down for 3.0 s, 19 more error(s) since the last line)',
      'Redis of queue "sms": connect ECONNREFUSED 127.0.0.1:6379 (down for 7.0 s, 39 more error(s) since the last line)',
      'Redis of queue "sms": connect ECONNREFUSED 127.0.0.1:6379 (down for 15.0 s, 79 more error(s) since the last line)',
    ]);
    expect(log.down).toBe(true);
  });

  it('writes one "connected again" line, and starts over at the next outage', () => {
    log.recovered();
    expect(lines).toEqual([]);
    errorsFor(2_000);
    log.recovered();
    log.recovered();
    expect(lines.filter(([level]) => level === 'log')).toEqual([
      ['log', 'Redis of queue "sms": connected again after 2.0 s (20 error(s))'],
    ]);
    expect(log.down).toBe(false);
    lines = [];
    log.failed(refused);
    expect(lines).toEqual([['error', 'Redis of queue "sms": connect ECONNREFUSED 127.0.0.1:6379']]);
  });

  it('never waits more than 5 minutes between two lines', () => {
    for (let i = 0; i < 100; i++) {
      log.failed(refused);
      jest.advanceTimersByTime(60_000);
    }
    const times = lines.map(([, m]) => Number(/down for ([\d.]+) s/.exec(m)?.[1] ?? 0));
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(300);
  });

  it('tells connection errors from others, by code or message, across realms', () => {
    expect(isConnectionError(refused)).toBe(true);
    expect(isConnectionError({ code: 'ETIMEDOUT', message: 'x' })).toBe(true);
    expect(isConnectionError(new Error('Connection is closed.'))).toBe(true);
    expect(isConnectionError(new Error('Missing lock for job 1'))).toBe(false);
    expect(isConnectionError('ECONNREFUSED')).toBe(false);
  });
});
