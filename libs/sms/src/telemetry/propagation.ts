import type { Link } from '@opentelemetry/api';
import { otel } from './otel';

/** A W3C trace context as carried in a job's data (`traceparent`, `tracestate`). */
export type TraceCarrier = Record<string, string>;

/** The active trace context as a carrier, or `undefined` when there is none to carry. */
export function injectContext(): TraceCarrier | undefined {
  if (!otel) return undefined;
  const carrier: TraceCarrier = {};
  otel.propagation.inject(otel.context.active(), carrier);
  return Object.keys(carrier).length > 0 ? carrier : undefined;
}

/** A link to the context a carrier holds (none for a missing or unreadable carrier). */
export function linksFrom(carrier: unknown): Link[] | undefined {
  if (!otel || !carrier || typeof carrier !== 'object') return undefined;
  const fields: TraceCarrier = {};
  for (const [key, value] of Object.entries(carrier)) if (typeof value === 'string') fields[key] = value;
  const spanContext = otel.trace.getSpanContext(otel.propagation.extract(otel.ROOT_CONTEXT, fields));
  return spanContext && otel.trace.isSpanContextValid(spanContext) ? [{ context: spanContext }] : undefined;
}
