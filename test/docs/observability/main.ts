import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { startTelemetry } from './telemetry';

// #region main
export async function bootstrap(): Promise<{ app: INestApplication; stopTelemetry: () => Promise<void> }> {
  const stopTelemetry = startTelemetry({
    otlpUrl: process.env.OTLP_URL ?? 'http://localhost:4318',
    prometheusPort: Number(process.env.PROMETHEUS_PORT ?? 9464),
  });
  const app = await NestFactory.create(AppModule);
  app.enableShutdownHooks();
  await app.listen(0);
  return { app, stopTelemetry };
}
// #endregion main
