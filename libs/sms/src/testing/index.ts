export * from './sms-outbox';
export * from './sms-testing.module';
export * from './sms-testing.options';
