import { type SmsService } from 'nestjs-sms';

export async function priceOfSale(sms: SmsService) {
  const cost = await sms.getCost({ to: ['79255070602', '74993221627'], text: 'Sale today' });
  // { provider: 'main', total: 3, totalSegments: 2, currency: 'RUB',
  //   messages: [{ to, segments, price } | { to, segments, error }] }

  const { balance } = await sms.getBalance(); // RUB
  return { cost, balance };
}
