import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { SmsModule } from 'nestjs-sms';
import { DeliveryReports, DeliveryReportsModule } from './delivery-reports';

@Module({
  imports: [
    SmsModule.forRootAsync({
      imports: [ConfigModule.forRoot(), DeliveryReportsModule],
      inject: [ConfigService, DeliveryReports],
      useFactory: (config: ConfigService, reports: DeliveryReports) => ({
        providers: {
          main: { driver: 'smsru', apiId: config.getOrThrow<string>('SMSRU_API_ID') },
          backup: { driver: 'smspilot', apiKey: config.getOrThrow<string>('SMSPILOT_API_KEY') },
        },
        webhooks: {
          path: 'sms/webhooks', // below the app's global prefix
          token: config.getOrThrow<string>('SMS_WEBHOOK_TOKEN'), // a random secret: openssl rand -hex 24
          publicUrl: 'http://api.example.com/api', // how the providers reach the app, prefix included
        },
        onDeliveryReport: (report) => reports.upsert(report),
      }),
      isGlobal: true,
    }),
  ],
})
export class AppModule {}
