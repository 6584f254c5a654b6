import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import { SmsCircuitOpenError, SmsError } from '../errors';
import { type SmsEventBus } from '../events/sms-event-bus';
import { type SmsCircuitBreakerOptions } from '../interfaces';

/** A provider's breaker state, as health checks read it. */
export type SmsCircuitState = 'closed' | 'open' | 'half-open';

/**
 * Failures that say the provider is in trouble, by class: `unavailable` (down, provably not sent)
 * and `unknown` (written, then no usable answer). A refusal, an account problem or a missing route
 * says nothing about the provider's health.
 */
function isOutage(error: unknown): boolean {
  return error instanceof SmsError && (error.failure === 'unavailable' || error.failure === 'unknown');
}

/**
 * One cockatiel circuit breaker per provider: after `threshold` consecutive outages (`unavailable`
 * or `unknown` failures) it opens, sends skip the provider for `halfOpenAfterMs` (each skip is
 * `unavailable`: not sent, so failover moves on), then one probe send may close it again.
 */
export class CircuitBreakers {
  private readonly breakers = new Map<string, CircuitBreakerPolicy>();

  constructor(
    private readonly options: Required<SmsCircuitBreakerOptions> | false,
    private readonly events: SmsEventBus,
  ) {}

  state(provider: string): SmsCircuitState {
    const breaker = this.breakers.get(provider);
    if (!breaker) return 'closed';
    if (breaker.state === CircuitState.Open || breaker.state === CircuitState.Isolated) return 'open';
    return breaker.state === CircuitState.HalfOpen ? 'half-open' : 'closed';
  }

  /**
   * Runs `fn` through the provider's breaker. Throws `SmsCircuitOpenError` (`UNAVAILABLE`, not
   * sent) without calling `fn` while the breaker is open.
   */
  async execute<T>(provider: string, fn: () => Promise<T>): Promise<T> {
    const breaker = this.breaker(provider);
    if (!breaker) return fn();
    try {
      return await breaker.execute(fn);
    } catch (e) {
      if (e instanceof BrokenCircuitError) throw new SmsCircuitOpenError(provider);
      throw e;
    }
  }

  private breaker(provider: string): CircuitBreakerPolicy | undefined {
    if (this.options === false) return undefined;
    let breaker = this.breakers.get(provider);
    if (!breaker) {
      breaker = circuitBreaker(handleWhen(isOutage), {
        halfOpenAfter: this.options.halfOpenAfterMs,
        breaker: new ConsecutiveBreaker(this.options.threshold),
      });
      breaker.onBreak(() => this.events.emit({ type: 'circuit-open', provider, at: new Date() }));
      breaker.onReset(() => this.events.emit({ type: 'circuit-close', provider, at: new Date() }));
      this.breakers.set(provider, breaker);
    }
    return breaker;
  }
}
