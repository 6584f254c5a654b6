import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationType, MeterProvider, type ViewOptions } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { type Env } from '../config/sms.config';
import { DEMO_SERVICE_NAME, type DemoTelemetrySettings, parseTelemetryEnv } from '../config/telemetry.config';

/** The demo's OpenTelemetry SDK: what serves `GET /metrics` and what stops it. */
export interface DemoTelemetry {
  /** Reads every instrument (the library's `nestjs-sms` scope included) when Prometheus scrapes. */
  readonly prometheus: PrometheusExporter;
  /** What it was started with. */
  readonly settings: DemoTelemetrySettings;
  /** Flushes and stops both providers and takes them off the global API. Idempotent. */
  shutdown(): Promise<void>;
}

/** Bucket bounds in seconds of a provider request: 5 ms to 30 s (the SDK's default bounds are for milliseconds). */
export const REQUEST_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Bucket bounds in seconds from a send to its final status: 1 s to a day. */
export const DELIVERY_DURATION_BUCKETS = [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 21_600, 86_400];

const buckets = (instrumentName: string, boundaries: number[]): ViewOptions => ({
  instrumentName,
  aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries } },
});

/** The histograms of the library, in buckets that fit what they measure. */
const VIEWS: ViewOptions[] = [
  buckets('sms.provider.request.duration', REQUEST_DURATION_BUCKETS),
  buckets('sms.delivery.duration', DELIVERY_DURATION_BUCKETS),
];

/** Invalid settings start the SDK without a trace exporter: the `telemetry` config namespace reports them. */
function settingsOf(env: Env): DemoTelemetrySettings {
  try {
    return parseTelemetryEnv(env);
  } catch {
    return { serviceName: env.OTEL_SERVICE_NAME?.trim() || DEMO_SERVICE_NAME, exportTraces: false };
  }
}

/**
 * Registers the OpenTelemetry SDK on the global `@opentelemetry/api`, which is what the library
 * records through: a `MeterProvider` read by the Prometheus exporter (no server of its own: the demo
 * serves it at `GET /metrics`; the two duration histograms in buckets of seconds that fit them), and a `NodeTracerProvider` with the AsyncLocalStorage context manager
 * and the W3C propagators, exporting spans in batches over OTLP/HTTP (JSON) when
 * `OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set (nowhere otherwise).
 * Resource `service.name`: `OTEL_SERVICE_NAME`, default `nestjs-sms-demo`. Reads `process.env`, as the
 * exporters do (`OTEL_EXPORTER_OTLP_HEADERS`, `…_TIMEOUT` and the other OTLP variables are theirs).
 *
 * Call it before the library is loaded: an instrument created before a meter provider is registered
 * stays a no-op (the metrics API has no proxy, unlike the trace API).
 *
 * @example
 * const telemetry = startTelemetry();
 * const app = await NestFactory.create(AppModule.forRoot({ telemetry }));
 */
export function startTelemetry(): DemoTelemetry {
  const settings = settingsOf(process.env);
  const resource = defaultResource().merge(resourceFromAttributes({ 'service.name': settings.serviceName }));
  const prometheus = new PrometheusExporter({ preventServerStart: true });
  const meterProvider = new MeterProvider({ resource, readers: [prometheus], views: VIEWS });
  const tracerProvider = new NodeTracerProvider({
    resource,
    spanProcessors: settings.exportTraces ? [new BatchSpanProcessor(new OTLPTraceExporter())] : [],
  });
  metrics.setGlobalMeterProvider(meterProvider);
  tracerProvider.register();
  let stopped: Promise<void> | undefined;
  return {
    prometheus,
    settings,
    shutdown: () =>
      (stopped ??= Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]).then(() => {
        metrics.disable();
        trace.disable();
        propagation.disable();
        context.disable();
      })),
  };
}
