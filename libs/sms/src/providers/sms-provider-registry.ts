import { type OnApplicationShutdown, type Type } from '@nestjs/common';
import { type ModuleRef } from '@nestjs/core';
import { SmsConfigurationError, SmsValidationError } from '../errors';
import { type SmsEventBus } from '../events/sms-event-bus';
import {
  DEFAULT_PROVIDER_LIMITS,
  type CustomProviderConfig,
  type ResolvedSmsModuleOptions,
  type SmsProvider,
  type SmsProviderConfig,
  type SmsProviderLimits,
} from '../interfaces';
import { driverDefinitionOf, driverLabel } from './driver-lookup';

/** A configured provider: its name, config, driver and effective limits. */
export interface RegisteredProvider {
  name: string;
  config: SmsProviderConfig;
  driver: SmsProvider;
  limits: SmsProviderLimits;
  /** The driver stops at the call's deadline itself (its definition says so). */
  honoursDeadline: boolean;
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
      const definition = driverDefinitionOf(config.driver);
      let driver: SmsProvider;
      if (definition) {
        driver = definition.create({ ...context, config: config as never, options, events });
      } else {
        const type = config.driver as Type<SmsProvider>;
        try {
          driver = await moduleRef.create(type);
        } catch (e) {
          const why = e instanceof Error ? e.message : String(e);
          throw new SmsConfigurationError(`provider "${name}": cannot build ${type.name}: ${why}`);
        }
      }
      if (
        typeof driver?.send !== 'function' ||
        !Array.isArray(driver.capabilities) ||
        !driver.capabilities.includes('send')
      ) {
        throw new SmsConfigurationError(
          `provider "${name}": ${driverLabel(config.driver)} does not implement SmsProvider (send, capabilities with 'send')`,
        );
      }
      if (!definition) await driver.configure?.({ ...context, config: config as CustomProviderConfig });
      if (config.test === true && !driver.capabilities.includes('testMode')) {
        throw new SmsConfigurationError(
          `provider "${name}" (${driverLabel(config.driver)}): "test" is set, but the driver has no test mode (capability 'testMode'); every send would really go out`,
        );
      }
      const limits = { ...DEFAULT_PROVIDER_LIMITS, ...driver.limits };
      if (config.maxRecipients !== undefined) limits.maxRecipients = config.maxRecipients;
      const honoursDeadline = definition?.honoursDeadline === true;
      entries.set(name, { name, config, driver, limits, honoursDeadline });
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
