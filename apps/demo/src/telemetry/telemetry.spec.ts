import { metrics, trace } from '@opentelemetry/api';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { REQUEST_DURATION_BUCKETS, startTelemetry } from './telemetry';

/** What the Prometheus exporter answers to a scrape. */
function scrape(telemetry: ReturnType<typeof startTelemetry>): Promise<string> {
  return new Promise((resolve) => {
    const res = { statusCode: 0, setHeader: () => undefined, end: (body: string) => resolve(body) };
    telemetry.prometheus.getMetricsRequestHandler({} as IncomingMessage, res as unknown as ServerResponse);
  });
}

describe('startTelemetry', () => {
  const saved = process.env.OTEL_SERVICE_NAME;
  afterEach(() => {
    if (saved === undefined) delete process.env.OTEL_SERVICE_NAME;
    else process.env.OTEL_SERVICE_NAME = saved;
  });

  it('registers the meter and tracer providers globally, with buckets in seconds for the request duration', async () => {
    process.env.OTEL_SERVICE_NAME = 'sms-gateway';
    const telemetry = startTelemetry();
    try {
      expect(telemetry.settings).toEqual({ serviceName: 'sms-gateway', exportTraces: false });
      expect(trace.getTracer('check').startSpan('probe').isRecording()).toBe(true);
      metrics.getMeter('check').createHistogram('sms.provider.request.duration', { unit: 's' }).record(0.03);
      const text = await scrape(telemetry);
      expect(text).toMatch(/^target_info\{service_name="sms-gateway",/m);
      const bounds = [...text.matchAll(/^sms_provider_request_duration_bucket\{.*le="([^"]+)"\} (\d+)$/gm)];
      expect(bounds.map((b) => b[1])).toEqual([...REQUEST_DURATION_BUCKETS.map(String), '+Inf']);
      expect(bounds.map((b) => Number(b[2]))).toEqual([0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    } finally {
      await telemetry.shutdown();
    }
  });

  it('takes itself off the global API when shut down, and can be started again', async () => {
    const first = startTelemetry();
    await first.shutdown();
    await first.shutdown();
    expect(trace.getTracer('check').startSpan('probe').isRecording()).toBe(false);
    const second = startTelemetry();
    expect(trace.getTracer('check').startSpan('probe').isRecording()).toBe(true);
    await second.shutdown();
  });
});
