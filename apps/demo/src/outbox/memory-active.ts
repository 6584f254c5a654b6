import { MemoryProvider, type SmsService } from 'nestjs-sms';

/** Whether a memory provider is configured, so that the outbox page is served. */
export function isMemoryActive(sms: SmsService): boolean {
  return sms.providers.some((name) => sms.driver(name) instanceof MemoryProvider);
}
