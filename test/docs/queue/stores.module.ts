import { Module } from '@nestjs/common';
import { Redis } from 'ioredis';
import { SmsModule } from 'nestjs-sms';
import { RedisIdempotencyStore, RedisRateLimitStore, SmsQueueModule } from 'nestjs-sms/queue';

// One client for the stores and the queue; quit it in a shutdown hook of your own.
export const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });

@Module({
  imports: [
    SmsModule.forRoot({
      providers: { main: { driver: 'smsru', apiId: process.env.SMSRU_API_ID } },
      idempotency: { store: new RedisIdempotencyStore(redis) },
      antiFlood: { perNumber: [{ max: 1, windowMs: 60_000 }], store: new RedisRateLimitStore(redis) },
    }),
    SmsQueueModule.forRoot({ connection: redis }),
  ],
})
export class AppModule {}
