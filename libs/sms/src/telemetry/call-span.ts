import { failureClassOf } from '../errors/sms.error';
import { type OutgoingMessage, type SentMessage } from '../interfaces';
import { driverLabel } from '../providers/driver-lookup';
import { type RegisteredProvider } from '../providers/sms-provider-registry';
import { recording, type SmsSpan } from './spans';

/** The `SmsService` calls, as `sms.operation` and span names (`sms.<operation>`). */
export type SmsOperation = 'send' | 'send_batch' | 'get_status' | 'get_cost' | 'get_balance';

/** `sms.encoding` values. */
const ENCODINGS = { 'GSM-7': 'gsm7', 'UCS-2': 'ucs2' } as const;

/** The call span's attributes: operation, provider, driver, and for a send its size (never a number or a text). */
export function describeCall(
  span: SmsSpan,
  operation: SmsOperation,
  provider: RegisteredProvider,
  messages?: readonly OutgoingMessage[],
): void {
  if (!recording(span)) return;
  span.setAttributes({
    'sms.operation': operation,
    'sms.provider': provider.name,
    'sms.driver': driverLabel(provider.config.driver),
  });
  if (!messages) return;
  let segments = 0;
  for (const m of messages) segments += m.segments.segments;
  span.setAttribute('sms.recipients', messages.length);
  span.setAttribute('sms.segments', segments);
  const encoding = messages[0]?.segments.encoding;
  if (encoding && messages.every((m) => m.segments.encoding === encoding)) {
    span.setAttribute('sms.encoding', ENCODINGS[encoding]);
  }
}

/** `sms.result` of a send's call span: `accepted` when every recipient was, else the first failure class. */
export function describeResult(span: SmsSpan, messages: readonly SentMessage[]): void {
  if (!recording(span)) return;
  const refused = messages.find((m) => !m.accepted);
  span.setAttribute(
    'sms.result',
    refused ? (refused.error ? failureClassOf(refused.error) : 'unknown') : 'accepted',
  );
}
