import { Injectable } from '@nestjs/common';
import { SmsRuProvider, SmsService } from 'nestjs-sms';

@Injectable()
export class SmsAccountService {
  constructor(private readonly sms: SmsService) {}

  private get smsru(): SmsRuProvider {
    return this.sms.driver('main', SmsRuProvider);
  }

  async report() {
    const ok = await this.smsru.checkAuth(); // false when SMS.ru refuses the credentials
    const limit = await this.smsru.getLimit(); // { total: 10, usedToday: 0 }
    const free = await this.smsru.getFree(); // { total: 5, usedToday: 0 }
    const senders = await this.smsru.getSenders(); // ['MyShop'], [] when none is approved
    return { ok, limit, free, senders };
  }

  async unsubscribe(phone: string): Promise<void> {
    await this.smsru.addToStoplist(phone, 'asked to unsubscribe');
  }

  async subscribeToReports(): Promise<string[]> {
    return this.smsru.addCallback('https://shop.example/sms/callback');
  }
}
