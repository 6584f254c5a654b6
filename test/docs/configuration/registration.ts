import { Injectable, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { SmsModule, type SmsModuleOptions, type SmsOptionsFactory } from 'nestjs-sms';

/** The options, from the environment through ConfigService (the sender is optional). */
function smsOptions(config: ConfigService): SmsModuleOptions {
  return {
    providers: {
      main: { driver: 'smsru', apiId: config.getOrThrow('SMSRU_API_ID'), sender: config.get('SMS_SENDER') },
    },
  };
}

// The options themselves.
export const direct = SmsModule.forRoot({
  providers: { main: { driver: 'smsru', apiId: process.env.SMSRU_API_ID } },
  isGlobal: true,
});

// A factory: `imports` are the modules whose providers it (and custom drivers) inject.
export const fromFactory = SmsModule.forRootAsync({
  imports: [ConfigModule],
  inject: [ConfigService],
  useFactory: (config: ConfigService) => smsOptions(config), // may be async
  isGlobal: true,
});

// A class that SmsModule builds, or takes from a module that exports it.
@Injectable()
export class SmsConfig implements SmsOptionsFactory {
  constructor(private readonly config: ConfigService) {}

  createSmsOptions(): SmsModuleOptions {
    return smsOptions(this.config);
  }
}

@Module({ imports: [ConfigModule], providers: [SmsConfig], exports: [SmsConfig] })
export class SmsConfigModule {}

export const fromClass = SmsModule.forRootAsync({ imports: [ConfigModule], useClass: SmsConfig });
export const fromExisting = SmsModule.forRootAsync({ imports: [SmsConfigModule], useExisting: SmsConfig });
