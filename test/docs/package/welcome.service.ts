import { Injectable } from '@nestjs/common';
import { SmsService } from 'nestjs-sms';

@Injectable()
export class WelcomeService {
  constructor(private readonly sms: SmsService) {}

  async welcome(phone: string) {
    const result = await this.sms.send({ to: phone, text: 'Welcome to MyShop!' });
    return result.messages[0]; // { to: '79255070602', accepted: true, id, status: 'queued', segments: 1 }
  }
}
