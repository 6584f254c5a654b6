import { MemoryProvider, SmsModule, type SmsService } from 'nestjs-sms';

export const sms = SmsModule.forRoot({
  providers: {
    dev: { driver: 'memory' },
  },
});

/** The texts the memory provider took, oldest first. */
export function sentTexts(service: SmsService): string[] {
  return service.driver('dev', MemoryProvider).outbox.messages.map((m) => m.text);
}
