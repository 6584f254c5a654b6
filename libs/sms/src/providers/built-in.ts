import { type SmsDriverDefinition } from './driver-definition';
import { memoryDriver } from './memory/memory.driver';
import { smsPilotDriver } from './smspilot/smspilot.driver';
import { smsRuDriver } from './smsru/smsru.driver';

/** The built-in drivers. A new provider is a folder under `providers/` and one entry here. */
export const BUILT_IN_DRIVERS = [memoryDriver, smsRuDriver, smsPilotDriver] as const;

/** The config type of a driver definition. */
export type DriverConfigOf<D> = D extends SmsDriverDefinition<infer C> ? C : never;

/** The config of a built-in provider (`driver: 'memory' | 'smsru' | 'smspilot'`), from their definitions. */
export type BuiltInProviderConfig = DriverConfigOf<(typeof BUILT_IN_DRIVERS)[number]>;
