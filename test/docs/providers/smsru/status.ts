import { type MessageStatus, type SmsService } from 'nestjs-sms';

export async function deliveryOf(sms: SmsService): Promise<MessageStatus> {
  const [status] = await sms.getStatus('202626-1000000');
  // { id, provider: 'main', status: 'delivered', final: true, providerStatus: 103, price: 1.5, providerMessage: '…' }
  return status;
}
