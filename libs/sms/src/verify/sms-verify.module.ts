import { Module } from '@nestjs/common';
import { SmsVerifyConfigurableModule } from './sms-verify.module-definition';
import { SmsVerifyService } from './sms-verify.service';

/**
 * One-time codes by SMS (`SmsVerifyService`), on top of `SmsModule`: register `SmsModule` globally
 * (`isGlobal: true`) or in the same module's imports.
 *
 * @example
 * SmsVerifyModule.forRoot({ secret: process.env.SMS_VERIFY_SECRET! });
 *
 * @example
 * SmsVerifyModule.forRootAsync({
 *   inject: [ConfigService, RedisConnection],
 *   useFactory: (config: ConfigService, redis: RedisConnection) => ({
 *     secret: config.getOrThrow('SMS_VERIFY_SECRET'),
 *     store: new RedisVerifyStore(redis.client),
 *   }),
 * });
 */
@Module({
  providers: [SmsVerifyService],
  exports: [SmsVerifyService],
})
export class SmsVerifyModule extends SmsVerifyConfigurableModule {}
