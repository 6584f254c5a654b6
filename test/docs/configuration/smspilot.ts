import { SmsModule } from 'nestjs-sms';

export const sms = SmsModule.forRoot({
  providers: {
    backup: { driver: 'smspilot', apiKey: process.env.SMSPILOT_API_KEY },
  },
});
