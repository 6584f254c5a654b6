import { Module } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { SmsEventBus } from './events/sms-event-bus';
import { type SmsModuleOptions } from './interfaces';
import { SmsProviderRegistry } from './providers/sms-provider-registry';
import { SMS_MODULE_OPTIONS } from './sms.constants';
import { SmsConfigurableModule } from './sms.module-definition';
import { resolveSmsOptions } from './sms-options';
import { SmsService } from './sms.service';

/**
 * The SMS module.
 *
 * @example
 * SmsModule.forRoot({
 *   providers: {
 *     main: { driver: 'smsru', apiId: process.env.SMSRU_API_ID, sender: 'MyShop' },
 *     backup: { driver: 'smspilot', apiKey: process.env.SMSPILOT_API_KEY },
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
 *     providers: { main: { driver: 'smsru', apiId: config.getOrThrow('SMSRU_API_ID') } },
 *   }),
 * });
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
    SmsService,
  ],
  exports: [SmsService, SmsProviderRegistry, SmsEventBus],
})
export class SmsModule extends SmsConfigurableModule {}
