import { BadRequestException } from '@nestjs/common';
import { SmsError, SmsService, SmsValidationError } from 'nestjs-sms';

/** Texts an order's notice; the idempotency key makes a repeated call return the first result. */
export async function notifyOrder(sms: SmsService, orderId: string, to: string, text: string) {
  try {
    const result = await sms.send({ to, text, idempotencyKey: `order-${orderId}` });
    const refused = result.messages.filter((m) => !m.accepted); // [{ to, error: { code: 'STOP_LIST', … } }]
    return refused.length === 0 ? 'sent' : 'refused';
  } catch (e) {
    if (e instanceof SmsValidationError) throw new BadRequestException(e.details); // [{ field, message }]
    if (e instanceof SmsError && e.outcome === 'unknown') {
      return 'pending'; // It may have been sent: reconcile with sms.getStatus or a delivery report. Never resend.
    }
    throw e;
  }
}
