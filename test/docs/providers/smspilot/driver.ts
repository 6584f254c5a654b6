import { SmsPilotProvider, type SmsService } from 'nestjs-sms';

export function smsPilot(sms: SmsService): SmsPilotProvider {
  return sms.driver('backup', SmsPilotProvider);
}
