import { Injectable, type Type } from '@nestjs/common';
import { type Observable } from 'rxjs';
import { SmsError, SmsValidationError } from './errors';
import { SmsEventBus } from './events/sms-event-bus';
import { type SmsEvent } from './events/sms-event.interface';
import {
  type BalanceResult,
  type BatchItem,
  type CostResult,
  type MessageStatus,
  type ProviderSelection,
  type SendBatchOptions,
  type SendInput,
  type SendResult,
  type SmsCapability,
} from './interfaces';
import { type NormalizedSend, normalizeBatch, normalizeSend } from './message/normalize';
import { type RegisteredProvider, SmsProviderRegistry } from './providers/sms-provider-registry';

/** Send options that need a capability of the provider. */
const OPTION_CAPABILITIES: ReadonlyArray<[keyof NormalizedSend['options'], SmsCapability]> = [
  ['sendAt', 'schedule'],
  ['ttlMinutes', 'ttl'],
  ['translit', 'translit'],
  ['daytime', 'daytime'],
  ['clientIp', 'clientIp'],
];

/**
 * Sends SMS and reads their status, cost and the account balance, through the configured providers.
 *
 * @example
 * @Injectable()
 * export class OtpService {
 *   constructor(private readonly sms: SmsService) {}
 *   async sendCode(phone: string, code: string) {
 *     const result = await this.sms.send({ to: phone, text: `Your code: ${code}` });
 *     return result.messages[0];
 *   }
 * }
 */
@Injectable()
export class SmsService {
  constructor(
    private readonly registry: SmsProviderRegistry,
    private readonly bus: SmsEventBus,
  ) {}

  /** `sent`, `failed`, `retry`, `failover`, `circuit-open` and `circuit-close` events. */
  get events$(): Observable<SmsEvent> {
    return this.bus.events$;
  }

  /** The configured provider names. */
  get providers(): string[] {
    return this.registry.names;
  }

  /**
   * Sends one text to one or more numbers. Invalid input throws `SmsValidationError` before any
   * request; a recipient the provider refuses is `accepted: false` in the result.
   */
  async send(input: SendInput): Promise<SendResult> {
    const provider = this.registry.get(input?.provider);
    const normalized = normalizeSend(input, this.normalizeContext(provider));
    return this.deliver(provider, normalized, 'send');
  }

  /** Sends a different text to each number. */
  async sendBatch(items: BatchItem[], options: SendBatchOptions = {}): Promise<SendResult> {
    const provider = this.registry.get(options?.provider);
    const normalized = normalizeBatch(items, options, this.normalizeContext(provider));
    const texts = new Set(normalized.messages.map((m) => m.text));
    this.require(provider, texts.size > 1 ? 'batch' : 'send');
    return this.deliver(provider, normalized, 'batch');
  }

  /** The delivery status of messages by id. */
  async getStatus(ids: string | string[], options: ProviderSelection = {}): Promise<MessageStatus[]> {
    const provider = this.registry.get(options.provider);
    const list = (Array.isArray(ids) ? ids : [ids]).map((id) => (typeof id === 'string' ? id.trim() : ''));
    const bad = list.findIndex((id) => id === '');
    if (list.length === 0 || bad >= 0) {
      throw new SmsValidationError([{ field: bad >= 0 ? `ids[${bad}]` : 'ids', message: 'must be non-empty ids' }]);
    }
    const getStatus = this.require(provider, 'status').getStatus!.bind(provider.driver);
    const statuses = await getStatus([...new Set(list)], { signal: this.deadline() });
    return statuses.map((s) => ({ ...s, provider: provider.name }));
  }

  /** What a send would cost, without sending. */
  async getCost(input: SendInput): Promise<CostResult> {
    const provider = this.registry.get(input?.provider);
    const normalized = normalizeSend(input, this.normalizeContext(provider));
    const driver = this.require(provider, 'cost');
    const cost = await driver.getCost!(this.request(provider, normalized));
    const localSegments = normalized.messages.reduce((n, m) => n + m.segments.segments, 0);
    return {
      provider: provider.name,
      total: cost.total,
      totalSegments: cost.totalSegments ?? localSegments,
      currency: 'RUB',
      messages: cost.messages,
    };
  }

  /** The account balance in RUB. */
  async getBalance(options: ProviderSelection = {}): Promise<BalanceResult> {
    const provider = this.registry.get(options.provider);
    const balance = await this.require(provider, 'balance').getBalance!({ signal: this.deadline() });
    return { provider: provider.name, balance, currency: 'RUB' };
  }

  /**
   * The driver of a configured provider, for its own operations (SMS.ru stop list, SMSPilot HLR, …).
   * With a class it checks the driver is one and types the result.
   *
   * @example
   * const outbox = sms.driver('dev', MemoryProvider).outbox;
   */
  driver<T>(name: string, type?: Type<T>): T {
    const driver = this.registry.get(name).driver;
    if (type && !(driver instanceof type)) {
      throw new SmsError(`Provider "${name}" is not a ${type.name}`, { code: 'UNSUPPORTED', provider: name });
    }
    return driver as T;
  }

  private normalizeContext(provider: RegisteredProvider) {
    return { defaultCountry: this.registry.options.defaultCountry, limits: provider.limits };
  }

  private require(provider: RegisteredProvider, capability: SmsCapability) {
    if (!provider.driver.capabilities.includes(capability)) {
      throw new SmsError(`Provider "${provider.name}" does not support ${capability}`, {
        code: 'UNSUPPORTED',
        provider: provider.name,
      });
    }
    return provider.driver;
  }

  private request(provider: RegisteredProvider, normalized: NormalizedSend, signal?: AbortSignal) {
    for (const [option, capability] of OPTION_CAPABILITIES) {
      if (normalized.options[option] !== undefined) this.require(provider, capability);
    }
    const { config } = provider;
    return {
      ...normalized.options,
      messages: normalized.messages,
      sender: normalized.options.sender ?? config.sender,
      test: normalized.options.test ?? config.test,
      signal,
    };
  }

  private deadline(): AbortSignal {
    return AbortSignal.timeout(this.registry.options.sendTimeoutMs);
  }

  private async deliver(provider: RegisteredProvider, normalized: NormalizedSend, _kind: 'send' | 'batch') {
    const started = Date.now();
    const request = this.request(provider, normalized, this.deadline());
    const result = await provider.driver.send(request);
    return {
      provider: provider.name,
      messages: result.messages,
      cost: result.cost,
      balance: result.balance,
      attempts: [
        {
          provider: provider.name,
          result: 'sent' as const,
          recipients: normalized.messages.length,
          durationMs: Date.now() - started,
        },
      ],
    };
  }
}
