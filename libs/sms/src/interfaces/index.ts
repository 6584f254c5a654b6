export * from './delivery-status';
export * from './results.interface';
export * from './send-input.interface';
export * from './sms-provider.interface';
export * from './sms-module-options.interface';
export * from './provider-info.interface';
