import { Injectable } from '@nestjs/common';
import { SmsQueue } from 'nestjs-sms/queue';

export interface Order {
  id: string;
  phone: string;
}

@Injectable()
export class Notifier {
  constructor(private readonly queue: SmsQueue) {}

  async orderShipped(order: Order): Promise<string> {
    const { jobId } = await this.queue.enqueue(
      { to: order.phone, text: `Order ${order.id} is on its way` },
      { idempotencyKey: `order:${order.id}:shipped` },
    );
    return jobId;
  }
}
