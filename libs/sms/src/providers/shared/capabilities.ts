import { type SmsCapability } from '../../interfaces/sms-provider.interface';

/** What every built-in driver offers: sends to many numbers, status, cost, balance, `sendAt` and `ttlMinutes`. */
export const BASE_CAPABILITIES: readonly SmsCapability[] = [
  'send',
  'batch',
  'status',
  'cost',
  'balance',
  'schedule',
  'ttl',
];

/** Every capability there is, in the order of `SmsCapability`. */
export const ALL_CAPABILITIES: readonly SmsCapability[] = [
  ...BASE_CAPABILITIES,
  'translit',
  'daytime',
  'clientIp',
  'testMode',
];
