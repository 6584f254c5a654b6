import type { Counter, Histogram, Meter, MeterProvider, ObservableResult } from '@opentelemetry/api';
import { AttributeCache, type SmsAttributes } from './attribute-cache';
import { SCOPE_NAME, SCOPE_VERSION, otel } from './otel';

/** The instruments of the library, made once for the meter provider registered now. */
export interface SmsInstruments {
  messages: Counter;
  segments: Counter;
  cost: Counter;
  providerDuration: Histogram;
  retries: Counter;
  failovers: Counter;
  circuitTransitions: Counter;
  deliveryReports: Counter;
  deliveryDuration: Histogram;
  queueJobs: Counter;
  healthChecks: Counter;
  verifyOutcomes: Counter;
}

/** Reports observations for an observable gauge; each source is asked at every collection. */
export type GaugeSource = (
  observe: (value: number, attributes: SmsAttributes) => void,
) => void | Promise<void>;

/** Circuit breakers and queues that the gauges read, held weakly: an application that is gone drops out. */
const circuitSources = new Set<WeakRef<GaugeSource>>();
const queueSources = new Set<GaugeSource>();

let made: { provider: MeterProvider; instruments: SmsInstruments | undefined } | undefined;

/**
 * The instruments for the global meter provider, or `undefined` without `@opentelemetry/api` or
 * while no SDK is registered (nothing is measured then, no attribute looked up). The API has no proxy
 * meter, so they are made again when another provider was registered since.
 */
export function instruments(): SmsInstruments | undefined {
  if (!otel) return undefined;
  const provider = otel.metrics.getMeterProvider();
  if (made?.provider !== provider) {
    const meter = provider.getMeter(SCOPE_NAME, SCOPE_VERSION);
    made = { provider, instruments: meter === otel.createNoopMeter() ? undefined : create(meter) };
  }
  return made.instruments;
}

/** Adds circuit breakers to `sms.circuit.state`. */
export function observeCircuits(source: GaugeSource): void {
  if (otel) circuitSources.add(new WeakRef(source));
}

/** Adds a queue to `sms.queue.depth` until `forgetQueue`. */
export function observeQueue(source: GaugeSource): void {
  if (otel) queueSources.add(source);
}

export function forgetQueue(source: GaugeSource): void {
  queueSources.delete(source);
}

/** Bounds of `sms.delivery.duration` in seconds: 1 s to a day. */
const DELIVERY_DURATION_BUCKETS = [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 21_600, 86_400];

function create(meter: Meter): SmsInstruments {
  const counter = (name: string, unit: string, description: string) =>
    meter.createCounter(name, { unit, description });
  const circuitState = meter.createObservableGauge('sms.circuit.state', {
    unit: '{state}',
    description: 'Circuit breaker state of a provider: 0 closed, 1 half-open, 2 open',
  });
  circuitState.addCallback((result) => {
    for (const ref of circuitSources) {
      const source = ref.deref();
      if (source) void source(observer(result));
      else circuitSources.delete(ref);
    }
  });
  const depth = meter.createObservableGauge('sms.queue.depth', {
    unit: '{job}',
    description: 'Jobs of the SMS queue by state',
  });
  depth.addCallback(async (result) => {
    await Promise.all([...queueSources].map((source) => source(observer(result))));
  });
  return {
    messages: counter(
      'sms.messages',
      '{message}',
      'Recipients by provider and result, once per provider attempt',
    ),
    segments: counter('sms.segments', '{segment}', 'SMS parts of the recipients a provider accepted'),
    cost: meter.createCounter('sms.cost', {
      unit: '{RUB}',
      description: 'Money the providers reported for the sends',
    }),
    providerDuration: meter.createHistogram('sms.provider.request.duration', {
      unit: 's',
      description: 'Duration of one provider attempt, transport retries included',
      advice: { explicitBucketBoundaries: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] },
    }),
    retries: counter('sms.retries', '{retry}', 'Transport retries of what provably was not sent'),
    failovers: counter(
      'sms.failovers',
      '{failover}',
      'Sends handed to the next provider of the failover list',
    ),
    circuitTransitions: counter('sms.circuit.transitions', '{transition}', 'Circuit breaker state changes'),
    deliveryReports: counter('sms.delivery_reports', '{report}', 'Delivery reports the webhooks took'),
    deliveryDuration: meter.createHistogram('sms.delivery.duration', {
      unit: 's',
      description: 'Time from a send to the final status of the message',
      advice: { explicitBucketBoundaries: DELIVERY_DURATION_BUCKETS },
    }),
    queueJobs: counter('sms.queue.jobs', '{job}', 'Runs of queued sends by outcome'),
    healthChecks: counter('sms.health.checks', '{check}', 'Health checks by provider and status'),
    verifyOutcomes: counter('sms.verify.outcomes', '{outcome}', 'Phone verification outcomes'),
  };
}

function observer(result: ObservableResult) {
  return (value: number, attributes: SmsAttributes) => result.observe(value, attributes);
}

/** `sms.provider` + `sms.result` (`sms.messages`, `sms.segments` use the first key only). */
export const PROVIDER_RESULT = new AttributeCache(['sms.provider', 'sms.result']);
/** `sms.provider` + `sms.operation` + `sms.result` (`sms.provider.request.duration`). */
export const PROVIDER_OPERATION_RESULT = new AttributeCache(['sms.provider', 'sms.operation', 'sms.result']);
/** `sms.provider` + `error.type` (`sms.retries`). */
export const PROVIDER_ERROR = new AttributeCache(['sms.provider', 'error.type']);
/** `sms.provider` + `sms.failover.to` + `error.type` (`sms.failovers`). */
export const FAILOVER = new AttributeCache(['sms.provider', 'sms.failover.to', 'error.type']);
