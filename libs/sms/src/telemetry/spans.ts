import type { Context, Link, Span, Tracer, TracerProvider } from '@opentelemetry/api';
import { SmsError } from '../errors/sms.error';
import { SCOPE_NAME, SCOPE_VERSION, otel } from './otel';

/** `SpanKind` of the API, by value (the API may not be installed). */
export const SpanKinds = { INTERNAL: 0, SERVER: 1, CLIENT: 2, PRODUCER: 3, CONSUMER: 4 } as const;
type Kind = (typeof SpanKinds)[keyof typeof SpanKinds];

/** A span of the library, or `undefined` without `@opentelemetry/api`. */
export type SmsSpan = Span | undefined;

let found: { provider: TracerProvider; tracer: Tracer } | undefined;

/**
 * The SDK's tracer, `undefined` while no SDK is registered (then no span is started at all, nor a
 * context made). Looked up at each call, so that an SDK registered after the library loaded is used.
 */
function sdkTracer(): Tracer | undefined {
  if (!otel) return undefined;
  const provider = otel.trace.getTracerProvider();
  if (found?.provider === provider) return found.tracer;
  const tracer =
    provider instanceof otel.ProxyTracerProvider
      ? provider.getDelegateTracer(SCOPE_NAME, SCOPE_VERSION)
      : provider.getTracer(SCOPE_NAME, SCOPE_VERSION);
  if (tracer) found = { provider, tracer };
  return tracer;
}

/** Whether the span records, so that its attributes are worth building. */
export function recording(span: SmsSpan): span is Span {
  return span !== undefined && span.isRecording();
}

/** Starts a span, a child of the active one (or of `parent`). */
export function startSpan(name: string, kind: Kind, links?: Link[], parent?: Context): SmsSpan {
  const tracer = sdkTracer();
  if (!tracer) return undefined;
  return tracer.startSpan(name, links ? { kind, links } : { kind }, parent ?? otel!.context.active());
}

/** Runs `fn` with `span` as the active span. */
export function activate<T>(span: SmsSpan, fn: () => T): T {
  if (!span) return fn();
  return otel!.context.with(otel!.trace.setSpan(otel!.context.active(), span), fn);
}

/**
 * Marks a span failed: status ERROR, `error.type` (the `SmsError` code, or the error's name) and an
 * exception event without the error's message (a driver's text could hold a number): code and class.
 */
export function failSpan(span: SmsSpan, error: unknown): void {
  if (!recording(span)) return;
  if (error instanceof SmsError) {
    span.setAttribute('error.type', error.code);
    span.setAttribute('sms.error.failure', error.failure);
    span.recordException({ name: 'SmsError', code: error.code, message: `${error.code} (${error.failure})` });
    span.setStatus({ code: 2, message: error.code });
    return;
  }
  const type = error instanceof Error ? error.name : typeof error;
  span.setAttribute('error.type', type);
  span.recordException({ name: type, message: type });
  span.setStatus({ code: 2, message: type });
}

/**
 * Runs `fn` inside a new active span, which ends when the promise settles; a rejection marks it failed
 * (`failSpan`). Without an SDK it is `fn(undefined)`.
 */
export function inSpan<T>(
  name: string,
  kind: Kind,
  fn: (span: SmsSpan) => Promise<T>,
  links?: Link[],
  parent?: Context,
): Promise<T> {
  const span = startSpan(name, kind, links, parent);
  return span ? traced(span, fn) : fn(undefined);
}

async function traced<T>(span: Span, fn: (span: SmsSpan) => Promise<T>): Promise<T> {
  try {
    return await activate(span, () => fn(span));
  } catch (e) {
    failSpan(span, e);
    throw e;
  } finally {
    span.end();
  }
}
