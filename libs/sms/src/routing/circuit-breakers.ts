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
import { AttributeCache } from '../telemetry/attribute-cache';
import { type GaugeSource, instruments, observeCircuits } from '../telemetry/metrics';

/** A provider's breaker state, as health checks read it. */
export type SmsCircuitState = 'closed' | 'open' | 'half-open';

/** `sms.circuit.state` values. */
const GAUGE_VALUES: Readonly<Record<SmsCircuitState, number>> = { closed: 0, 'half-open': 1, open: 2 };
const TRANSITION = new AttributeCache(['sms.provider', 'sms.circuit.to']);
const PROVIDER = new AttributeCache(['sms.provider']);

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
  ) {
    observeCircuits(this.observeStates);
  }

  /** `sms.circuit.state` of each provider that has a breaker (held weakly by the gauge). */
  private readonly observeStates: GaugeSource = (observe) => {
    for (const provider of this.breakers.keys()) {
      observe(GAUGE_VALUES[this.state(provider)], PROVIDER.get(provider));
    }
  };

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
      breaker.onBreak(() => {
        transition(provider, 'open');
        this.events.emit({ type: 'circuit-open', provider, at: new Date() });
      });
      breaker.onReset(() => {
        transition(provider, 'closed');
        this.events.emit({ type: 'circuit-close', provider, at: new Date() });
      });
      breaker.onHalfOpen(() => transition(provider, 'half_open'));
      this.breakers.set(provider, breaker);
    }
    return breaker;
  }
}

/** `sms.circuit.transitions`. */
function transition(provider: string, to: 'open' | 'closed' | 'half_open'): void {
  instruments()?.circuitTransitions.add(1, TRANSITION.get(provider, to));
}
