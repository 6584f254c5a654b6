import { DemoConfigError } from './sms.config';
import { parseTelemetryEnv } from './telemetry.config';

describe('parseTelemetryEnv', () => {
  it('names the service nestjs-sms-demo and exports no trace without an endpoint', () => {
    expect(parseTelemetryEnv({})).toEqual({ serviceName: 'nestjs-sms-demo', exportTraces: false });
    expect(parseTelemetryEnv({ OTEL_SERVICE_NAME: ' shop-sms ', OTEL_EXPORTER_OTLP_ENDPOINT: ' ' })).toEqual({
      serviceName: 'shop-sms',
      exportTraces: false,
    });
  });

  it('exports traces when either OTLP endpoint is set', () => {
    expect(parseTelemetryEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }).exportTraces).toBe(
      true,
    );
    expect(
      parseTelemetryEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://otel.example.com/v1/traces' })
        .exportTraces,
    ).toBe(true);
  });

  it('refuses an endpoint that is not an http(s) URL, without repeating it', () => {
    const endpoint = 'grpc://user:s3cret-pass@collector:4317';
    const error = (() => {
      try {
        return parseTelemetryEnv({
          OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'x',
        });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DemoConfigError);
    expect((error as DemoConfigError).problems).toHaveLength(2);
    expect((error as DemoConfigError).message).toMatch(/OTEL_EXPORTER_OTLP_ENDPOINT must be an http/);
    expect((error as DemoConfigError).message).not.toContain('s3cret');
  });
});
