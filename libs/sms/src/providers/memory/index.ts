export * from './memory-outbox';
export * from './memory.provider';
