import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { SmsModule } from 'nestjs-sms';

@Module({
  imports: [
    SmsModule.forRootAsync({
      imports: [ConfigModule.forRoot()],
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        providers: {
          main: {
            driver: 'smsru',
            apiId: config.getOrThrow('SMSRU_API_ID'),
            sender: config.get('SMS_SENDER'),
          },
        },
        defaultCountry: 'RU',
      }),
      isGlobal: true,
    }),
  ],
})
export class AppModule {}
