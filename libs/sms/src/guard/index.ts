export * from './idempotency-store.interface';
export * from './rate-limit-store.interface';
