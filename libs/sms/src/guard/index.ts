export * from './idempotency-store.interface';
export * from './rate-limit-store.interface';
export * from './memory-idempotency.store';
export * from './memory-rate-limit.store';
