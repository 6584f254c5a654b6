export * from './memory-outbox';
export * from './memory-simulation';
export * from './memory.provider';
export { memoryDriver } from './memory.driver';
export { type MemoryProviderConfig } from './memory.config';
