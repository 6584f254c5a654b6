import { SmsError, type SendInput, type SmsFailureClass, type SmsService } from 'nestjs-sms';

export type SendVerdict = 'sent' | 'reconcile' | 'retry-later' | 'failed';

/** What to do after a failure of this class. */
function verdict(failure: SmsFailureClass): SendVerdict {
  if (failure === 'unknown') return 'reconcile'; // it may be delivered: never resend
  if (failure === 'unavailable') return 'retry-later'; // provably not sent; retryAfterSeconds may say when
  return 'failed'; // account, refused, no_route: the same send again will not help
}

/** Sends to one number and says what to do next. */
export async function sendOnce(sms: SmsService, input: SendInput): Promise<SendVerdict> {
  try {
    const [message] = (await sms.send(input)).messages;
    if (message.accepted) return 'sent';
    // The provider answered, and refused this number: a SentMessage, not an exception.
    return verdict(message.error?.failure ?? 'unknown');
  } catch (e) {
    if (!(e instanceof SmsError)) throw e;
    return verdict(e.failure);
  }
}
