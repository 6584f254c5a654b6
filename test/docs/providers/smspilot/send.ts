import { type SendResult, type SmsService } from 'nestjs-sms';

export async function announceSale(sms: SmsService): Promise<SendResult> {
  const result = await sms.send({
    to: ['+7 902 123-45-67', '89087964781'],
    text: 'Sale today',
    provider: 'backup',
  });
  // result.messages[i]: { to, text, accepted, id (server_id), status, price, segments, error? }
  return result;
}
