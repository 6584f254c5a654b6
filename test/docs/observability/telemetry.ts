// #region setup
import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/**
 * Registers the OpenTelemetry SDK: spans to an OTLP collector, metrics on a Prometheus endpoint
 * (`http://host:9464/metrics`). Call it before `NestFactory.create`; the returned function flushes
 * and stops both at shutdown.
 */
export function startTelemetry(options: { otlpUrl: string; prometheusPort?: number }): () => Promise<void> {
  const resource = resourceFromAttributes({ 'service.name': 'notifications' });
  const tracerProvider = new NodeTracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${options.otlpUrl}/v1/traces` }))],
  });
  tracerProvider.register(); // the global tracer, async-hooks context and W3C propagation
  const meterProvider = new MeterProvider({
    resource,
    readers: [new PrometheusExporter({ port: options.prometheusPort ?? 9464 })],
  });
  metrics.setGlobalMeterProvider(meterProvider);
  return async () => {
    await tracerProvider.shutdown();
    await meterProvider.shutdown();
  };
}
// #endregion setup
