import { Module } from '@nestjs/common';
import { SmsModule } from 'nestjs-sms';
import { SmsVerifyModule } from 'nestjs-sms/verify';

@Module({
  imports: [
    SmsModule.forRoot({
      providers: { main: { driver: 'smsru', apiId: process.env.SMSRU_API_ID! } },
      isGlobal: true,
    }),
    SmsVerifyModule.forRoot({ secret: process.env.SMS_VERIFY_SECRET! }),
  ],
})
export class AppModule {}
