import { Module } from '@nestjs/common';
import { SmsQueueConfigurableModule } from './sms-queue.module-definition';

/**
 * Durable sending on BullMQ: `SmsQueue.enqueue` puts a send on a Redis queue shared by every instance;
 * workers send each job through `SmsService.send`. Needs `SmsModule` in the application.
 *
 * @example
 * SmsQueueModule.forRoot({
 *   connection: 'redis://127.0.0.1:6379',
 *   concurrency: 10,
 *   limiter: { max: 50, duration: 1000 },
 * });
 *
 * @example
 * SmsQueueModule.forRootAsync({
 *   queueName: 'sms',
 *   imports: [ConfigModule],
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({
 *     connection: config.getOrThrow('REDIS_URL'),
 *     worker: config.get('ROLE') !== 'api',
 *   }),
 * });
 */
@Module({})
export class SmsQueueModule extends SmsQueueConfigurableModule {}
