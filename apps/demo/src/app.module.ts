import { Module } from '@nestjs/common';
import { SmsModule } from 'nestjs-sms';
import { SmsController } from './sms.controller';

/** The demo service: the memory provider, so it runs offline without credentials. */
@Module({
  imports: [SmsModule.forRoot({ providers: { dev: { driver: 'memory' } } })],
  controllers: [SmsController],
})
export class AppModule {}
