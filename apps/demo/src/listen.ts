import { type INestApplication, Logger } from '@nestjs/common';
import { type ConfigType } from '@nestjs/config';
import { SmsWebhooksService, SmsService } from 'nestjs-sms';
import { OPENAPI_PATH } from './app.setup';
import { serverConfig } from './config/server.config';
import { queueConfig, smsConfig } from './config/sms.config';
import { WEBHOOK_TOKEN_MASK } from './logging/webhook-path.mask';
import { isMemoryActive } from './outbox/memory-active';

/**
 * Starts the HTTP server as `serverConfig` says (`PORT`; `HOST` only with `DEMO_API_KEY`, otherwise
 * 127.0.0.1) and logs one line with where it listens, who may call it, and its URLs.
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
    ...(sms.webhooks
      ? {
          deliveryReports: `${url}/${sms.webhooks.path}/{provider}/${WEBHOOK_TOKEN_MASK}`,
          deliveryReportProviders: app.get(SmsWebhooksService).providers,
        }
      : {}),
  });
}
