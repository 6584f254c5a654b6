import { SmsModule } from 'nestjs-sms';

export const sms = SmsModule.forRoot({
  providers: {
    main: { driver: 'smsru', apiId: process.env.SMSRU_API_ID, sender: 'MyShop' },
  },
});
