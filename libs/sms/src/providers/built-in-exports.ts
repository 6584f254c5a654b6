// What `nestjs-sms/driver` exports of the built-in drivers: their definitions, config types,
// outcome tables and the types of their own operations.
export * from './memory/memory.driver';
export * from './memory/memory.config';
export * from './smsru/smsru.driver';
export { type SmsRuProviderConfig } from './smsru/smsru.config';
export * from './smsru/smsru.codes';
export * from './smsru/smsru.types';
export {
  SMSRU_BASE_URL,
  SMSRU_DEFAULT_CHUNK_CONCURRENCY,
  SMSRU_MAX_PER_REQUEST,
} from './smsru/smsru.provider';
export { SMSRU_CALLCHECK_STATUSES, smsRuCallbackHash, verifySmsRuCallback } from './smsru/smsru.webhook';
export * from './smspilot/smspilot.driver';
export { type SmsPilotProviderConfig, validateSmsPilotConfig } from './smspilot/smspilot.config';
export * from './smspilot/smspilot.codes';
export * from './smspilot/smspilot.types';
export { SMSPILOT_DEFAULT_BASE_URL } from './smspilot/smspilot.provider';
