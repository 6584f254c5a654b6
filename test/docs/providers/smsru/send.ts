import { type SendResult, type SmsService } from 'nestjs-sms';

export async function announceShipping(sms: SmsService): Promise<SendResult> {
  const result = await sms.send({
    to: ['+7 925 507-06-02', '8 499 322-16-27'],
    text: 'Your order has shipped',
    sendAt: new Date(Date.now() + 3_600_000),
    ttlMinutes: 60,
  });
  for (const m of result.messages) {
    if (!m.accepted) console.warn(m.to, m.error?.code, m.error?.providerMessage);
  }

  await sms.sendBatch([
    { to: '79255070602', text: 'Hello, Anna' },
    { to: '74993221627', text: 'Hello, Boris' },
  ]);
  return result;
}
