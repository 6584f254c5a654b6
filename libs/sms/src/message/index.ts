export * from './phone';
export * from './segments';
export * from './normalize';
