import { type DynamicModule, Module } from '@nestjs/common';
import { ConditionalModule, ConfigModule, type ConfigType } from '@nestjs/config';
import { SmsModule, type SmsModuleOptions } from 'nestjs-sms';
import { hasMemoryProvider, healthConfig, smsConfig } from './config/sms.config';
import { HealthModule } from './health/health.module';
import { LifecycleLogger } from './logging/lifecycle.logger';
import { RequestLoggerMiddleware } from './logging/request-logger.middleware';
import { SmsEventsLogger } from './logging/sms-events.logger';
import { OutboxModule } from './outbox/outbox.module';
import { RootController } from './root.controller';
import { SmsController } from './sms/sms.controller';
import { CallbackRegistrationService } from './webhooks/callback-registration.service';
import { DeliveryReportLogger } from './webhooks/delivery-report.logger';
import { DeliveryReportsModule } from './webhooks/delivery-reports.module';

/** How the demo module is built. */
export interface AppModuleOptions {
  /** Skip `.env` files and read only the process environment (tests). Default `false`. */
  ignoreEnvFile?: boolean;
}

/**
 * The demo service: `SmsModule` configured from the environment through `@nestjs/config` (with the
 * delivery-report endpoints when `SMS_WEBHOOK_TOKEN` is set), the REST API, health probes,
 * structured logs of every request, SMS event and delivery report, and, with a memory provider, the
 * dev outbox page. Optional features are modules of their own, imported when their settings say so.
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
          envFilePath: ['.env', 'apps/demo/.env'],
          ignoreEnvFile: options.ignoreEnvFile,
          load: [smsConfig, healthConfig],
        }),
        SmsModule.forRootAsync({
          isGlobal: true,
          imports: [DeliveryReportsModule],
          inject: [smsConfig.KEY, DeliveryReportLogger],
          useFactory: (
            sms: ConfigType<typeof smsConfig>,
            reports: DeliveryReportLogger,
          ): SmsModuleOptions => ({
            ...sms,
            onDeliveryReport: (report) => reports.handle(report),
          }),
        }),
        HealthModule,
        ConditionalModule.registerWhen(OutboxModule, hasMemoryProvider, { debug: false }),
      ],
      controllers: [RootController, SmsController],
      providers: [RequestLoggerMiddleware, SmsEventsLogger, LifecycleLogger, CallbackRegistrationService],
    };
  }
}
