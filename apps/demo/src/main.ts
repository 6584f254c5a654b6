// First: the OpenTelemetry SDK is registered before the library creates its instruments.
import { telemetry } from './telemetry/started';
import { Logger } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { listenDemo } from './listen';
import { createLogger } from './logging/create-logger';

async function bootstrap(): Promise<void> {
  const module = AppModule.forRoot({ telemetry });
  // ConfigModule has put `.env` into process.env by now: LOG_FORMAT and LOG_LEVEL may come from there.
  await ConfigModule.envVariablesLoaded;
  const logger = createLogger(process.env);
  const app = await NestFactory.create(module, { logger, abortOnError: false }).catch(() => undefined);
  if (!app) {
    // Nest has logged why (a DemoConfigError lists every setting to fix).
    await telemetry.shutdown();
    process.exitCode = 1;
    return;
  }
  configureApp(app);
  await listenDemo(app);
}

bootstrap().catch((error: unknown) => {
  new Logger('Demo').fatal({
    msg: 'the demo stopped',
    error: error instanceof Error ? error.message : String(error),
  });
  process.exitCode = 1;
});
