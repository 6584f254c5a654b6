export { MemoryProvider } from './memory/memory.provider';
export { SmsPilotProvider } from './smspilot/smspilot.provider';
export { SmsRuProvider } from './smsru/smsru.provider';
