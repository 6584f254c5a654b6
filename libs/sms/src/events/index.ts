export * from './sms-event.interface';
