import { Module } from '@nestjs/common';
import { SmsModule } from 'nestjs-sms';
import { SmsQueueModule } from 'nestjs-sms/queue';
import { Notifier } from './notifier';

@Module({
  imports: [
    SmsModule.forRoot({ providers: { main: { driver: 'smsru', apiId: process.env.SMSRU_API_ID } } }),
    SmsQueueModule.forRoot({
      connection: process.env.REDIS_URL!, // redis://…, ioredis options, or an ioredis instance
      concurrency: 10,
      limiter: { max: 50, duration: 1_000 },
    }),
  ],
  providers: [Notifier],
})
export class AppModule {}
