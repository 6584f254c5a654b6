import { Module } from '@nestjs/common';
import { SmsModule } from 'nestjs-sms';

@Module({ imports: [SmsModule.forRoot({ providers: { dev: { driver: 'memory' } } })] })
export class AppModule {}
