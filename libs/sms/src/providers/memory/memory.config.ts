import { type BaseProviderConfig } from '../../interfaces/sms-module-options.interface';

/** The built-in in-memory provider: accepts every valid message, delivers nothing. */
export interface MemoryProviderConfig extends BaseProviderConfig {
  driver: 'memory';
  /** Messages kept in the outbox, oldest dropped first. Default 1 000. */
  outboxLimit?: number;
}
