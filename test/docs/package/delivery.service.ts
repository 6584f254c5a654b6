import { Injectable } from '@nestjs/common';
import { SmsService } from 'nestjs-sms';

@Injectable()
export class DeliveryService {
  constructor(private readonly sms: SmsService) {}

  /** Sends, then polls the status until it is final, for two minutes at most. */
  async sendAndWait(phone: string, text: string) {
    const { messages } = await this.sms.send({ to: phone, text });
    const [status] = await this.sms.waitForFinalStatus(messages[0].id!, { timeoutMs: 120_000 });
    return status.final ? status.status : 'pending'; // 'delivered', 'undelivered', 'expired', …
  }
}
