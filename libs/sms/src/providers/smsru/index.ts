export * from './smsru.codes';
export * from './smsru.provider';
export * from './smsru.types';
export { smsRuDriver } from './smsru.driver';
export { type SmsRuProviderConfig } from './smsru.config';
