import { type SmsEventBus } from '../events/sms-event-bus';
import { type ResolvedSmsModuleOptions, type SmsProvider, type SmsProviderContext } from '../interfaces';

/** A problem in one provider's config. */
export interface ConfigProblem {
  field: string;
  message: string;
}

/** What a built-in driver gets when it is built. */
export interface SmsDriverContext<C> extends SmsProviderContext<C> {
  options: ResolvedSmsModuleOptions;
  events: SmsEventBus;
}

/**
 * How a built-in driver is checked and built. A new provider is a folder under `providers/` that
 * exports one of these, and one line in `drivers.ts`.
 */
export interface SmsDriverDefinition<C = never> {
  /** Problems of a config, checked when the application starts. */
  validate(config: C): ConfigProblem[];
  create(context: SmsDriverContext<C>): SmsProvider;
}
