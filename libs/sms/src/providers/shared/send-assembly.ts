import { type SmsError } from '../../errors/sms.error';
import { type OutgoingMessage, type SentMessage, type SentMessageError } from '../../interfaces';

/**
 * The per-recipient form of an error: its code, failure class and outcome, and the provider's own
 * code and text when it gave them. The class travels with the recipient, so the router decides for
 * it exactly as it would for the error.
 */
export function recipientErrorOf(error: SmsError): SentMessageError {
  const detail: SentMessageError = {
    code: error.code,
    message: error.message,
    outcome: error.outcome,
    failure: error.failure,
  };
  if (error.providerCode !== undefined) detail.providerCode = error.providerCode;
  if (error.providerMessage !== undefined) detail.providerMessage = error.providerMessage;
  return detail;
}

/**
 * A recipient of one request that failed as a whole, in a send whose other requests went through:
 * it carries that request's error (class and outcome included), `status: 'unknown'` when the request
 * may have been carried out, `'failed'` otherwise.
 */
export function chunkFailure(message: OutgoingMessage, error: SmsError): SentMessage {
  return {
    to: message.to,
    text: message.text,
    segments: message.segments.segments,
    accepted: false,
    status: error.outcome === 'unknown' ? 'unknown' : 'failed',
    error: recipientErrorOf(error),
  };
}

/**
 * The error a send throws when none of its requests got an answer: one whose outcome is unknown
 * when there is one (the caller must not resend any of it), else the first.
 */
export function sendFailure(errors: readonly SmsError[]): SmsError {
  return errors.find((e) => e.outcome === 'unknown') ?? errors[0];
}
