import { type INestApplication, Logger } from '@nestjs/common';
import { type ConfigType } from '@nestjs/config';
import { SmsWebhooksService, SmsService } from 'nestjs-sms';
import { OPENAPI_PATH } from './app.setup';
import { serverConfig } from './config/server.config';
import { queueConfig, smsConfig } from './config/sms.config';
import { telemetryConfig } from './config/telemetry.config';
import { WEBHOOK_TOKEN_MASK } from './logging/webhook-path.mask';
import { isMemoryActive } from './outbox/memory-active';
import { DEMO_TELEMETRY } from './telemetry/telemetry.constants';

/** Whether the application serves `GET /metrics` (it was given the OpenTelemetry SDK). */
function servesMetrics(app: INestApplication): boolean {
  try {
    return Boolean(app.get(DEMO_TELEMETRY, { strict: false }));
  } catch {
    return false;
  }
}

/**
 * Starts the HTTP server as `serverConfig` says (`PORT`; `HOST` only with `DEMO_API_KEY`, otherwise
 * 127.0.0.1) and logs one line with where it listens, who may call it, its URLs, and where the traces
 * go (never the OTLP endpoint itself: it may carry a password).
 *
 * @example
 * configureApp(app);
 * await listenDemo(app); // {"msg":"nestjs-sms demo listening","address":"127.0.0.1:3000","access":"local only: …",…}
 */
export async function listenDemo(app: INestApplication): Promise<void> {
  const server = app.get<ConfigType<typeof serverConfig>>(serverConfig.KEY);
  await app.listen(server.port, server.host);
  const bound = app.getHttpServer().address() as { address: string; port: number };
  const url = `http://localhost:${bound.port}`;
  const outbox = isMemoryActive(app.get(SmsService));
  const sms = app.get<ConfigType<typeof smsConfig>>(smsConfig.KEY);
  const queue = Boolean(app.get<ConfigType<typeof queueConfig>>(queueConfig.KEY).redisUrl);
  const { exportTraces } = app.get<ConfigType<typeof telemetryConfig>>(telemetryConfig.KEY);
  new Logger('Demo').log({
    msg: 'nestjs-sms demo listening',
    address: `${bound.address}:${bound.port}`,
    access: server.apiKey
      ? 'API key required (DEMO_API_KEY) on every route but /health/* and the delivery-report endpoints'
      : `local only: bound to ${server.host}${server.ignoredHost ? ` instead of HOST=${server.ignoredHost}` : ''}, no API key; set DEMO_API_KEY to listen on HOST`,
    url,
    docs: `${url}/${OPENAPI_PATH}`,
    health: [`${url}/health/live`, `${url}/health/ready`],
    ...(outbox ? { outbox: `${url}/outbox` } : {}),
    ...(queue ? { queue: `${url}/sms/queue` } : {}),
    ...(servesMetrics(app)
      ? {
          metrics: `${url}/metrics`,
          traces: exportTraces
            ? 'exported over OTLP/HTTP (OTEL_EXPORTER_OTLP_ENDPOINT)'
            : 'not exported (set OTEL_EXPORTER_OTLP_ENDPOINT)',
        }
      : {}),
    ...(sms.webhooks
      ? {
          deliveryReports: `${url}/${sms.webhooks.path}/{provider}/${WEBHOOK_TOKEN_MASK}`,
          deliveryReportProviders: app.get(SmsWebhooksService).providers,
        }
      : {}),
  });
}
