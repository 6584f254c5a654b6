import { Module } from '@nestjs/common';
import { SmsModule } from 'nestjs-sms';

@Module({
  imports: [
    SmsModule.forRoot({
      providers: {
        main: { driver: 'smsru', apiId: process.env.SMSRU_API_ID },
        backup: { driver: 'smspilot', apiKey: process.env.SMSPILOT_API_KEY },
      },
      failover: ['main', 'backup'],
    }),
  ],
})
export class NotificationsModule {}
