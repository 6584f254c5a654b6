import { type DynamicModule, Module } from '@nestjs/common';
import { ConditionalModule, ConfigModule, type ConfigType } from '@nestjs/config';
import { SmsModule, type SmsModuleOptions } from 'nestjs-sms';
import { RedisIdempotencyStore } from 'nestjs-sms/queue';
import { DEMO_ENV_FILES, serverConfig } from './config/server.config';
import { hasMemoryProvider, hasRedis, healthConfig, queueConfig, smsConfig } from './config/sms.config';
import { telemetryConfig } from './config/telemetry.config';
import { HealthModule } from './health/health.module';
import { LifecycleLogger } from './logging/lifecycle.logger';
import { RequestLoggerMiddleware } from './logging/request-logger.middleware';
import { SmsEventsLogger } from './logging/sms-events.logger';
import { OutboxModule } from './outbox/outbox.module';
import { QueueModule } from './queue/queue.module';
import { RedisConnection } from './queue/redis-connection.service';
import { RedisModule } from './queue/redis.module';
import { RootController } from './root.controller';
import { type DemoTelemetry } from './telemetry/telemetry';
import { TelemetryModule } from './telemetry/telemetry.module';
import { SmsController } from './sms/sms.controller';
import { VerifyModule } from './verify/verify.module';
import { CallbackRegistrationService } from './webhooks/callback-registration.service';
import { DeliveryReportLogger } from './webhooks/delivery-report.logger';
import { DeliveryReportsModule } from './webhooks/delivery-reports.module';

/** How the demo module is built. */
export interface AppModuleOptions {
  /** Skip `.env` files and read only the process environment (tests). Default `false`. */
  ignoreEnvFile?: boolean;
  /** The OpenTelemetry SDK started before the application (`startTelemetry`): serves `GET /metrics`. */
  telemetry?: DemoTelemetry;
}

/**
 * The demo service: `SmsModule` configured from the environment through `@nestjs/config` (with the
 * delivery-report endpoints when `SMS_WEBHOOK_TOKEN` is set, idempotency keys in Redis when `REDIS_URL`
 * is set), the REST API, health probes, the BullMQ queue routes when `REDIS_URL` is set,
 * structured logs of every request, SMS event and delivery report, with a memory provider the dev
 * outbox page, and, given the OpenTelemetry SDK, `GET /metrics` for Prometheus. Optional features
 * are modules of their own, imported when their settings say so.
 */
@Module({})
export class AppModule {
  /**
   * The demo wired from the environment: `.env` (then `apps/demo/.env`) and the process environment,
   * which wins.
   */
  static forRoot(options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          cache: true,
          envFilePath: DEMO_ENV_FILES,
          ignoreEnvFile: options.ignoreEnvFile,
          load: [serverConfig, smsConfig, healthConfig, queueConfig, telemetryConfig],
        }),
        SmsModule.forRootAsync({
          isGlobal: true,
          imports: [DeliveryReportsModule, RedisModule],
          inject: [smsConfig.KEY, queueConfig.KEY, DeliveryReportLogger, RedisConnection],
          useFactory: (
            sms: ConfigType<typeof smsConfig>,
            queue: ConfigType<typeof queueConfig>,
            reports: DeliveryReportLogger,
            redis: RedisConnection,
          ): SmsModuleOptions => ({
            ...sms,
            ...(redis.client
              ? {
                  idempotency: {
                    ...sms.idempotency,
                    store: new RedisIdempotencyStore(redis.client, { prefix: queue.idempotencyPrefix }),
                  },
                }
              : {}),
            onDeliveryReport: (report) => reports.handle(report),
          }),
        }),
        HealthModule,
        VerifyModule,
        // A function, not the name: `registerWhen('REDIS_URL')` is true when the variable is absent.
        ConditionalModule.registerWhen(QueueModule, hasRedis, { debug: false }),
        ConditionalModule.registerWhen(OutboxModule, hasMemoryProvider, { debug: false }),
        ...(options.telemetry ? [TelemetryModule.forRoot(options.telemetry)] : []),
      ],
      controllers: [RootController, SmsController],
      providers: [RequestLoggerMiddleware, SmsEventsLogger, LifecycleLogger, CallbackRegistrationService],
    };
  }
}
