import { randomBytes } from 'node:crypto';
import { Logger, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { RedisVerifyStore, SmsVerifyModule } from 'nestjs-sms/verify';
import { RedisConnection } from '../queue/redis-connection.service';
import { RedisModule } from '../queue/redis.module';
import { VerifyController } from './verify.controller';

/**
 * `POST /verify/start` and `POST /verify/check` on `SmsVerifyModule`: the HMAC key from
 * `SMS_VERIFY_SECRET` (a random one for this process when unset, with a warning), verifications in
 * Redis when `REDIS_URL` is set (shared by every instance), optional WebOTP line for
 * `SMS_VERIFY_WEBOTP_DOMAIN`.
 */
@Module({
  imports: [
    SmsVerifyModule.forRootAsync({
      imports: [RedisModule],
      inject: [ConfigService, RedisConnection],
      useFactory: (config: ConfigService, redis: RedisConnection) => {
        let secret = config.get<string>('SMS_VERIFY_SECRET');
        if (!secret) {
          secret = randomBytes(32).toString('base64url');
          new Logger('SmsVerify').warn(
            'SMS_VERIFY_SECRET is not set: codes are keyed with a random secret of this process (set it to share codes between instances)',
          );
        }
        const webOtpDomain = config.get<string>('SMS_VERIFY_WEBOTP_DOMAIN') || undefined;
        return {
          secret,
          ...(redis.client ? { store: new RedisVerifyStore(redis.client, { prefix: 'sms:verify:' }) } : {}),
          ...(webOtpDomain ? { message: { webOtpDomain } } : {}),
        };
      },
    }),
  ],
  controllers: [VerifyController],
})
export class VerifyModule {}
