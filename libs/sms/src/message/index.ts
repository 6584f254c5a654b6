export * from './client-ip';
export * from './phone';
export * from './segments';
export * from './normalize';
