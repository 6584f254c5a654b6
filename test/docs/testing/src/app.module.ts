import { Body, Controller, Module, Post } from '@nestjs/common';
import { SmsModule, SmsService } from 'nestjs-sms';

/** The application of docs/testing.md: it texts the customer when an order is placed. */
@Controller('orders')
export class OrdersController {
  constructor(private readonly sms: SmsService) {}

  @Post()
  async place(@Body() order: { phone: string; item: string }) {
    await this.sms.send({ to: order.phone, text: `Your order of ${order.item} is on its way` });
    return { placed: true };
  }
}

@Module({
  imports: [
    SmsModule.forRoot({
      providers: {
        main: { driver: 'smsru', apiId: process.env.SMSRU_API_ID ?? 'unset' },
        backup: { driver: 'smspilot', apiKey: process.env.SMSPILOT_API_KEY ?? 'unset' },
      },
      failover: ['main', 'backup'],
    }),
  ],
  controllers: [OrdersController],
})
export class AppModule {}
