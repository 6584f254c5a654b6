export * from './sms-error-code';
export * from './sms.error';
export * from './sms-validation.error';
export * from './sms-configuration.error';
export * from './sms-error-messages';
export * from './sms-circuit-open.error';
