import { type MemoryProviderConfig } from '../../interfaces';
import {
  type ProviderCostResult,
  type ProviderMessageStatus,
  type ProviderSendRequest,
  type ProviderSendResult,
  type SmsCapability,
  type SmsProvider,
} from '../../interfaces/sms-provider.interface';
import { type SmsDriverDefinition } from '../driver-definition';
import { MemoryOutbox } from './memory-outbox';

/**
 * The built-in in-memory provider: accepts every valid message, gives it an id, keeps it in an
 * `outbox` and reports it `delivered`. For development, demos and tests; it needs no credentials.
 */
export class MemoryProvider implements SmsProvider {
  readonly capabilities: readonly SmsCapability[] = [
    'send',
    'batch',
    'status',
    'cost',
    'balance',
    'schedule',
    'ttl',
    'translit',
    'daytime',
    'clientIp',
    'testMode',
  ];
  /** What this provider took, newest last. */
  readonly outbox: MemoryOutbox;
  private sequence = 0;

  constructor(
    readonly name: string,
    private readonly config: MemoryProviderConfig = { driver: 'memory' },
  ) {
    this.outbox = new MemoryOutbox(config.outboxLimit ?? 1000);
  }

  async send(request: ProviderSendRequest): Promise<ProviderSendResult> {
    const createdAt = new Date();
    const messages = request.messages.map((m) => {
      const id = `mem-${++this.sequence}`;
      const status = request.sendAt && request.sendAt > createdAt ? 'scheduled' : 'delivered';
      this.outbox.add({
        id,
        provider: this.name,
        to: m.to,
        text: m.text,
        sender: request.sender,
        segments: m.segments.segments,
        encoding: m.segments.encoding,
        status,
        createdAt,
        sendAt: request.sendAt,
        test: request.test ?? this.config.test ?? false,
      });
      return { to: m.to, text: m.text, accepted: true, id, status, segments: m.segments.segments } as const;
    });
    return { messages };
  }

  async getStatus(ids: string[]): Promise<ProviderMessageStatus[]> {
    return ids.map((id) => {
      const found = this.outbox.find(id);
      if (!found) return { id, status: 'not_found', final: true, providerStatus: 'not_found' };
      return { id, status: 'delivered', final: true, providerStatus: 'delivered', to: found.to };
    });
  }

  async getCost(request: ProviderSendRequest): Promise<ProviderCostResult> {
    const messages = request.messages.map((m) => ({ to: m.to, segments: m.segments.segments, price: 0 }));
    return { total: 0, totalSegments: messages.reduce((n, m) => n + m.segments, 0), messages };
  }

  async getBalance(): Promise<number> {
    return 0;
  }
}

/** Registration of the `memory` driver. */
export const memoryDriver: SmsDriverDefinition<MemoryProviderConfig> = {
  validate(config) {
    const limit = config.outboxLimit;
    return limit !== undefined && (!Number.isInteger(limit) || limit < 1)
      ? [{ field: 'outboxLimit', message: 'must be a positive whole number' }]
      : [];
  },
  create: ({ name, config }) => new MemoryProvider(name, config),
};
