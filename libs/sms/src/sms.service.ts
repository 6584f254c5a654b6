import { setMaxListeners } from 'node:events';
import { Injectable, Logger, type Type } from '@nestjs/common';
import { type Observable } from 'rxjs';
import { SmsError, SmsValidationError } from './errors';
import { DeliveryReportBus } from './events/delivery-report-bus';
import { type DeliveryReport } from './events/delivery-report.interface';
import { type WaitForFinalStatusOptions, pollUntilFinal } from './events/delivery-report-polling';
import { SmsEventBus } from './events/sms-event-bus';
import { type SmsEvent } from './events/sms-event.interface';
import { AntiFloodGuard } from './guard/anti-flood';
import { IdempotencyGuard, isIdempotencyKey, MAX_IDEMPOTENCY_KEY_LENGTH } from './guard/idempotency';
import { MemoryIdempotencyStore } from './guard/memory-idempotency.store';
import { MemoryRateLimitStore } from './guard/memory-rate-limit.store';
import {
  type BalanceResult,
  type BatchItem,
  type CostResult,
  type MessageStatus,
  type ProviderSelection,
  type SendBatchOptions,
  type SendInput,
  type SendResult,
  type SendOptions,
  type SmsProviderInfo,
  type ValidatedSend,
} from './interfaces';
import { type SmsCountryCode } from './message/phone';
import { type NormalizedSend, normalizeBatch, normalizeSend } from './message/normalize';
import { driverLabel } from './providers/driver-lookup';
import { type RegisteredProvider, SmsProviderRegistry } from './providers/sms-provider-registry';
import { CircuitBreakers, type SmsCircuitState } from './routing/circuit-breakers';
import { SmsRouter, type SmsSendOperation, buildRequest, requireCapability } from './routing/sms-router';
import { SMS_LOGGER_CONTEXT } from './sms.constants';
import { describeCall, describeResult } from './telemetry/call-span';
import { measureDeliveryTimes } from './telemetry/delivery-time';
import { type SmsReadOperation, measureRead } from './telemetry/reads';
import { SpanKinds, type SmsSpan, inSpan } from './telemetry/spans';

/** Calls started within this many ms share one deadline signal. */
const DEADLINE_GRANULARITY_MS = 50;

/**
 * Sends SMS and reads their status, cost and the account balance, through the configured providers.
 *
 * Every send takes one straight line: validate and normalize (nothing goes out on bad input) →
 * idempotency and anti-flood guards → route through the failover list and circuit breakers → the
 * driver → one `SendResult`, events on `events$` and a debug log line with masked numbers.
 *
 * @example
 * @Injectable()
 * export class OtpService {
 *   constructor(private readonly sms: SmsService) {}
 *   async sendCode(phone: string, code: string) {
 *     const result = await this.sms.send({ to: phone, text: `Your code: ${code}`, idempotencyKey: `otp:${phone}:${code}` });
 *     return result.messages[0];
 *   }
 * }
 */
@Injectable()
export class SmsService {
  private readonly logger = new Logger(SMS_LOGGER_CONTEXT);
  private readonly breakers: CircuitBreakers;
  private readonly router: SmsRouter;
  private readonly idempotency: IdempotencyGuard;
  private readonly antiFlood: AntiFloodGuard;
  private sharedDeadline?: { signal: AbortSignal; deadlineAt: number };

  constructor(
    private readonly registry: SmsProviderRegistry,
    private readonly bus: SmsEventBus,
    private readonly reports: DeliveryReportBus,
  ) {
    const { options } = registry;
    this.breakers = new CircuitBreakers(options.circuitBreaker, bus);
    this.router = new SmsRouter(registry, this.breakers, bus, this.logger);
    const { idempotency, antiFlood } = options;
    this.idempotency = new IdempotencyGuard(
      idempotency.store ?? new MemoryIdempotencyStore(idempotency.maxEntries),
      idempotency.ttlMs,
    );
    this.antiFlood = new AntiFloodGuard(
      antiFlood,
      antiFlood.store ?? new MemoryRateLimitStore(antiFlood.maxEntries),
    );
  }

  /** `sent`, `failed`, `retry`, `failover`, `circuit-open` and `circuit-close` events. */
  get events$(): Observable<SmsEvent> {
    return this.bus.events$;
  }

  /**
   * Delivery reports that the providers pushed to the webhook endpoints (`webhooks` option), each
   * (provider, id, status) once within `webhooks.dedupeWindowMs`, after `onDeliveryReport` took it.
   */
  get deliveryReports$(): Observable<DeliveryReport> {
    return this.reports.reports$;
  }

  /** The configured provider names. */
  get providers(): string[] {
    return this.registry.names;
  }

  /** The provider a call that names none goes to. */
  get defaultProvider(): string {
    return this.registry.options.defaultProvider;
  }

  /** The country of numbers written without a country code. */
  get defaultCountry(): SmsCountryCode {
    return this.registry.options.defaultCountry;
  }

  /** The overall deadline of one call, retries and failover included, in ms. */
  get sendTimeoutMs(): number {
    return this.registry.options.sendTimeoutMs;
  }

  /**
   * What a configured provider is (read-only): its driver's name, capabilities and effective
   * limits. `VALIDATION` error for a name that is not configured; the default provider without one.
   */
  provider(name?: string): SmsProviderInfo {
    const { config, driver, limits } = this.registry.get(name);
    return {
      name: name ?? this.defaultProvider,
      driver: driverLabel(config.driver),
      capabilities: [...driver.capabilities],
      limits: { ...limits, ttlMinutes: { ...limits.ttlMinutes } },
    };
  }

  /**
   * Checks a send as `send` would, without sending: the input, the provider's limits and
   * capabilities, the idempotency key. Returns the normalized send; throws the error `send` would
   * throw before any request (`SmsValidationError`, `UNSUPPORTED`).
   */
  validate(input: SendInput): ValidatedSend {
    const provider = this.registry.get(input?.provider);
    const normalized = normalizeSend(input, this.normalizeContext(provider));
    this.check(provider, normalized, input.idempotencyKey);
    return { provider: provider.name, messages: normalized.messages, options: normalized.options };
  }

  /**
   * Sends one text to one or more numbers. Invalid input throws `SmsValidationError` before any
   * request; a recipient the provider refuses is `accepted: false` in the result. An error whose
   * `outcome` is `unknown` means the message may have gone out: reconcile, do not resend.
   */
  async send(input: SendInput): Promise<SendResult> {
    return inSpan('sms.send', SpanKinds.INTERNAL, (span) => {
      const provider = this.registry.get(input?.provider);
      const normalized = normalizeSend(input, this.normalizeContext(provider));
      return this.dispatch(provider, normalized, input.idempotencyKey, 'send', span);
    });
  }

  /** Sends a different text to each number (same guards, routing and result as `send`). */
  async sendBatch(items: BatchItem[], options: SendBatchOptions = {}): Promise<SendResult> {
    return inSpan('sms.send_batch', SpanKinds.INTERNAL, (span) => {
      const provider = this.registry.get(options?.provider);
      const normalized = normalizeBatch(items, options, this.normalizeContext(provider));
      return this.dispatch(provider, normalized, options?.idempotencyKey, 'send_batch', span);
    });
  }

  /** The delivery status of messages by id. */
  async getStatus(ids: string | string[], options: ProviderSelection = {}): Promise<MessageStatus[]> {
    return inSpan('sms.get_status', SpanKinds.INTERNAL, (span) => this.readStatus(ids, options, span));
  }

  private async readStatus(
    ids: string | string[],
    options: ProviderSelection,
    span: SmsSpan,
  ): Promise<MessageStatus[]> {
    const provider = this.registry.get(options.provider);
    describeCall(span, 'get_status', provider);
    const list = (Array.isArray(ids) ? ids : [ids]).map((id) => (typeof id === 'string' ? id.trim() : ''));
    const bad = list.findIndex((id) => id === '');
    if (list.length === 0 || bad >= 0) {
      throw new SmsValidationError([
        { field: bad >= 0 ? `ids[${bad}]` : 'ids', message: 'must be non-empty ids' },
      ]);
    }
    requireCapability(provider, 'status');
    const statuses = await this.read(provider, 'get_status', (deadline) =>
      provider.driver.getStatus!([...new Set(list)], deadline),
    );
    const read = statuses.map((s) => ({ ...s, provider: provider.name }));
    measureDeliveryTimes(read);
    return read;
  }

  /**
   * Polls `getStatus` with backoff (`intervalMs`, then 1.5 times longer each time, at most 30 s) until
   * every id has a final status or `timeoutMs` is over, and returns the last status of each id in input
   * order. At the timeout it resolves with the statuses as they are: check `final` on each.
   *
   * @example
   * const [status] = await sms.waitForFinalStatus(result.messages[0].id!, { timeoutMs: 120_000 });
   * if (status.final && status.status === 'delivered') markDelivered();
   */
  async waitForFinalStatus(
    ids: string | string[],
    options: WaitForFinalStatusOptions = {},
  ): Promise<MessageStatus[]> {
    const provider = this.registry.get(options.provider).name;
    const list = Array.isArray(ids) ? ids : [ids];
    return pollUntilFinal(list, provider, (pending) => this.getStatus(pending, { provider }), options);
  }

  /** What a send would cost, without sending. */
  async getCost(input: SendInput): Promise<CostResult> {
    return inSpan('sms.get_cost', SpanKinds.INTERNAL, (span) => this.readCost(input, span));
  }

  private async readCost(input: SendInput, span: SmsSpan): Promise<CostResult> {
    const provider = this.registry.get(input?.provider);
    const normalized = normalizeSend(input, this.normalizeContext(provider));
    describeCall(span, 'get_cost', provider, normalized.messages);
    requireCapability(provider, 'cost');
    const cost = await this.read(provider, 'get_cost', (deadline) =>
      provider.driver.getCost!(buildRequest(provider, normalized.messages, normalized.options, deadline)),
    );
    return {
      provider: provider.name,
      total: cost.total,
      totalSegments: cost.totalSegments ?? normalized.messages.reduce((n, m) => n + m.segments.segments, 0),
      currency: 'RUB',
      messages: cost.messages,
    };
  }

  /** The account balance in RUB. */
  async getBalance(options: ProviderSelection = {}): Promise<BalanceResult> {
    return inSpan('sms.get_balance', SpanKinds.INTERNAL, async (span) => {
      const provider = this.registry.get(options.provider);
      describeCall(span, 'get_balance', provider);
      requireCapability(provider, 'balance');
      const balance = await this.read(provider, 'get_balance', (deadline) =>
        provider.driver.getBalance!(deadline),
      );
      return { provider: provider.name, balance, currency: 'RUB' };
    });
  }

  /** A provider's circuit breaker state: `open` while sends skip it. */
  circuitState(provider: string): SmsCircuitState {
    return this.breakers.state(this.registry.get(provider).name);
  }

  /**
   * The driver of a configured provider, for its own operations (a stop list, HLR requests, …).
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

  /** One read of a provider (status, cost, balance) under the deadline, measured as `operation`. */
  private read<T>(
    provider: RegisteredProvider,
    operation: SmsReadOperation,
    call: (deadline: { signal: AbortSignal; deadlineAt: number }) => Promise<T>,
  ): Promise<T> {
    return measureRead(provider.name, operation, () => this.withDeadline(call));
  }

  /**
   * Runs a call under the overall deadline (`sendTimeoutMs`): its signal aborts when the time is up.
   * Calls started within the same `DEADLINE_GRANULARITY_MS` share one deadline (one signal, one timer),
   * which keeps a busy service from making a controller and a timer for every send.
   */
  private withDeadline<T>(call: (deadline: { signal: AbortSignal; deadlineAt: number }) => Promise<T>) {
    const { sendTimeoutMs } = this.registry.options;
    const deadlineAt =
      Math.ceil((Date.now() + sendTimeoutMs) / DEADLINE_GRANULARITY_MS) * DEADLINE_GRANULARITY_MS;
    if (this.sharedDeadline?.deadlineAt !== deadlineAt) {
      const controller = new AbortController();
      setMaxListeners(0, controller.signal);
      setTimeout(() => controller.abort(), deadlineAt - Date.now()).unref();
      this.sharedDeadline = { signal: controller.signal, deadlineAt };
    }
    return call(this.sharedDeadline);
  }

  /** The checks of a normalized send that need no request: capabilities, the idempotency key. */
  private check(
    provider: RegisteredProvider,
    normalized: NormalizedSend,
    idempotencyKey: SendOptions['idempotencyKey'],
  ): void {
    buildRequest(provider, normalized.messages, normalized.options);
    if (idempotencyKey !== undefined && !isIdempotencyKey(idempotencyKey)) {
      throw new SmsValidationError([
        {
          field: 'idempotencyKey',
          message: `must be a non-empty text of at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`,
        },
      ]);
    }
  }

  private async dispatch(
    provider: RegisteredProvider,
    normalized: NormalizedSend,
    idempotencyKey: SendOptions['idempotencyKey'],
    operation: SmsSendOperation,
    span: SmsSpan,
  ): Promise<SendResult> {
    describeCall(span, operation, provider, normalized.messages);
    this.check(provider, normalized, idempotencyKey);
    const result = await this.withDeadline((deadline) => {
      const run = async () => {
        if (this.antiFlood.enabled) {
          await this.antiFlood.check(
            normalized.messages.map((m) => m.to),
            normalized.options.clientIp,
          );
        }
        return this.router.send(provider, normalized, deadline, operation);
      };
      return idempotencyKey === undefined
        ? run()
        : this.idempotency.run(idempotencyKey, deadline.deadlineAt, run);
    });
    describeResult(span, result.messages);
    return result;
  }
}
