import { Injectable } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { SmsError, SmsValidationError } from './errors';
import {
  type ProviderSendRequest,
  type ProviderSendResult,
  type SmsCapability,
  type SmsModuleOptions,
  type SmsProvider,
  type SmsProviderLimits,
} from './interfaces';
import { MemoryProvider } from './providers/memory';
import { SmsModule } from './sms.module';
import { SmsService } from './sms.service';

/** A send-only driver that counts every call and refuses numbers ending in 13. */
@Injectable()
class CountingProvider implements SmsProvider {
  readonly capabilities: readonly SmsCapability[] = ['send', 'testMode'];
  readonly limits: Partial<SmsProviderLimits> = { maxRecipients: 5, maxParts: 2 };
  readonly requests: ProviderSendRequest[] = [];
  calls = 0;

  async send(request: ProviderSendRequest): Promise<ProviderSendResult> {
    this.calls++;
    this.requests.push(request);
    return {
      messages: request.messages.map((m, i) =>
        m.to.endsWith('13')
          ? {
              to: m.to,
              text: m.text,
              accepted: false,
              status: 'rejected' as const,
              segments: m.segments.segments,
              error: {
                code: 'STOP_LIST' as const,
                providerCode: 13,
                message: 'The number is on a stop list',
              },
            }
          : { to: m.to, text: m.text, accepted: true, id: `c-${i}`, status: 'queued' as const, segments: 1 },
      ),
      cost: 1.5,
      balance: 98.5,
    };
  }
}

/** A driver whose answers break the contract. */
@Injectable()
class BrokenProvider implements SmsProvider {
  readonly capabilities: readonly SmsCapability[] = ['send'];
  mode: 'short' | 'throws' = 'short';

  async send(request: ProviderSendRequest): Promise<ProviderSendResult> {
    if (this.mode === 'throws') throw new TypeError('cannot read "x" of undefined');
    return {
      messages: request.messages
        .slice(1)
        .map((m) => ({ ...m, accepted: true, status: 'queued', segments: 1 })),
    };
  }
}

const OPTIONS: SmsModuleOptions = {
  providers: {
    dev: { driver: 'memory' },
    counted: { driver: CountingProvider, sender: 'Counted', test: true },
    capped: { driver: 'memory', maxRecipients: 2 },
    broken: { driver: BrokenProvider },
  },
  retry: false,
  circuitBreaker: false,
};

const PHONE = '+7 925 507-06-02';

describe('SmsService', () => {
  let moduleRef: TestingModule;
  let sms: SmsService;
  let memory: MemoryProvider;
  let counted: CountingProvider;

  beforeEach(async () => {
    moduleRef = await Test.createTestingModule({ imports: [SmsModule.forRoot(OPTIONS)] }).compile();
    sms = moduleRef.get(SmsService);
    memory = sms.driver('dev', MemoryProvider);
    counted = sms.driver('counted', CountingProvider);
  });

  afterEach(() => moduleRef.close());

  describe('send', () => {
    it('sends through the default provider (the first one) and describes the result', async () => {
      const result = await sms.send({ to: PHONE, text: 'Привет' });
      expect(result).toMatchObject({
        provider: 'dev',
        messages: [{ to: '79255070602', text: 'Привет', accepted: true, status: 'delivered', segments: 1 }],
        attempts: [{ provider: 'dev', result: 'sent', recipients: 1 }],
      });
      expect(result.messages[0].id).toEqual(expect.any(String));
      expect(memory.outbox.find(result.messages[0].id!)).toMatchObject({
        to: '79255070602',
        encoding: 'UCS-2',
        segments: 1,
      });
    });

    it('answers in input order and sends a repeated number once', async () => {
      const result = await sms.send({
        to: ['89260000003', '+7 926 000-00-01', '8 (926) 000-00-03', '79260000002', '89260000001'],
        text: 'Hi',
      });
      expect(result.messages.map((m) => m.to)).toEqual(['79260000003', '79260000001', '79260000002']);
      expect(memory.outbox.size).toBe(3);
    });

    it('counts segments locally', async () => {
      const result = await sms.send({ to: PHONE, text: 'я'.repeat(71) });
      expect(result.messages[0].segments).toBe(2);
    });

    it('uses the named provider, with its default sender and test mode', async () => {
      const result = await sms.send({ to: PHONE, text: 'Hi', provider: 'counted' });
      expect(result).toMatchObject({ provider: 'counted', cost: 1.5, balance: 98.5 });
      expect(counted.requests[0]).toMatchObject({ sender: 'Counted', test: true });
      await sms.send({ to: PHONE, text: 'Hi', provider: 'counted', sender: 'Other', test: false });
      expect(counted.requests[1]).toMatchObject({ sender: 'Other', test: false });
    });

    it('reports a refused recipient as not accepted without throwing', async () => {
      const result = await sms.send({ to: ['89255070602', '89255070613'], text: 'Hi', provider: 'counted' });
      expect(result.messages).toMatchObject([
        { to: '79255070602', accepted: true },
        {
          to: '79255070613',
          accepted: false,
          status: 'rejected',
          error: { code: 'STOP_LIST', providerCode: 13 },
        },
      ]);
    });

    it("enforces the driver's own limits and the config's maxRecipients", async () => {
      const six = ['89260000001', '89260000002', '89260000003', '89260000004', '89260000005', '89260000006'];
      await expect(sms.send({ to: six, text: 'Hi', provider: 'counted' })).rejects.toMatchObject({
        code: 'VALIDATION',
        details: [{ field: 'to', message: 'has 6 recipients, more than the 5 allowed' }],
      });
      await expect(sms.send({ to: PHONE, text: 'a'.repeat(307), provider: 'counted' })).rejects.toThrow(
        /more than the 2 allowed/,
      );
      await expect(sms.send({ to: six.slice(0, 3), text: 'Hi', provider: 'capped' })).rejects.toThrow(
        /more than the 2 allowed/,
      );
      expect(counted.calls).toBe(0);
    });
  });

  describe('invalid input makes no driver call', () => {
    it.each([
      ['an unparsable number', { to: '12345', text: 'Hi' }, 'to'],
      ['one bad number among good ones', { to: [PHONE, 'nope'], text: 'Hi' }, 'to[1]'],
      ['an empty text', { to: PHONE, text: '' }, 'text'],
      ['a whitespace text', { to: PHONE, text: ' \n ' }, 'text'],
      ['a bad sender', { to: PHONE, text: 'Hi', sender: 'My Shop!' }, 'sender'],
      ['ttlMinutes 0', { to: PHONE, text: 'Hi', ttlMinutes: 0 }, 'ttlMinutes'],
      ['sendAt in the past', { to: PHONE, text: 'Hi', sendAt: new Date(Date.now() - 120_000) }, 'sendAt'],
      ['an unknown provider', { to: PHONE, text: 'Hi', provider: 'nowhere' }, 'provider'],
      ['an empty idempotency key', { to: PHONE, text: 'Hi', idempotencyKey: ' ' }, 'idempotencyKey'],
    ])('%s', async (_name, input, field) => {
      const error = await sms.send({ provider: 'counted', ...input }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SmsValidationError);
      expect(error).toMatchObject({ code: 'VALIDATION', outcome: 'not_sent', retryable: false });
      expect((error as SmsValidationError).details.map((d) => d.field)).toContain(field);
      expect(counted.calls).toBe(0);
    });

    it('in a batch, and in getCost', async () => {
      await expect(
        sms.sendBatch(
          [
            { to: PHONE, text: 'ok' },
            { to: 'nope', text: 'ok' },
          ],
          { provider: 'counted' },
        ),
      ).rejects.toBeInstanceOf(SmsValidationError);
      await expect(sms.getCost({ to: 'nope', text: 'Hi' })).rejects.toBeInstanceOf(SmsValidationError);
      expect(counted.calls).toBe(0);
      expect(memory.outbox.size).toBe(0);
    });
  });

  describe('sendBatch', () => {
    it('sends each number its own text, in input order, a repeated pair once', async () => {
      const result = await sms.sendBatch(
        [
          { to: '89260000002', text: 'second' },
          { to: PHONE, text: 'first' },
          { to: '8 926 000 00 02', text: 'second' },
          { to: '89255070602', text: 'again' },
        ],
        { sender: 'MyShop' },
      );
      expect(result.messages.map((m) => [m.to, m.text, m.accepted])).toEqual([
        ['79260000002', 'second', true],
        ['79255070602', 'first', true],
        ['79255070602', 'again', true],
      ]);
      expect(memory.outbox.messages.map((m) => [m.to, m.text, m.sender])).toEqual([
        ['79260000002', 'second', 'MyShop'],
        ['79255070602', 'first', 'MyShop'],
        ['79255070602', 'again', 'MyShop'],
      ]);
    });

    it('sends one text to many through a driver without batch', async () => {
      const result = await sms.sendBatch(
        [
          { to: '89260000001', text: 'same' },
          { to: '89260000002', text: 'same' },
        ],
        { provider: 'counted' },
      );
      expect(result.messages).toHaveLength(2);
      expect(counted.calls).toBe(1);
    });
  });

  describe('UNSUPPORTED when the driver lacks a capability, before any call', () => {
    it.each([
      [
        'different texts (batch)',
        (s: SmsService) =>
          s.sendBatch(
            [
              { to: PHONE, text: 'a' },
              { to: PHONE, text: 'b' },
            ],
            { provider: 'counted' },
          ),
      ],
      [
        'sendAt (schedule)',
        (s: SmsService) =>
          s.send({ to: PHONE, text: 'a', provider: 'counted', sendAt: new Date(Date.now() + 3_600_000) }),
      ],
      [
        'ttlMinutes (ttl)',
        (s: SmsService) => s.send({ to: PHONE, text: 'a', provider: 'counted', ttlMinutes: 10 }),
      ],
      ['translit', (s: SmsService) => s.send({ to: PHONE, text: 'a', provider: 'counted', translit: true })],
      ['getStatus (status)', (s: SmsService) => s.getStatus('1', { provider: 'counted' })],
      ['getCost (cost)', (s: SmsService) => s.getCost({ to: PHONE, text: 'a', provider: 'counted' })],
      ['getBalance (balance)', (s: SmsService) => s.getBalance({ provider: 'counted' })],
    ])('%s', async (_name, call) => {
      const error = await call(sms).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SmsError);
      expect(error).toMatchObject({ code: 'UNSUPPORTED', provider: 'counted', outcome: 'not_sent' });
      expect((error as Error).message).toMatch(/Provider "counted" does not support/);
      expect(counted.calls).toBe(0);
    });
  });

  describe('getStatus', () => {
    it('reports delivered for a sent id and not_found for an unknown one', async () => {
      const { messages } = await sms.send({ to: PHONE, text: 'Hi' });
      const id = messages[0].id!;
      await expect(sms.getStatus([id, 'no-such-id'])).resolves.toMatchObject([
        {
          id,
          provider: 'dev',
          status: 'delivered',
          final: true,
          providerStatus: 'delivered',
          to: '79255070602',
        },
        { id: 'no-such-id', provider: 'dev', status: 'not_found', final: true, providerStatus: 'not_found' },
      ]);
    });

    it('takes one id as a string, trims ids and asks for a repeated id once', async () => {
      const { messages } = await sms.send({ to: PHONE, text: 'Hi' });
      const id = messages[0].id!;
      await expect(sms.getStatus(` ${id} `)).resolves.toMatchObject([{ id, status: 'delivered' }]);
      await expect(sms.getStatus([id, id])).resolves.toHaveLength(1);
    });

    it.each([[[]], [['']], [['1', ' ']], [[42 as unknown as string]]])('rejects the ids %j', async (ids) => {
      await expect(sms.getStatus(ids)).rejects.toBeInstanceOf(SmsValidationError);
    });
  });

  describe('getCost and getBalance', () => {
    it('prices a send without sending it', async () => {
      await expect(sms.getCost({ to: [PHONE, '89260000001'], text: 'я'.repeat(71) })).resolves.toMatchObject({
        provider: 'dev',
        total: 0,
        totalSegments: 4,
        currency: 'RUB',
        messages: [
          { to: '79255070602', segments: 2, price: 0 },
          { to: '79260000001', segments: 2, price: 0 },
        ],
      });
      expect(memory.outbox.size).toBe(0);
    });

    it('reads the balance', async () => {
      await expect(sms.getBalance()).resolves.toEqual({ provider: 'dev', balance: 0, currency: 'RUB' });
      await expect(sms.getBalance({ provider: 'capped' })).resolves.toMatchObject({ provider: 'capped' });
    });
  });

  describe('a driver that breaks the contract', () => {
    it('answering for fewer recipients than asked is BAD_RESPONSE, outcome unknown', async () => {
      const error = await sms
        .send({ to: [PHONE, '89260000001'], text: 'Hi', provider: 'broken' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SmsError);
      expect(error).toMatchObject({ code: 'BAD_RESPONSE', outcome: 'unknown', provider: 'broken' });
    });

    it('throwing a plain error is UNKNOWN, outcome unknown', async () => {
      sms.driver('broken', BrokenProvider).mode = 'throws';
      const error = await sms.send({ to: PHONE, text: 'Hi', provider: 'broken' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SmsError);
      expect(error).toMatchObject({ code: 'UNKNOWN', outcome: 'unknown', provider: 'broken' });
      expect((error as Error).message).toMatch(/do not resend/);
    });
  });

  describe('driver', () => {
    it('returns the driver typed by its class, or UNSUPPORTED for another class', () => {
      expect(sms.driver('dev')).toBe(memory);
      expect(() => sms.driver('counted', MemoryProvider)).toThrow(
        expect.objectContaining({
          code: 'UNSUPPORTED',
          message: 'Provider "counted" is not a MemoryProvider',
        }),
      );
      expect(() => sms.driver('nowhere')).toThrow(SmsValidationError);
    });

    it('lists the providers in configuration order', () => {
      expect(sms.providers).toEqual(['dev', 'counted', 'capped', 'broken']);
    });
  });
});
