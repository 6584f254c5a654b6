import { SmsError } from './sms.error';

/** `SmsModule` options that cannot work, thrown while the application starts. */
export class SmsConfigurationError extends SmsError {
  constructor(message: string) {
    super(`SmsModule configuration: ${message}`, { code: 'VALIDATION' });
  }
}
