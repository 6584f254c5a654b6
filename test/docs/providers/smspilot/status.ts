import { type SendResult, type SmsService } from 'nestjs-sms';

export async function followUp(sms: SmsService, result: SendResult) {
  const [status] = await sms.getStatus(result.messages[0].id!, { provider: 'backup' });
  // { id, provider: 'backup', status: 'delivered', final: true, providerStatus: 2, price: 1.68, to: '79021234567' }

  const cost = await sms.getCost({ to: '79021234567', text: 'Hello', provider: 'backup' }); // cost=1, nothing sent
  const { balance } = await sms.getBalance({ provider: 'backup' }); // balance=rur
  return { status, cost, balance };
}
