import { type DynamicModule } from '@nestjs/common';
import { type Redis } from 'ioredis';
import { SmsModule } from 'nestjs-sms';
import { RedisIdempotencyStore, RedisRateLimitStore } from 'nestjs-sms/queue';

/** SmsModule of one instance of a fleet: idempotency keys and anti-flood counts shared in Redis. */
export function fleetSmsModule(redis: Redis): DynamicModule {
  return SmsModule.forRoot({
    providers: { main: { driver: 'smsru', apiId: process.env.SMSRU_API_ID } },
    idempotency: { ttlMs: 86_400_000, store: new RedisIdempotencyStore(redis) },
    antiFlood: {
      perNumber: [{ max: 1, windowMs: 60_000 }],
      store: new RedisRateLimitStore(redis),
    },
  });
}
