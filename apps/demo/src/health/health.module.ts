import { Module } from '@nestjs/common';
import { type ConfigType } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import { SmsHealthModule } from 'nestjs-sms/health';
import { healthConfig } from '../config/sms.config';
import { HealthController } from './health.controller';

/** `GET /health/live` and `GET /health/ready`: terminus with the SMS indicator, options from `SMS_HEALTH_…`. */
@Module({
  imports: [
    TerminusModule,
    SmsHealthModule.forRootAsync({
      inject: [healthConfig.KEY],
      useFactory: (health: ConfigType<typeof healthConfig>) => health.module,
    }),
  ],
  controllers: [HealthController],
})
export class HealthModule {}
