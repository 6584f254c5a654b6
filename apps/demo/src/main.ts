import { Logger } from '@nestjs/common';
import { ConfigModule, ConfigService, type ConfigType } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { SmsService, SmsWebhooksService } from 'nestjs-sms';
import { AppModule } from './app.module';
import { configureApp, OPENAPI_PATH } from './app.setup';
import { type queueConfig, type smsConfig } from './config/sms.config';
import { createLogger } from './logging/create-logger';
import { WEBHOOK_TOKEN_MASK } from './logging/webhook-path.mask';
import { isMemoryActive } from './outbox/memory-active';

async function bootstrap(): Promise<void> {
  const module = AppModule.forRoot();
  // ConfigModule has put `.env` into process.env by now: LOG_FORMAT and LOG_LEVEL may come from there.
  await ConfigModule.envVariablesLoaded;
  const logger = createLogger(process.env);
  const app = await NestFactory.create(module, { logger, abortOnError: false }).catch(() => undefined);
  if (!app) {
    // Nest has logged why (a DemoConfigError lists every setting to fix).
    process.exitCode = 1;
    return;
  }
  configureApp(app);
  const config = app.get(ConfigService);
  const port = Number(config.get('PORT') ?? 3000);
  await app.listen(port, config.get<string>('HOST') ?? '0.0.0.0');
  const url = `http://localhost:${port}`;
  const outbox = isMemoryActive(app.get(SmsService));
  const webhooks = config.get<ConfigType<typeof smsConfig>>('sms')?.webhooks;
  const queue = Boolean(config.get<ConfigType<typeof queueConfig>>('queue')?.redisUrl);
  new Logger('Demo').log({
    msg: 'nestjs-sms demo listening',
    url,
    docs: `${url}/${OPENAPI_PATH}`,
    health: [`${url}/health/live`, `${url}/health/ready`],
    ...(outbox ? { outbox: `${url}/outbox` } : {}),
    ...(queue ? { queue: `${url}/sms/queue` } : {}),
    ...(webhooks
      ? {
          deliveryReports: `${url}/${webhooks.path}/{provider}/${WEBHOOK_TOKEN_MASK}`,
          deliveryReportProviders: app.get(SmsWebhooksService).providers,
        }
      : {}),
  });
}

bootstrap().catch((error: unknown) => {
  new Logger('Demo').fatal({
    msg: 'the demo stopped',
    error: error instanceof Error ? error.message : String(error),
  });
  process.exitCode = 1;
});
