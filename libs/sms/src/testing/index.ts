export * from './sms-outbox';
export * from './sms-testing.module';
export * from './sms-testing.options';
export * from '../providers/memory/memory-simulation';
export * from '../providers/memory/memory-outbox';
export { type MemoryProviderOptions } from '../providers/memory/memory.provider';
export { type SegmentInfo, type SmsEncoding } from '../message';
