import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { SmsModule, type SmsModuleOptions } from 'nestjs-sms';

export function smsOptions(config: ConfigService): SmsModuleOptions {
  return {
    providers: {
      main: {
        driver: 'smsru',
        apiId: config.getOrThrow('SMSRU_API_ID'),
        sender: 'MyShop',
      },
    },
    timeoutMs: 10_000,
  };
}

@Module({
  imports: [
    SmsModule.forRootAsync({
      imports: [ConfigModule.forRoot()],
      inject: [ConfigService],
      useFactory: smsOptions,
    }),
  ],
})
export class AppModule {}
