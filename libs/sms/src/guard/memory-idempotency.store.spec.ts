import { Logger } from '@nestjs/common';
import { SmsError } from '../errors';
import { type IdempotencyEntry } from './idempotency-store.interface';
import { MemoryIdempotencyStore } from './memory-idempotency.store';

const TTL = 60_000;
const done: Exclude<IdempotencyEntry, { state: 'pending' }> = {
  state: 'done',
  record: { provider: 'main', texts: ['hi'], messages: [], attempts: [] },
};
const unknown: Exclude<IdempotencyEntry, { state: 'pending' }> = {
  state: 'failed',
  error: { name: 'SmsError', message: 'timed out', code: 'TIMEOUT', outcome: 'unknown', retryable: false },
};

async function refusal(store: MemoryIdempotencyStore, key: string): Promise<SmsError> {
  const error = await store.reserve(key, TTL).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SmsError);
  return error as SmsError;
}

describe('MemoryIdempotencyStore', () => {
  let warn: jest.SpyInstance;

  beforeEach(() => {
    jest.useFakeTimers({ now: Date.parse('2025-06-01T12:00:00Z') });
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => {
    warn.mockRestore();
    jest.useRealTimers();
  });

  it('reserves a new key once and returns what is stored afterwards', async () => {
    const store = new MemoryIdempotencyStore();
    expect(await store.reserve('a', TTL)).toBeNull();
    expect(await store.reserve('a', TTL)).toEqual({ state: 'pending' });
    await store.settle('a', done, TTL);
    expect(await store.reserve('a', TTL)).toEqual(done);
    await store.release('a');
    expect(await store.get('a')).toBeNull();
  });

  it('returns a settled entry as a copy of its own, any text intact', async () => {
    const store = new MemoryIdempotencyStore();
    const texts = ['Ваш код 1234 😀', 'lone \ud83d surrogate', 'a\u0301 — «»'];
    const entry: IdempotencyEntry = { state: 'done', record: { ...done.record, texts } };
    await store.reserve('k', TTL);
    await store.settle('k', entry, TTL);
    const first = await store.get('k');
    expect(first).toEqual(entry);
    expect(first).not.toBe(entry);
    expect(await store.get('k')).not.toBe(first);
  });

  it('keeps in-flight and unknown keys until their TTL: full of them, it refuses a new key', async () => {
    const store = new MemoryIdempotencyStore(3);
    await store.reserve('in-flight-1', TTL);
    await store.reserve('in-flight-2', TTL);
    await store.reserve('unknown', TTL);
    await store.settle('unknown', unknown, TTL);
    jest.advanceTimersByTime(20_000);

    const error = await refusal(store, 'new');
    expect(error).toMatchObject({ code: 'RATE_LIMITED', outcome: 'not_sent', retryAfterSeconds: 40 });
    expect(error.message).toContain('idempotency store is full');
    await refusal(store, 'newer');
    expect(await store.get('in-flight-1')).toEqual({ state: 'pending' });
    expect(await store.get('unknown')).toEqual(unknown);
    expect(await store.get('new')).toBeNull();
    expect(warn).toHaveBeenCalledTimes(1);

    jest.advanceTimersByTime(40_000);
    expect(await store.reserve('new', TTL)).toBeNull();
    expect(store.size).toBe(1);
  });

  it('forgets completed keys first when full, oldest first, and warns once', async () => {
    const store = new MemoryIdempotencyStore(3);
    for (const key of ['done-1', 'unknown', 'done-2']) await store.reserve(key, TTL);
    await store.settle('done-1', done, TTL);
    await store.settle('unknown', unknown, TTL);
    await store.settle('done-2', done, TTL);

    expect(await store.reserve('a', TTL)).toBeNull();
    expect(await store.get('done-1')).toBeNull();
    expect(await store.get('done-2')).toEqual(done);
    expect(await store.reserve('b', TTL)).toBeNull();
    expect(await store.get('done-2')).toBeNull();
    expect(warn).toHaveBeenCalledTimes(1);

    await refusal(store, 'c');
    expect(await store.get('unknown')).toEqual(unknown);
    expect(await store.get('a')).toEqual({ state: 'pending' });
    expect(await store.get('b')).toEqual({ state: 'pending' });
  });

  it('bounds the bytes of completed records, forgetting the oldest first and never an unknown one', async () => {
    const store = new MemoryIdempotencyStore(100, 1000);
    const record = (n: number) => ({ ...done.record, texts: ['x'.repeat(n)] });
    await store.reserve('unknown', TTL);
    await store.settle('unknown', unknown, TTL);
    for (const key of ['a', 'b', 'c']) {
      await store.reserve(key, TTL);
      await store.settle(key, { state: 'done', record: record(300) }, TTL);
    }
    expect(await store.get('a')).toBeNull();
    expect(await store.get('b')).not.toBeNull();
    await store.reserve('huge', TTL);
    await store.settle('huge', { state: 'done', record: record(5000) }, TTL);
    expect(await store.get('huge')).toEqual({ state: 'done', record: record(5000) });
    expect(await store.get('c')).toBeNull();
    expect(await store.get('unknown')).toEqual(unknown);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('settles a send whose reservation outlived its TTL even when full: it is never refused', async () => {
    const store = new MemoryIdempotencyStore(2);
    await store.reserve('slow', 1000);
    jest.advanceTimersByTime(1000);
    await store.reserve('a', TTL);
    await store.reserve('b', TTL);
    await store.settle('slow', unknown, TTL);
    expect(await store.get('slow')).toEqual(unknown);
    expect(await store.get('a')).toEqual({ state: 'pending' });
  });

  it('frees the room of expired keys, with different TTLs', async () => {
    const store = new MemoryIdempotencyStore(3);
    await store.reserve('long', 10_000);
    await store.reserve('short-1', 1000);
    await store.reserve('short-2', 2000);
    jest.advanceTimersByTime(2000);
    expect(store.size).toBe(1);
    expect(await store.reserve('c', TTL)).toBeNull();
    expect(await store.reserve('d', TTL)).toBeNull();
    await refusal(store, 'e');
    jest.advanceTimersByTime(8000);
    expect(await store.reserve('e', TTL)).toBeNull();
    expect(await store.get('long')).toBeNull();
  });
});
