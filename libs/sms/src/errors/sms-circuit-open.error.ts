import { SmsError } from './sms.error';

/** A send that skipped a provider because its breaker is open (nothing was sent). */
export class SmsCircuitOpenError extends SmsError {
  constructor(provider: string) {
    super(`${provider}: circuit open after repeated failures; the message was not sent`, {
      code: 'UNAVAILABLE',
      provider,
      failure: 'unavailable',
    });
  }
}
