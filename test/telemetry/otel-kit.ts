import { context, metrics, propagation, trace, type Attributes } from '@opentelemetry/api';
import { MeterProvider, MetricReader, type DataPoint, type MetricData } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/** A reader collected on demand. */
class ManualReader extends MetricReader {
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** One data point of a metric, as the tests read it. */
export interface Point {
  attributes: Attributes;
  value: unknown;
}

/**
 * Global OTel SDK for one spec file: tracer provider (in-memory spans, async-hooks context, W3C
 * propagation) and meter provider (collected on demand). `stop()` disables every global API again.
 */
export class OtelKit {
  readonly exporter = new InMemorySpanExporter();
  private readonly reader = new ManualReader();
  private readonly tracerProvider = new NodeTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(this.exporter)],
  });
  private readonly meterProvider = new MeterProvider({ readers: [this.reader] });

  start(): this {
    this.tracerProvider.register();
    metrics.setGlobalMeterProvider(this.meterProvider);
    return this;
  }

  async stop(): Promise<void> {
    await this.tracerProvider.shutdown();
    await this.meterProvider.shutdown();
    trace.disable();
    metrics.disable();
    context.disable();
    propagation.disable();
  }

  spans(): ReadableSpan[] {
    return this.exporter.getFinishedSpans();
  }

  reset(): void {
    this.exporter.reset();
  }

  /** Every metric collected now. */
  async collect(): Promise<MetricData[]> {
    const { resourceMetrics } = await this.reader.collect();
    return resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
  }

  /** The data points of one metric (none when it was never recorded). */
  async points(name: string): Promise<Point[]> {
    const metric = (await this.collect()).find((m) => m.descriptor.name === name);
    return (metric?.dataPoints ?? []).map((p: DataPoint<unknown>) => ({
      attributes: p.attributes,
      value: p.value,
    }));
  }

  /** The value of the point with exactly these attributes, 0 when there is none. */
  async value(name: string, attributes: Attributes): Promise<unknown> {
    const points = await this.points(name);
    const key = JSON.stringify(sorted(attributes));
    return points.find((p) => JSON.stringify(sorted(p.attributes)) === key)?.value ?? 0;
  }
}

function sorted(attributes: Attributes): Attributes {
  return Object.fromEntries(Object.entries(attributes).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * The spans as an indented tree of `name [attr=value …]` lines, children in start order; `keys`
 * picks the attributes shown.
 */
export function spanTree(spans: readonly ReadableSpan[], keys: readonly string[]): string[] {
  const ids = new Set(spans.map((s) => s.spanContext().spanId));
  const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;
  const byStart = [...spans].sort((a, b) => hr(a.startTime) - hr(b.startTime));
  const lines: string[] = [];
  const walk = (parent: string | undefined, depth: number) => {
    for (const span of byStart.filter((s) =>
      parent ? parentOf(s) === parent : !ids.has(parentOf(s) ?? ''),
    )) {
      const shown = keys
        .filter((k) => span.attributes[k] !== undefined)
        .map((k) => `${k}=${span.attributes[k]}`);
      const status = span.status.code === 2 ? ' ERROR' : '';
      lines.push(`${'  '.repeat(depth)}${span.name}${shown.length ? ` [${shown.join(' ')}]` : ''}${status}`);
      walk(span.spanContext().spanId, depth + 1);
    }
  };
  walk(undefined, 0);
  return lines;
}

function hr([seconds, nanos]: [number, number]): number {
  return seconds * 1e9 + nanos;
}
