import { Module } from '@nestjs/common';
import { SmsOutbox } from 'nestjs-sms/testing';
import { OutboxController } from './outbox.controller';

/** The dev outbox page and its API; imported only when a memory provider is configured. */
@Module({
  providers: [SmsOutbox],
  controllers: [OutboxController],
})
export class OutboxModule {}
