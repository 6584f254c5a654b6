import { Module } from '@nestjs/common';
import { SmsModule } from 'nestjs-sms';
import { type SmsPilotProviderConfig } from 'nestjs-sms/driver';

export const backup: SmsPilotProviderConfig = {
  driver: 'smspilot',
  apiKey: process.env.SMSPILOT_API_KEY, // or login (e-mail) + password
  sender: 'MyShop', // a registered sender (error 204 otherwise)
  callbackUrl: 'http://example.com/sms/pilot', // optional: status callbacks, http:// only
  callbackMethod: 'post', // default 'get'
};

@Module({
  imports: [SmsModule.forRoot({ providers: { backup } })],
})
export class AppModule {}
