import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Redis } from 'ioredis';
import { SmsModule } from 'nestjs-sms';
import { RedisVerifyStore, SmsVerifyModule } from 'nestjs-sms/verify';
import { RedisModule } from './redis.module';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true }),
    SmsModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        providers: { main: { driver: 'smsru', apiId: config.getOrThrow<string>('SMSRU_API_ID') } },
      }),
      isGlobal: true,
    }),
    SmsVerifyModule.forRootAsync({
      imports: [RedisModule],
      inject: [ConfigService, Redis],
      useFactory: (config: ConfigService, redis: Redis) => ({
        secret: config.getOrThrow<string>('SMS_VERIFY_SECRET'),
        store: new RedisVerifyStore(redis, { prefix: config.get('SMS_VERIFY_PREFIX', 'sms:verify:') }),
        message: { locale: 'ru', webOtpDomain: 'example.com' },
      }),
    }),
  ],
})
export class AppModule {}
