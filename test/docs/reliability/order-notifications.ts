import { Injectable } from '@nestjs/common';
import { type SendResult, SmsService } from 'nestjs-sms';

export interface Order {
  id: string;
  phone: string;
}

@Injectable()
export class OrderNotifications {
  constructor(private readonly sms: SmsService) {}

  /** However often it is called for an order (retried jobs, double clicks), one SMS goes out. */
  confirm(order: Order): Promise<SendResult> {
    return this.sms.send({
      to: order.phone,
      text: `Order ${order.id} is confirmed`,
      idempotencyKey: `order:${order.id}:confirmation`,
    });
  }
}
