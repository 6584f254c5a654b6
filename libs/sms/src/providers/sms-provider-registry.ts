import { type OnApplicationShutdown } from '@nestjs/common';
import { type ModuleRef } from '@nestjs/core';
import { SmsConfigurationError, SmsValidationError } from '../errors';
import { type SmsEventBus } from '../events/sms-event-bus';
import {
  DEFAULT_PROVIDER_LIMITS,
  type ResolvedSmsModuleOptions,
  type SmsProvider,
  type SmsProviderConfig,
  type SmsProviderLimits,
} from '../interfaces';
import { BUILT_IN_DRIVERS } from './drivers';

/** A configured provider: its name, config, driver and effective limits. */
export interface RegisteredProvider {
  name: string;
  config: SmsProviderConfig;
  driver: SmsProvider;
  limits: SmsProviderLimits;
  /** A built-in driver, known to honour the deadline signal it is given. */
  builtIn: boolean;
}

/** Builds and holds the configured drivers; closes them on shutdown (internal). */
export class SmsProviderRegistry implements OnApplicationShutdown {
  private constructor(
    readonly options: ResolvedSmsModuleOptions,
    private readonly entries: ReadonlyMap<string, RegisteredProvider>,
  ) {}

  /** Builds every configured driver; a class driver is built by Nest DI in the module's scope. */
  static async create(
    options: ResolvedSmsModuleOptions,
    moduleRef: ModuleRef,
    events: SmsEventBus,
  ): Promise<SmsProviderRegistry> {
    const entries = new Map<string, RegisteredProvider>();
    for (const [name, config] of Object.entries(options.providers)) {
      const context = { name, config, timeoutMs: options.timeoutMs };
      let driver: SmsProvider;
      if (typeof config.driver === 'function') {
        try {
          driver = await moduleRef.create(config.driver);
        } catch (e) {
          const why = e instanceof Error ? e.message : String(e);
          throw new SmsConfigurationError(`provider "${name}": cannot build ${config.driver.name}: ${why}`);
        }
        if (typeof driver.send !== 'function' || !Array.isArray(driver.capabilities)) {
          throw new SmsConfigurationError(
            `provider "${name}": ${config.driver.name} does not implement SmsProvider (send, capabilities)`,
          );
        }
        await driver.configure?.({ ...context, config });
      } else {
        driver = BUILT_IN_DRIVERS[config.driver].create({
          ...context,
          config: config as never,
          options,
          events,
        });
      }
      const limits = { ...DEFAULT_PROVIDER_LIMITS, ...driver.limits };
      if (config.maxRecipients !== undefined) limits.maxRecipients = config.maxRecipients;
      entries.set(name, { name, config, driver, limits, builtIn: typeof config.driver === 'string' });
    }
    return new SmsProviderRegistry(options, entries);
  }

  /** Every configured provider name, in configuration order. */
  get names(): string[] {
    return [...this.entries.keys()];
  }

  /** A provider by name; `VALIDATION` error for a name that is not configured. */
  get(name: string = this.options.defaultProvider): RegisteredProvider {
    const entry = this.entries.get(name);
    if (!entry) {
      throw new SmsValidationError([
        { field: 'provider', message: `names "${name}", which is not configured (${this.names.join(', ')})` },
      ]);
    }
    return entry;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.entries.values()].map((e) => e.driver.close?.()));
  }
}
