import { Logger } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { type SmsModuleOptions } from '../interfaces';
import { MemoryProvider } from '../providers/memory';
import { SmsModule } from '../sms.module';
import { SmsService } from '../sms.service';
import { type IdempotencyEntry, type SmsIdempotencyStore } from './idempotency-store.interface';
import { MemoryIdempotencyStore } from './memory-idempotency.store';

/** The in-memory store, keeping what the guard gives it to settle. */
class RecordingStore extends MemoryIdempotencyStore implements SmsIdempotencyStore {
  readonly settled: IdempotencyEntry[] = [];

  override async settle(key: string, entry: Exclude<IdempotencyEntry, { state: 'pending' }>, ttlMs: number) {
    this.settled.push(entry);
    return super.settle(key, entry, ttlMs);
  }
}

const phone = (i: number) => `7925${String(1_000_000 + i)}`;

describe('idempotency keys through SmsService and the in-memory store', () => {
  let moduleRef: TestingModule;
  let sms: SmsService;
  let memory: MemoryProvider;
  let sent: number;

  async function start(options: Partial<SmsModuleOptions> = {}) {
    moduleRef = await Test.createTestingModule({
      imports: [SmsModule.forRoot({ providers: { dev: { driver: 'memory' } }, retry: false, ...options })],
    }).compile();
    sms = moduleRef.get(SmsService);
    memory = sms.driver('dev', MemoryProvider);
    sent = 0;
    memory.outbox.added$.subscribe(() => sent++);
  }

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await moduleRef.close();
  });

  it('keeps an unknown-outcome key through 12 000 newer keys: its repeat sends nothing', async () => {
    await start();
    memory.simulate.timeout({ times: 1 });
    const first = { to: phone(0), text: 'Your code 1234', idempotencyKey: 'otp:first' };
    await expect(sms.send(first)).rejects.toMatchObject({ code: 'TIMEOUT', outcome: 'unknown' });
    expect(sent).toBe(1);

    for (let i = 1; i <= 12_000; i++) {
      await sms.send({ to: phone(i), text: `Your code ${i}`, idempotencyKey: `otp:${i}` });
    }
    expect(sent).toBe(12_001);

    await expect(sms.send(first)).rejects.toMatchObject({ code: 'TIMEOUT', outcome: 'unknown' });
    const latest = await sms.send({
      to: phone(12_000),
      text: 'Your code 12000',
      idempotencyKey: 'otp:12000',
    });
    expect(latest.messages[0]).toMatchObject({ to: phone(12_000), accepted: true });
    expect(sent).toBe(12_001);
  });

  it('refuses a new key with RATE_LIMITED when the store is full of unknown outcomes, sending nothing', async () => {
    await start({ idempotency: { maxEntries: 3 } });
    memory.simulate.timeout({ times: 3 });
    for (let i = 0; i < 3; i++) {
      await expect(sms.send({ to: phone(i), text: 'x', idempotencyKey: `k${i}` })).rejects.toMatchObject({
        outcome: 'unknown',
      });
    }
    const error = await sms.send({ to: phone(9), text: 'x', idempotencyKey: 'k9' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', outcome: 'not_sent', failure: 'refused' });
    expect(sent).toBe(3);
    await expect(sms.send({ to: phone(9), text: 'x' })).resolves.toMatchObject({ provider: 'dev' });
    expect(sent).toBe(4);
  });

  it('stores a compact record and returns the first result from it', async () => {
    const store = new RecordingStore();
    await start({ idempotency: { store } });
    const one = await sms.send({ to: phone(1), text: 'Your code 1234', idempotencyKey: 'one' });
    const numbers = Array.from({ length: 2000 }, (_, i) => phone(i));
    const many = await sms.send({ to: numbers, text: 'Sale! 20% off today', idempotencyKey: 'many' });
    const [small, large] = store.settled.map((entry) => JSON.stringify(entry).length);
    expect(small).toBeLessThan(400);
    expect(large / 2000).toBeLessThan(120);

    await expect(sms.send({ to: phone(1), text: 'Your code 1234', idempotencyKey: 'one' })).resolves.toEqual(
      one,
    );
    const repeat = await sms.send({ to: numbers, text: 'Sale! 20% off today', idempotencyKey: 'many' });
    expect(repeat).toEqual(many);
    expect(repeat).not.toBe(many);
    expect(sent).toBe(2001);
  });
});
