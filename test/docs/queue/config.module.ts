import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { SmsModule } from 'nestjs-sms';
import { SmsQueueModule } from 'nestjs-sms/queue';

@Module({
  imports: [
    SmsModule.forRoot({ providers: { main: { driver: 'smsru', apiId: process.env.SMSRU_API_ID } } }),
    SmsQueueModule.forRootAsync({
      queueName: 'sms',
      isGlobal: true,
      imports: [ConfigModule.forRoot()],
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        connection: config.getOrThrow<string>('REDIS_URL'),
        worker: config.get('ROLE') !== 'api', // API instances only enqueue; worker instances send
      }),
    }),
  ],
})
export class AppModule {}
