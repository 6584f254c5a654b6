import { type MemoryProviderConfig } from './memory.config';
import { RECONCILE_HINT, SmsError } from '../../errors';
import { type SentMessage } from '../../interfaces';
import {
  type ProviderCallOptions,
  type ProviderCostResult,
  type ProviderMessageStatus,
  type ProviderSendRequest,
  type ProviderSendResult,
  type SmsCapability,
  type SmsProvider,
} from '../../interfaces/sms-provider.interface';
import { type SmsCountryCode } from '../../message/phone';
import { MemoryOutbox, type OutboxMessage } from './memory-outbox';
import { type MemoryOperation, MemorySimulation } from './memory-simulation';
import { ALL_CAPABILITIES } from '../shared/capabilities';

/** What a memory provider is built with besides its config. */
export interface MemoryProviderOptions {
  /** Country of numbers written without a code (for `simulate.failRecipient`). Default `RU`. */
  defaultCountry?: SmsCountryCode;
}

/**
 * The built-in in-memory provider: accepts every valid message, gives it an id (`<name>-<n>`),
 * keeps it in an `outbox` and reports it `delivered` (`scheduled` until its `sendAt`). For
 * development, demos and tests; it needs no credentials. `simulate` makes it fail like a real
 * provider (see `MemorySimulation`).
 */
export class MemoryProvider implements SmsProvider {
  readonly capabilities: readonly SmsCapability[] = [...ALL_CAPABILITIES];
  /** What this provider took, newest last. */
  readonly outbox: MemoryOutbox;
  /** Switches that make the provider refuse, fail, time out or wait. */
  readonly simulate: MemorySimulation;
  private sequence = 0;
  private readonly waiting = new Set<() => void>();

  constructor(
    readonly name: string,
    private readonly config: MemoryProviderConfig = { driver: 'memory' },
    options: MemoryProviderOptions = {},
  ) {
    this.outbox = new MemoryOutbox(config.outboxLimit ?? 1000, name);
    this.simulate = new MemorySimulation(name, options.defaultCountry);
  }

  async send(request: ProviderSendRequest): Promise<ProviderSendResult> {
    await this.prepare('send', request.signal);
    const failure = this.simulate.takeFailure('send');
    if (failure) {
      if (failure.reached) for (const m of request.messages) this.record(request, m.to, m.text, m.segments);
      throw failure.error;
    }
    const messages = request.messages.map((m): SentMessage => {
      const error = this.simulate.takeRecipientFailure(m.to);
      if (error)
        return {
          to: m.to,
          text: m.text,
          accepted: false,
          status: 'rejected',
          segments: m.segments.segments,
          error,
        };
      const kept = this.record(request, m.to, m.text, m.segments);
      return {
        to: m.to,
        text: m.text,
        accepted: true,
        id: kept.id,
        status: kept.status,
        segments: kept.segments,
      };
    });
    return { messages };
  }

  async getStatus(ids: string[], options: ProviderCallOptions = {}): Promise<ProviderMessageStatus[]> {
    await this.prepare('status', options.signal);
    this.throwFailure('status');
    const now = Date.now();
    return ids.map((id) => {
      const found = this.outbox.find(id);
      if (!found) return { id, status: 'not_found', final: true, providerStatus: 'not_found' };
      const status =
        found.status === 'scheduled' && (found.sendAt?.getTime() ?? 0) <= now ? 'delivered' : found.status;
      return { id, status, final: status !== 'scheduled', providerStatus: status, to: found.to };
    });
  }

  async getCost(request: ProviderSendRequest): Promise<ProviderCostResult> {
    await this.prepare('cost', request.signal);
    this.throwFailure('cost');
    const messages = request.messages.map((m) => ({ to: m.to, segments: m.segments.segments, price: 0 }));
    return { total: 0, totalSegments: messages.reduce((n, m) => n + m.segments, 0), messages };
  }

  async getBalance(options: ProviderCallOptions = {}): Promise<number> {
    await this.prepare('balance', options.signal);
    this.throwFailure('balance');
    return 0;
  }

  /** Ends the calls still waiting on a simulated delay (`UNAVAILABLE`, nothing recorded). */
  close(): void {
    for (const stop of [...this.waiting]) stop();
  }

  private record(
    request: ProviderSendRequest,
    to: string,
    text: string,
    segments: ProviderSendRequest['messages'][number]['segments'],
  ): OutboxMessage {
    const createdAt = new Date();
    const message: OutboxMessage = {
      id: `${this.name}-${++this.sequence}`,
      provider: this.name,
      to,
      text,
      segments: segments.segments,
      encoding: segments.encoding,
      status: request.sendAt && request.sendAt > createdAt ? 'scheduled' : 'delivered',
      createdAt,
      test: request.test ?? this.config.test ?? false,
    };
    if (request.sender !== undefined) message.sender = request.sender;
    if (request.sendAt !== undefined) message.sendAt = request.sendAt;
    this.outbox.add(message);
    return message;
  }

  private throwFailure(operation: MemoryOperation): void {
    const failure = this.simulate.takeFailure(operation);
    if (failure) throw failure.error;
  }

  /** Waits the simulated delay; the call's deadline or `close()` cuts it short. */
  private prepare(operation: MemoryOperation, signal: AbortSignal | undefined): Promise<void> {
    const ms = this.simulate.delayOf(operation);
    if (ms === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const finish = (error?: SmsError) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.waiting.delete(onClose);
        if (error) reject(error);
        else resolve();
      };
      // The call reached the (slow) provider, as a request written and then timed out: unknown.
      const onAbort = () =>
        finish(
          new SmsError(
            `${this.name}: no answer before the deadline.${operation === 'send' ? ` ${RECONCILE_HINT}` : ''}`,
            {
              code: 'TIMEOUT',
              provider: this.name,
              failure: 'unknown',
            },
          ),
        );
      const onClose = () =>
        finish(
          new SmsError(`${this.name}: the provider was closed; the message was not sent`, {
            code: 'UNAVAILABLE',
            provider: this.name,
            failure: 'unavailable',
          }),
        );
      const timer = setTimeout(() => finish(), ms);
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.add(onClose);
    });
  }
}
