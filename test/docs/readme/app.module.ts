import { Module } from '@nestjs/common';
import { SmsModule } from 'nestjs-sms';

@Module({
  imports: [
    SmsModule.forRoot({
      providers: {
        main: { driver: 'smsru', apiId: process.env.SMSRU_API_ID, sender: 'MyShop' },
        backup: { driver: 'smspilot', apiKey: process.env.SMSPILOT_API_KEY },
        // dev: { driver: 'memory' },   // no credentials: for development and tests
      },
      failover: ['main', 'backup'],
      isGlobal: true,
    }),
  ],
})
export class AppModule {}
