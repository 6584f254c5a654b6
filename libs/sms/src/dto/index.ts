export * from './is-sms-client-ip.decorator';
export * from './is-sms-phone.decorator';
export * from './is-sms-text.decorator';
export * from './send-sms.dto';
