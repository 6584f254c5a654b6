import { Module } from '@nestjs/common';
import { type ConfigType } from '@nestjs/config';
import { SmsQueueModule } from 'nestjs-sms/queue';
import { queueConfig, queueModuleOptions } from '../config/sms.config';
import { QueueController } from './queue.controller';

/**
 * `POST /sms/queue` and `GET /sms/queue/{jobId}` on `SmsQueueModule` (BullMQ), options from
 * `REDIS_URL` and `SMS_QUEUE_…`; imported only when `REDIS_URL` is set. Every instance runs a worker
 * unless `SMS_QUEUE_WORKER=false`.
 */
@Module({
  imports: [
    SmsQueueModule.forRootAsync({
      inject: [queueConfig.KEY],
      useFactory: (settings: ConfigType<typeof queueConfig>) => queueModuleOptions(settings),
    }),
  ],
  controllers: [QueueController],
})
export class QueueModule {}
