import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { ConditionalModule, ConfigModule, type ConfigType } from '@nestjs/config';
import { SmsModule } from 'nestjs-sms';
import { hasMemoryProvider, smsConfig } from './config/sms.config';
import { LifecycleLogger } from './logging/lifecycle.logger';
import { RequestLoggerMiddleware } from './logging/request-logger.middleware';
import { SmsEventsLogger } from './logging/sms-events.logger';
import { OutboxModule } from './outbox/outbox.module';
import { RootController } from './root.controller';
import { SmsController } from './sms/sms.controller';

/** How the demo module is built. */
export interface AppModuleOptions {
  /** Skip `.env` files and read only the process environment (tests). Default `false`. */
  ignoreEnvFile?: boolean;
}

/**
 * The demo service: `SmsModule` configured from the environment through `@nestjs/config`, the
 * REST API, structured logs of every request and SMS event, and, with a memory provider, the dev
 * outbox page.
 */
@Module({})
export class AppModule implements NestModule {
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
          load: [smsConfig],
        }),
        SmsModule.forRootAsync({
          isGlobal: true,
          inject: [smsConfig.KEY],
          useFactory: (sms: ConfigType<typeof smsConfig>) => sms,
        }),
        ConditionalModule.registerWhen(OutboxModule, hasMemoryProvider, { debug: false }),
      ],
      controllers: [RootController, SmsController],
      providers: [SmsEventsLogger, LifecycleLogger],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestLoggerMiddleware).forRoutes('{*path}');
  }
}
