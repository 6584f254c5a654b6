import { SmsModule } from 'nestjs-sms';
import { MyGatewayProvider } from './my-gateway.provider';

export const sms = SmsModule.forRoot({
  providers: {
    own: { driver: MyGatewayProvider, endpoint: 'https://gateway.example/send' },
  },
});
