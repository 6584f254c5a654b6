import { Module } from '@nestjs/common';
import { RedisConnection } from './redis-connection.service';

/** The Redis client of the shared stores, imported by `SmsModule.forRootAsync` to build `idempotency.store`. */
@Module({
  providers: [RedisConnection],
  exports: [RedisConnection],
})
export class RedisModule {}
