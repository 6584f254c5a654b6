import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { SmsConfigurationError, SmsError } from '../errors';
import { MemoryProvider } from '../providers/memory';
import { SmsModule } from '../sms.module';
import { resolveSmsOptions } from '../sms-options';
import { SmsService } from '../sms.service';
import { AntiFloodGuard, clientIpKey } from './anti-flood';
import { MemoryRateLimitStore } from './memory-rate-limit.store';

const HOUR = 3_600_000;
const phone = (i: number) => `7925${String(1_000_000 + i)}`;

async function failure(work: Promise<unknown>): Promise<SmsError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SmsError);
  return error as SmsError;
}

describe('MemoryRateLimitStore', () => {
  let warn: jest.SpyInstance;

  beforeEach(() => {
    jest.useFakeTimers({ now: Date.parse('2025-06-01T12:00:00Z') });
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => {
    jest.useRealTimers();
    warn.mockRestore();
  });

  it('keeps a number limited to 1 an hour limited after 101 000 other numbers were sent to', async () => {
    const guard = new AntiFloodGuard({ perNumber: [{ max: 1, windowMs: HOUR }] }, new MemoryRateLimitStore());
    await guard.check([phone(0)], undefined);
    const refused: SmsError[] = [];
    for (let i = 1; i <= 101_000; i++) {
      await guard.check([phone(i)], undefined).catch((e: SmsError) => refused.push(e));
    }
    // 99 999 others fit beside the limited number; the store then fails closed for new numbers.
    expect(refused).toHaveLength(1001);
    expect(refused[0]).toMatchObject({ code: 'RATE_LIMITED', outcome: 'not_sent', retryAfterSeconds: 3600 });
    expect(refused[0].message).toContain('store of counters is full');
    expect(warn).toHaveBeenCalledTimes(1);

    const limited = await failure(guard.check([phone(0)], undefined));
    expect(limited).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 3600 });
    expect(limited.message).toContain('at most 1 SMS per 3600 s');
  });

  it('sweeps ended windows and admits new keys again', async () => {
    const store = new MemoryRateLimitStore(2);
    await store.hit('a', 1000);
    jest.advanceTimersByTime(500);
    await store.hit('b', 60_000);
    expect(await failure(store.hit('c', 1000))).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 1 });
    expect(await store.hit('b', 60_000)).toEqual({ count: 2, resetInMs: 60_000 });
    jest.advanceTimersByTime(500);
    expect(store.size).toBe(1);
    expect(await store.hit('c', 1000)).toEqual({ count: 1, resetInMs: 1000 });
    expect(store.size).toBe(2);
    expect(await failure(store.hit('a', 1000))).toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('starts a new window for a key whose window ended, without growing', async () => {
    const store = new MemoryRateLimitStore(1);
    expect(await store.hit('a', 1000)).toEqual({ count: 1, resetInMs: 1000 });
    expect(await store.hit('a', 1000)).toEqual({ count: 2, resetInMs: 1000 });
    jest.advanceTimersByTime(1000);
    expect(await store.hit('a', 1000)).toEqual({ count: 1, resetInMs: 1000 });
  });
});

describe('anti-flood through SmsService', () => {
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  it('takes the capacity as antiFlood.maxEntries and fails closed at it, sending nothing', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        SmsModule.forRoot({
          providers: { dev: { driver: 'memory' } },
          antiFlood: { perNumber: [{ max: 5, windowMs: HOUR }], maxEntries: 3 },
        }),
      ],
    }).compile();
    const sms = moduleRef.get(SmsService);
    const memory = sms.driver('dev', MemoryProvider);
    await sms.send({ to: [phone(1), phone(2), phone(3)], text: 'x' });
    await expect(sms.send({ to: phone(4), text: 'x' })).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      outcome: 'not_sent',
    });
    await sms.send({ to: phone(1), text: 'y' });
    expect(memory.outbox.size).toBe(4);
    await moduleRef.close();
  });

  it('refuses a capacity that is not a positive number at start', () => {
    expect(() =>
      resolveSmsOptions({ providers: { dev: { driver: 'memory' } }, antiFlood: { maxEntries: 0 } }),
    ).toThrow(new SmsConfigurationError('"antiFlood.maxEntries" must be a positive number'));
  });

  it('counts an IPv6 client by its /64 network', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        SmsModule.forRoot({
          providers: { dev: { driver: 'memory' } },
          antiFlood: { perIp: [{ max: 1, windowMs: HOUR }] },
        }),
      ],
    }).compile();
    const sms = moduleRef.get(SmsService);
    await sms.send({ to: phone(1), text: 'x', clientIp: '2a00:1450:4010:c05::8b' });
    await expect(
      sms.send({ to: phone(2), text: 'x', clientIp: '2A00:1450:4010:0C05:1234:5678:9ABC:DEF0' }),
    ).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await expect(
      sms.send({ to: phone(3), text: 'x', clientIp: '2a00:1450:4010:c06::8b' }),
    ).resolves.toBeDefined();
    await moduleRef.close();
  });
});

describe('clientIpKey', () => {
  it.each([
    ['77.88.8.8', '77.88.8.8'],
    ['2a00:1450:4010:c05::8b', '2a00:1450:4010:c05::/64'],
    ['2a00:1450::1', '2a00:1450:0:0::/64'],
    ['2a00::', '2a00:0:0:0::/64'],
    ['2a00:1:2:3:4:5:6:7', '2a00:1:2:3::/64'],
  ])('%s → %s', (ip, key) => {
    expect(clientIpKey(ip)).toBe(key);
  });
});
