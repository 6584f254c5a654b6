import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { SmsError, SmsService } from 'nestjs-sms';

/** What `OtpService.sendCode` tells its caller. */
export type OtpSendResult =
  | { status: 'sent'; messageId: string }
  /** The provider may have sent it: do not send another code yet. */
  | { status: 'pending' }
  | { status: 'refused'; reason: string }
  | { status: 'retry-later'; retryAfterSeconds?: number };

/**
 * An application service, the example of the README and of `docs/testing.md`: texts one-time codes
 * and checks them. It knows nothing of tests: `SmsTestingModule` gives it a real `SmsService`.
 */
@Injectable()
export class OtpService {
  private readonly codes = new Map<string, string>();

  constructor(private readonly sms: SmsService) {}

  /** Texts a new 4-digit code to `phone`. */
  async sendCode(phone: string): Promise<OtpSendResult> {
    const code = String(randomInt(1000, 10_000));
    try {
      const { messages } = await this.sms.send({ to: phone, text: `Your code: ${code}. Do not share it.` });
      const [message] = messages;
      if (!message.accepted) return { status: 'refused', reason: message.error?.code ?? 'UNKNOWN' };
      this.codes.set(message.to, code);
      return { status: 'sent', messageId: message.id! };
    } catch (error) {
      if (!(error instanceof SmsError)) throw error;
      if (error.outcome === 'unknown') return { status: 'pending' };
      // An outage (retryable) or a rate limit (a refusal that says when to come back: retryAfterSeconds).
      if (error.retryable || error.retryAfterSeconds !== undefined) {
        return { status: 'retry-later', retryAfterSeconds: error.retryAfterSeconds };
      }
      throw error;
    }
  }

  /** Whether `code` is the last one sent to `phone` (digits, as `SmsService` normalized them). */
  verify(phone: string, code: string): boolean {
    return this.codes.get(phone) === code;
  }
}
