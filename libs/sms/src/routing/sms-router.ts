import { Logger } from '@nestjs/common';
import { RECONCILE_HINT, SmsError, type SmsErrorCode, type SmsFailureClass, failureClassOf } from '../errors';
import { type SmsEventBus } from '../events/sms-event-bus';
import {
  type OutgoingMessage,
  type ProviderSendRequest,
  type SendAttempt,
  type SendResult,
  type SentMessage,
  type SmsCapability,
} from '../interfaces';
import { type NormalizedSend, checkLimits } from '../message/normalize';
import { maskPhone } from '../message/phone';
import { type RegisteredProvider, type SmsProviderRegistry } from '../providers/sms-provider-registry';
import { SmsCircuitOpenError } from '../errors';
import { driverLabel } from '../providers/driver-lookup';
import { rememberSendTimes } from '../telemetry/delivery-time';
import { FAILOVER, PROVIDER_OPERATION_RESULT, PROVIDER_RESULT, instruments } from '../telemetry/metrics';
import { SpanKinds, type SmsSpan, activate, failSpan, recording, startSpan } from '../telemetry/spans';
import { type CircuitBreakers } from './circuit-breakers';

/** What a routed send is, for the `sms.operation` attribute. */
export type SmsSendOperation = 'send' | 'send_batch';

/**
 * Send options that change what is delivered, so a provider without them must refuse the send.
 * (`test: true` needs `testMode` too: a driver without it would really send. `clientIp` is not among
 * them: it feeds the anti-flood limiter, and only a driver with `clientIp` receives it.)
 */
const OPTION_CAPABILITIES: ReadonlyArray<[keyof NormalizedSend['options'], SmsCapability]> = [
  ['sendAt', 'schedule'],
  ['ttlMinutes', 'ttl'],
  ['translit', 'translit'],
  ['daytime', 'daytime'],
];

/** Throws `UNSUPPORTED` when the provider lacks a capability the send needs. */
export function requireCapability(provider: RegisteredProvider, capability: SmsCapability): void {
  if (!provider.driver.capabilities.includes(capability)) {
    // Class `account`: this provider cannot send it, another of the failover list may.
    throw new SmsError(`Provider "${provider.name}" does not support ${capability}`, {
      code: 'UNSUPPORTED',
      provider: provider.name,
      failure: 'account',
    });
  }
}

/** Builds the driver's request: options checked against its capabilities, provider defaults filled in. */
export function buildRequest(
  provider: RegisteredProvider,
  messages: readonly OutgoingMessage[],
  options: NormalizedSend['options'],
  deadline?: { signal: AbortSignal; deadlineAt: number },
): ProviderSendRequest {
  for (const [option, capability] of OPTION_CAPABILITIES) {
    if (options[option] !== undefined) requireCapability(provider, capability);
  }
  if (messages.some((m) => m.text !== messages[0].text)) requireCapability(provider, 'batch');
  const test = options.test ?? provider.config.test;
  if (test === true) requireCapability(provider, 'testMode');
  // Object.assign, not spread: this runs twice a send, and spreading costs several times more here.
  const request: ProviderSendRequest = Object.assign({}, options, {
    messages,
    sender: options.sender ?? provider.config.sender,
    test,
    signal: deadline?.signal,
    deadlineAt: deadline?.deadlineAt,
  });
  if (request.clientIp !== undefined && !provider.driver.capabilities.includes('clientIp')) {
    delete request.clientIp;
  }
  return request;
}

/** Rejects when the signal aborts first: a driver that ignores its signal still cannot hang a call. */
function raceDeadline<T>(work: Promise<T>, signal: AbortSignal, provider: string): Promise<T> {
  if (signal.aborted) work.catch(() => undefined);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () =>
      reject(
        new SmsError(`${provider}: no answer before the send deadline. ${RECONCILE_HINT}`, {
          code: 'TIMEOUT',
          provider,
          failure: 'unknown',
        }),
      );
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * A driver's exception that is not an `SmsError` says nothing of how far the send got: class
 * `unknown` (never retried, never failed over).
 */
function toSmsError(error: unknown, provider: string): SmsError {
  if (error instanceof SmsError) return error;
  const why = error instanceof Error ? error.message : String(error);
  return new SmsError(`${provider}: the driver failed (${why}). ${RECONCILE_HINT}`, {
    code: 'UNKNOWN',
    provider,
    failure: 'unknown',
  });
}

/**
 * Takes a validated send through the providers: the chosen one first, then the rest of the failover
 * list, skipping open breakers. The failure class alone decides: a provider that could not send
 * (`unavailable`, `account`; `no_route` with `failoverOnNoRoute`) hands the message (or just the
 * recipients it could not take) to the next; a refusal (`refused`) or an unknown outcome never moves on.
 */
export class SmsRouter {
  constructor(
    private readonly registry: SmsProviderRegistry,
    private readonly breakers: CircuitBreakers,
    private readonly events: SmsEventBus,
    private readonly logger: Logger,
  ) {}

  /** The providers a send starting at `first` may use, in order. */
  order(first: string): string[] {
    const { failover } = this.registry.options;
    return failover.includes(first) ? [first, ...failover.filter((n) => n !== first)] : [first];
  }

  async send(
    first: RegisteredProvider,
    normalized: NormalizedSend,
    deadline: { signal: AbortSignal; deadlineAt: number },
    operation: SmsSendOperation = 'send',
  ): Promise<SendResult> {
    const order = this.order(first.name);
    const results: Array<SentMessage | undefined> = new Array(normalized.messages.length);
    const attempts: SendAttempt[] = [];
    let pending = normalized.messages.map((message, index) => ({ message, index }));
    let used: string | undefined;
    let cost: number | undefined;
    let balance: number | undefined;

    for (let i = 0; i < order.length && pending.length > 0; i++) {
      const provider = i === 0 ? first : this.registry.get(order[i]);
      const next = order[i + 1];
      const started = Date.now();
      const messages = pending.map((p) => p.message);
      const span = startSpan('sms.attempt', SpanKinds.INTERNAL);
      if (recording(span)) {
        span.setAttributes({
          'sms.provider': provider.name,
          'sms.driver': driverLabel(provider.config.driver),
          'sms.attempt': i + 1,
          'sms.recipients': messages.length,
        });
      }
      try {
        if (i > 0) checkLimits(normalized, provider.limits);
        const request = buildRequest(provider, messages, normalized.options, deadline);
        // A driver that aborts at the deadline itself is trusted to; any other one is raced against it.
        const answer = await activate(span, () =>
          this.breakers.execute(provider.name, () =>
            provider.honoursDeadline
              ? provider.driver.send(request)
              : raceDeadline(provider.driver.send(request), deadline.signal, provider.name),
          ),
        );
        if (!Array.isArray(answer?.messages) || answer.messages.length !== messages.length) {
          throw new SmsError(
            `${provider.name}: the driver answered for ${answer?.messages?.length ?? 0} of ${messages.length} recipients. ${RECONCILE_HINT}`,
            { code: 'BAD_RESPONSE', provider: provider.name, failure: 'unknown' },
          );
        }
        const durationMs = Date.now() - started;
        attempts.push({ provider: provider.name, result: 'sent', recipients: messages.length, durationMs });
        used = provider.name;
        if (answer.cost !== undefined) cost = (cost ?? 0) + answer.cost;
        if (answer.balance !== undefined) balance = answer.balance;
        const handOver: typeof pending = [];
        answer.messages.forEach((sent, j) => {
          // Object.assign, not spread: this runs once a recipient (see buildRequest).
          results[pending[j].index] = Object.assign({}, sent, { provider: provider.name });
          if (next && this.recipientMayMove(sent)) handOver.push(pending[j]);
        });
        this.reportSent(provider.name, answer.messages, durationMs, operation, span);
        rememberSendTimes(provider.name, answer.messages, normalized.options.sendAt !== undefined);
        if (answer.cost !== undefined)
          instruments()?.cost.add(answer.cost, PROVIDER_RESULT.get(provider.name));
        if (handOver.length > 0)
          this.reportFailover(provider.name, next, results[handOver[0].index]!.error!.code);
        pending = handOver;
      } catch (e) {
        const error = toSmsError(e, provider.name);
        const durationMs = Date.now() - started;
        const skipped = error instanceof SmsCircuitOpenError;
        attempts.push({
          provider: provider.name,
          result: skipped ? 'skipped' : 'failed',
          recipients: messages.length,
          durationMs,
          error: { code: error.code, outcome: error.outcome, failure: error.failure, message: error.message },
        });
        failSpan(span, error);
        if (recording(span)) span.setAttribute('sms.result', error.failure);
        if (!skipped) this.reportFailed(provider.name, error, messages, durationMs, operation);
        const moveOn = next !== undefined && this.mayMove(error.failure);
        if (moveOn) {
          this.reportFailover(provider.name, next, error.code);
          continue;
        }
        if (used === undefined) {
          error.attempts = attempts;
          throw error;
        }
        for (const p of pending) results[p.index] = this.failedMessage(p.message, error, provider.name);
        pending = [];
      } finally {
        span?.end();
      }
    }
    return { provider: used ?? first.name, messages: results as SentMessage[], cost, balance, attempts };
  }

  private recipientMayMove(sent: SentMessage): boolean {
    return !sent.accepted && sent.error !== undefined && this.mayMove(failureClassOf(sent.error));
  }

  /**
   * Whether the next provider may take what this one did not send: it could not send (`unavailable`,
   * `account`), or it has no route and `failoverOnNoRoute` is on. A refusal or an unknown outcome stays.
   */
  private mayMove(failure: SmsFailureClass): boolean {
    if (failure === 'no_route') return !!this.registry.options.failoverOnNoRoute;
    return failure === 'unavailable' || failure === 'account';
  }

  private failedMessage(message: OutgoingMessage, error: SmsError, provider: string): SentMessage {
    return {
      to: message.to,
      text: message.text,
      accepted: false,
      status: error.outcome === 'unknown' ? 'unknown' : 'failed',
      segments: message.segments.segments,
      provider,
      error: {
        code: error.code,
        providerCode: error.providerCode,
        message: error.message,
        providerMessage: error.providerMessage,
        outcome: error.outcome,
        failure: error.failure,
      },
    };
  }

  /**
   * The provider answered for every recipient: metrics, the `sent` event (built only when someone
   * listens) and the debug line (only when debug is on).
   */
  private reportSent(
    provider: string,
    messages: SentMessage[],
    durationMs: number,
    operation: SmsSendOperation,
    span: SmsSpan,
  ): void {
    const metrics = instruments();
    let accepted = 0;
    let segments = 0;
    let acceptedSegments = 0;
    let firstFailure: SmsFailureClass | undefined;
    for (const m of messages) {
      segments += m.segments;
      if (m.accepted) {
        accepted++;
        acceptedSegments += m.segments;
        continue;
      }
      const failure = m.error ? failureClassOf(m.error) : 'unknown';
      firstFailure ??= failure;
      metrics?.messages.add(1, PROVIDER_RESULT.get(provider, failure));
    }
    const result = accepted > 0 ? 'accepted' : (firstFailure ?? 'accepted');
    if (metrics) {
      if (accepted > 0) metrics.messages.add(accepted, PROVIDER_RESULT.get(provider, 'accepted'));
      if (acceptedSegments > 0) metrics.segments.add(acceptedSegments, PROVIDER_RESULT.get(provider));
      metrics.providerDuration.record(
        durationMs / 1000,
        PROVIDER_OPERATION_RESULT.get(provider, operation, result),
      );
    }
    if (recording(span)) {
      span.setAttribute('sms.result', result);
      span.setAttribute('sms.segments', segments);
    }
    if (this.events.listening) {
      this.events.emit({
        type: 'sent',
        provider,
        at: new Date(),
        recipients: messages.length,
        accepted,
        segments,
        durationMs,
      });
    }
    if (!logs('debug')) return;
    this.logger.debug(
      `sent via ${provider}: ${accepted}/${messages.length} accepted (${describe(messages.map((m) => m.to))}), ${segments} segment(s), ${durationMs} ms`,
    );
  }

  private reportFailed(
    provider: string,
    error: SmsError,
    messages: readonly OutgoingMessage[],
    durationMs: number,
    operation: SmsSendOperation,
  ) {
    const metrics = instruments();
    if (metrics) {
      metrics.messages.add(messages.length, PROVIDER_RESULT.get(provider, error.failure));
      metrics.providerDuration.record(
        durationMs / 1000,
        PROVIDER_OPERATION_RESULT.get(provider, operation, error.failure),
      );
    }
    if (this.events.listening) {
      this.events.emit({
        type: 'failed',
        provider,
        at: new Date(),
        code: error.code,
        outcome: error.outcome,
        recipients: messages.length,
        durationMs,
      });
    }
    const level = error.outcome === 'unknown' ? 'warn' : 'debug';
    if (!logs(level)) return;
    this.logger[level](
      `send via ${provider} failed: ${error.code}, outcome ${error.outcome} (${describe(messages.map((m) => m.to))}), ${durationMs} ms`,
    );
  }

  private reportFailover(from: string, to: string, code: SmsErrorCode): void {
    instruments()?.failovers.add(1, FAILOVER.get(from, to, code));
    if (this.events.listening)
      this.events.emit({ type: 'failover', provider: from, to, code, at: new Date() });
    if (logs('warn')) this.logger.warn(`${from} did not send (${code}); failing over to ${to}`);
  }
}

/**
 * Whether a line at `level` would be printed. Until the application sets log levels Nest's logger
 * prints every level, while `Logger.isLevelEnabled` says no to every level then (`fatal` included).
 */
function logs(level: 'debug' | 'warn'): boolean {
  return Logger.isLevelEnabled(level) || !Logger.isLevelEnabled('fatal');
}

/** Masked numbers for a log line: the first three and a count. */
function describe(numbers: readonly string[]): string {
  const shown = numbers.slice(0, 3).map(maskPhone).join(', ');
  return numbers.length > 3 ? `${shown} and ${numbers.length - 3} more` : shown;
}
