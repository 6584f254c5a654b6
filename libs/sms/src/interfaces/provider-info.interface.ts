import { type SendOptions } from './send-input.interface';
import { type OutgoingMessage, type SmsCapability, type SmsProviderLimits } from './sms-provider.interface';

/** A configured provider as `SmsService.provider(name)` shows it (read-only). */
export interface SmsProviderInfo {
  /** Its name in the module options. */
  name: string;
  /** Its driver: a built-in driver's name (`memory`), a definition's name, or a class name. */
  driver: string;
  capabilities: readonly SmsCapability[];
  /** The bounds every send to it is checked against, the config's `maxRecipients` included. */
  limits: SmsProviderLimits;
}

/** A send as `SmsService.validate(input)` returns it: checked and normalized, nothing sent. */
export interface ValidatedSend {
  /** The provider it goes to first. */
  provider: string;
  /** Distinct (number, text) pairs in input order, numbers in international digits. */
  messages: readonly OutgoingMessage[];
  options: Omit<SendOptions, 'provider' | 'idempotencyKey'>;
}
