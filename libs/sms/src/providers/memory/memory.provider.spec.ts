import { SmsError, type SmsErrorCode, type SmsFailureClass } from '../../errors';
import { AntiFloodGuard } from '../../guard/anti-flood';
import { MemoryRateLimitStore } from '../../guard/memory-rate-limit.store';
import { type ProviderSendRequest } from '../../interfaces';
import { countSegments } from '../../message/segments';
import { type OutboxChange } from './memory-outbox';
import { MemorySimulation } from './memory-simulation';
import { MemoryProvider } from './memory.provider';

function request(
  to: string[],
  text = 'Hello',
  extra: Partial<ProviderSendRequest> = {},
): ProviderSendRequest {
  return { messages: to.map((n) => ({ to: n, text, segments: countSegments(text) })), ...extra };
}

const A = '79255070602';
const B = '79161234567';

describe('MemoryProvider', () => {
  let memory: MemoryProvider;
  beforeEach(() => {
    memory = new MemoryProvider('dev', { driver: 'memory', sender: 'Shop' });
  });

  it('keeps what it takes, with segments, encoding and per-provider ids', async () => {
    const result = await memory.send(request([A, B], 'Привет', { sender: 'Shop' }));
    expect(result.messages.map((m) => [m.id, m.accepted, m.status])).toEqual([
      ['dev-1', true, 'delivered'],
      ['dev-2', true, 'delivered'],
    ]);
    expect(memory.outbox.last()).toMatchObject({
      to: B,
      encoding: 'UCS-2',
      segments: 1,
      sender: 'Shop',
      provider: 'dev',
    });
  });

  it('reports scheduled messages as delivered once their time has come', async () => {
    const sendAt = new Date(Date.now() + 60_000);
    const [sent] = (await memory.send(request([A], 'later', { sendAt }))).messages;
    expect(sent.status).toBe('scheduled');
    expect(await memory.getStatus([sent.id!, 'nope'])).toEqual([
      { id: sent.id, status: 'scheduled', final: false, providerStatus: 'scheduled', to: A },
      { id: 'nope', status: 'not_found', final: true, providerStatus: 'not_found' },
    ]);
    jest.useFakeTimers({ now: sendAt.getTime() + 1, doNotFake: ['setTimeout'] });
    try {
      expect((await memory.getStatus([sent.id!]))[0]).toMatchObject({ status: 'delivered', final: true });
    } finally {
      jest.useRealTimers();
    }
  });

  it('reports a status set on the outbox, and emits added, updated and cleared changes', async () => {
    const changes: OutboxChange['type'][] = [];
    const subscription = memory.outbox.changes$.subscribe((c) => changes.push(c.type));
    const [sent] = (await memory.send(request([A]))).messages;
    const before = memory.outbox.find(sent.id!);
    expect(memory.outbox.setStatus(sent.id!, 'undelivered')).toMatchObject({ status: 'undelivered' });
    expect(before?.status).toBe('delivered');
    expect((await memory.getStatus([sent.id!]))[0].status).toBe('undelivered');
    expect(memory.outbox.setStatus('nope', 'delivered')).toBeUndefined();
    memory.outbox.clear();
    subscription.unsubscribe();
    expect(changes).toEqual(['added', 'updated', 'cleared']);
  });

  it('drops the oldest messages past its outbox limit', async () => {
    const small = new MemoryProvider('dev', { driver: 'memory', outboxLimit: 2 });
    await small.send(request([A, B, '79031112233']));
    expect(small.outbox.messages.map((m) => m.to)).toEqual([B, '79031112233']);
  });

  describe('simulate', () => {
    it('refuses sends with the code given, for `times` calls, then works again', async () => {
      memory.simulate.refuse('RATE_LIMITED', { retryAfterSeconds: 30, times: 2, providerCode: 232 });
      for (let i = 0; i < 2; i++) {
        const error = await memory.send(request([A])).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SmsError);
        expect(error).toMatchObject({
          code: 'RATE_LIMITED',
          provider: 'dev',
          providerCode: 232,
          failure: 'refused',
          outcome: 'not_sent',
          retryable: false,
          retryAfterSeconds: 30,
        });
      }
      await expect(memory.getBalance()).resolves.toBe(0);
      await expect(memory.send(request([A]))).resolves.toMatchObject({ messages: [{ accepted: true }] });
      expect(memory.outbox.size).toBe(1);
      expect(memory.simulate.active).toBe(false);
    });

    it('gives each refusal the class the library gives its code, like the anti-flood limiter', async () => {
      const classes: Array<[SmsErrorCode, SmsFailureClass]> = [
        ['RATE_LIMITED', 'refused'],
        ['LIMIT_EXCEEDED', 'refused'],
        ['STOP_LIST', 'refused'],
        ['CONTENT_REJECTED', 'refused'],
        ['INVALID_PHONE', 'refused'],
        ['AUTH', 'account'],
        ['INSUFFICIENT_FUNDS', 'account'],
        ['SENDER_NOT_ALLOWED', 'account'],
        ['NO_ROUTE', 'no_route'],
        ['UNAVAILABLE', 'unavailable'],
      ];
      for (const [code, failure] of classes) {
        memory.simulate.refuse(code, { times: 1 });
        const error = (await memory.send(request([A])).catch((e: unknown) => e)) as SmsError;
        expect([code, error.failure, error.retryable]).toEqual([code, failure, failure === 'unavailable']);
        expect(error.outcome).toBe('not_sent');
      }
      const flood = new AntiFloodGuard(
        { perNumber: [{ max: 0, windowMs: 60_000 }] },
        new MemoryRateLimitStore(),
      );
      const own = (await flood.check([A], undefined).catch((e: unknown) => e)) as SmsError;
      memory.simulate.refuse('RATE_LIMITED', { retryAfterSeconds: 60, times: 1 });
      const simulated = (await memory.send(request([A])).catch((e: unknown) => e)) as SmsError;
      const shape = (e: SmsError) => [e.code, e.failure, e.outcome, e.retryable, e.retryAfterSeconds];
      expect(shape(simulated)).toEqual(shape(own));
    });

    it('takes another class when told to: an HTTP 429 is RATE_LIMITED and unavailable', async () => {
      memory.simulate.refuse('RATE_LIMITED', { failure: 'unavailable', retryAfterSeconds: 1, times: 1 });
      await expect(memory.send(request([A]))).rejects.toMatchObject({
        code: 'RATE_LIMITED',
        failure: 'unavailable',
        outcome: 'not_sent',
        retryable: true,
      });
      memory.simulate.refuse('BAD_RESPONSE', { failure: 'unknown', times: 1 });
      const error = (await memory.send(request([A])).catch((e: unknown) => e)) as SmsError;
      expect(error).toMatchObject({ failure: 'unknown', outcome: 'unknown', retryable: false });
      expect(error.message).toMatch(/reconcile/);
    });

    it('refuses other operations when told to', async () => {
      memory.simulate.refuse('AUTH', { on: ['balance', 'status'] });
      await expect(memory.getBalance()).rejects.toMatchObject({ code: 'AUTH', retryable: false });
      await expect(memory.getStatus(['x'])).rejects.toMatchObject({ code: 'AUTH' });
      await expect(memory.send(request([A]))).resolves.toBeDefined();
    });

    it('an outage fails every operation with UNAVAILABLE, not sent, and records nothing', async () => {
      memory.simulate.outage();
      for (const call of [
        () => memory.send(request([A])),
        () => memory.getStatus(['x']),
        () => memory.getCost(request([A])),
        () => memory.getBalance(),
      ]) {
        await expect(call()).rejects.toMatchObject({
          code: 'UNAVAILABLE',
          failure: 'unavailable',
          outcome: 'not_sent',
          retryable: true,
        });
      }
      expect(memory.outbox.size).toBe(0);
      memory.simulate.reset();
      await expect(memory.getBalance()).resolves.toBe(0);
    });

    it('a timeout is an unknown outcome; the message reached the outbox unless reached: false', async () => {
      memory.simulate.timeout({ times: 1 }).timeout({ times: 1, reached: false });
      await expect(memory.send(request([A]))).rejects.toMatchObject({
        code: 'TIMEOUT',
        failure: 'unknown',
        outcome: 'unknown',
        retryable: false,
      });
      expect(memory.outbox.to(A)).toHaveLength(1);
      await expect(memory.send(request([B]))).rejects.toMatchObject({ code: 'TIMEOUT', outcome: 'unknown' });
      expect(memory.outbox.to(B)).toHaveLength(0);
    });

    it('fails one recipient of a send, written in any notation, and keeps the others', async () => {
      memory.simulate.failRecipient('8 (925) 507-06-02', 'STOP_LIST', { providerCode: 207, times: 1 });
      const result = await memory.send(request([A, B]));
      expect(result.messages[0]).toEqual({
        to: A,
        text: 'Hello',
        accepted: false,
        status: 'rejected',
        segments: 1,
        error: {
          code: 'STOP_LIST',
          message: 'The number is on a stop list',
          providerCode: 207,
          outcome: 'not_sent',
          failure: 'refused',
        },
      });
      expect(result.messages[1]).toMatchObject({ to: B, accepted: true });
      expect(memory.outbox.messages.map((m) => m.to)).toEqual([B]);
      await expect(memory.send(request([A]))).resolves.toMatchObject({ messages: [{ accepted: true }] });
    });

    it('classes a recipient failure by its code unless told otherwise', async () => {
      memory.simulate.failRecipient(A, 'NO_ROUTE', { times: 1 }).failRecipient(B, 'RATE_LIMITED', {
        times: 1,
        failure: 'unavailable',
      });
      const result = await memory.send(request([A, B]));
      expect(result.messages.map((m) => m.error?.failure)).toEqual(['no_route', 'unavailable']);
    });

    it('delays calls, and a deadline that passes while waiting ends in TIMEOUT with nothing recorded', async () => {
      memory.simulate.delay(80, { on: 'send' });
      const started = Date.now();
      await memory.send(request([A]));
      expect(Date.now() - started).toBeGreaterThanOrEqual(75);
      const balanceStarted = Date.now();
      await memory.getBalance();
      expect(Date.now() - balanceStarted).toBeLessThan(50);

      const error = await memory
        .send(request([B], 'x', { signal: AbortSignal.timeout(10) }))
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'TIMEOUT', failure: 'unknown', outcome: 'unknown' });
      expect(memory.outbox.to(B)).toHaveLength(0);
    });

    it('close() ends the calls still waiting', async () => {
      memory.simulate.delay(60_000);
      const pending = memory.getBalance();
      memory.close();
      await expect(pending).rejects.toMatchObject({ code: 'UNAVAILABLE', failure: 'unavailable' });
    });

    it('stays bounded and says what is wrong with a switch', () => {
      expect(() => memory.simulate.delay(MemorySimulation.MAX_DELAY_MS + 1)).toThrow(RangeError);
      expect(() => memory.simulate.outage({ times: 0 })).toThrow(/times/);
      expect(() => memory.simulate.outage({ on: 'fax' as never })).toThrow(/"fax" is not one of/);
      expect(() => memory.simulate.failRecipient('12')).toThrow(/not a valid phone number/);
      for (let i = 0; i < MemorySimulation.MAX_RULES; i++) memory.simulate.outage({ times: 1 });
      expect(() => memory.simulate.outage()).toThrow(/at most 100/);
    });
  });
});
