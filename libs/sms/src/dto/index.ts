export * from './is-sms-phone.decorator';
export * from './send-sms.dto';
