import { type SmsDriverDefinition } from './driver-definition';
import { memoryDriver } from './memory/memory.provider';
import { smsPilotDriver } from './smspilot/smspilot.provider';
import { smsRuDriver } from './smsru/smsru.provider';

/** The built-in drivers by their `driver` name. A new provider adds one line here. */
export const BUILT_IN_DRIVERS: Readonly<Record<string, SmsDriverDefinition<never>>> = {
  memory: memoryDriver,
  smspilot: smsPilotDriver,
  smsru: smsRuDriver,
};
