import { registerAs } from '@nestjs/config';
import { DemoConfigError, type Env } from './sms.config';

/** The `service.name` of the demo's spans and metrics when `OTEL_SERVICE_NAME` is not set. */
export const DEMO_SERVICE_NAME = 'nestjs-sms-demo';

/** What the demo does with its traces and metrics. */
export interface DemoTelemetrySettings {
  /** `OTEL_SERVICE_NAME`, default `nestjs-sms-demo`. */
  serviceName: string;
  /**
   * Whether spans are exported over OTLP/HTTP: `OTEL_EXPORTER_OTLP_ENDPOINT` (or
   * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set. The exporter reads the address, headers and timeout
   * from those variables itself; the demo never repeats them (a header may hold a token).
   */
  exportTraces: boolean;
}

const ENDPOINTS = ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] as const;

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/**
 * Reads `OTEL_SERVICE_NAME` and the OTLP endpoints. An endpoint that is not an http(s) URL stops the
 * start (its value is never repeated: it may carry a password).
 *
 * @example
 * parseTelemetryEnv({}); // { serviceName: 'nestjs-sms-demo', exportTraces: false }
 * parseTelemetryEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }); // { …, exportTraces: true }
 */
export function parseTelemetryEnv(env: Env): DemoTelemetrySettings {
  const problems = ENDPOINTS.filter((name) => env[name]?.trim() && !isHttpUrl(env[name]!.trim())).map(
    (name) =>
      `${name} must be an http:// or https:// URL (an OTLP/HTTP collector, e.g. http://localhost:4318)`,
  );
  if (problems.length > 0) throw new DemoConfigError(problems);
  return {
    serviceName: env.OTEL_SERVICE_NAME?.trim() || DEMO_SERVICE_NAME,
    exportTraces: ENDPOINTS.some((name) => Boolean(env[name]?.trim())),
  };
}

/**
 * The `telemetry` configuration namespace: checked with the others when the demo starts, so that a bad
 * endpoint is listed with every other setting to fix.
 */
export const telemetryConfig = registerAs('telemetry', (): DemoTelemetrySettings =>
  parseTelemetryEnv(process.env),
);
