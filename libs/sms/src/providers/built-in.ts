import { type SmsDriverDefinition } from './driver-definition';
import { memoryDriver } from './memory/memory.driver';
import { smsPilotDriver } from './smspilot/smspilot.driver';
import { smsRuDriver } from './smsru/smsru.driver';

/** The built-in drivers. A new provider is a folder under `providers/` and one entry here. */
export const BUILT_IN_DRIVERS: readonly SmsDriverDefinition<never>[] = [
  memoryDriver as SmsDriverDefinition<never>,
  smsRuDriver as SmsDriverDefinition<never>,
  smsPilotDriver as SmsDriverDefinition<never>,
];
