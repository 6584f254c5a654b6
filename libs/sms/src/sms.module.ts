import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DeliveryReportBus } from './events/delivery-report-bus';
import { SmsEventBus } from './events/sms-event-bus';
import { type SmsModuleOptions } from './interfaces';
import { SmsProviderRegistry } from './providers/sms-provider-registry';
import { SMS_MODULE_OPTIONS } from './sms.constants';
import { SmsConfigurableModule } from './sms.module-definition';
import { resolveSmsOptions } from './sms-options';
import { SmsService } from './sms.service';
import { SmsWebhooksService } from './webhooks/sms-webhooks.service';
import { SMS_WEBHOOK_DEFAULTS } from './webhooks/webhooks-options';

/**
 * The SMS module.
 *
 * @example
 * SmsModule.forRoot({
 *   providers: {
 *     main: { driver: 'memory', sender: 'MyShop' },
 *     backup: { driver: 'memory' },
 *   },
 *   failover: ['main', 'backup'],
 *   isGlobal: true,
 * });
 *
 * @example
 * SmsModule.forRootAsync({
 *   imports: [ConfigModule],
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({
 *     providers: { main: { driver: 'memory', sender: config.getOrThrow('SMS_SENDER') } },
 *   }),
 * });
 *
 * With `webhooks` in the options, the module also mounts the delivery-report endpoints
 * (`{webhooks.path}/{provider}/{token}`, below the app's global prefix; see `SmsWebhooksService`).
 */
@Module({
  providers: [
    SmsEventBus,
    {
      provide: SmsProviderRegistry,
      inject: [SMS_MODULE_OPTIONS, ModuleRef, SmsEventBus],
      useFactory: (options: SmsModuleOptions, moduleRef: ModuleRef, events: SmsEventBus) =>
        SmsProviderRegistry.create(resolveSmsOptions(options), moduleRef, events),
    },
    {
      provide: DeliveryReportBus,
      inject: [SmsProviderRegistry],
      useFactory: ({ options }: SmsProviderRegistry) =>
        new DeliveryReportBus({
          dedupeWindowMs: options.webhooks?.dedupeWindowMs ?? SMS_WEBHOOK_DEFAULTS.dedupeWindowMs,
          dedupeMaxEntries: options.webhooks?.dedupeMaxEntries ?? SMS_WEBHOOK_DEFAULTS.dedupeMaxEntries,
          handler: options.onDeliveryReport,
        }),
    },
    SmsService,
    SmsWebhooksService,
  ],
  exports: [SmsService, SmsWebhooksService],
})
export class SmsModule extends SmsConfigurableModule implements NestModule {
  constructor(private readonly webhooks: SmsWebhooksService) {
    super();
  }

  /** Mounts the delivery-report endpoints, with the path of the options resolved at runtime. */
  configure(consumer: MiddlewareConsumer): void {
    const route = this.webhooks.route;
    if (route) consumer.apply(this.webhooks.middleware).forRoutes({ path: route, method: RequestMethod.ALL });
  }
}
