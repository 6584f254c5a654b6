import { type MemoryProviderConfig } from '../providers/memory/memory.config';
import { type SmsModuleOptions } from '../interfaces';

/** Options of `SmsTestingModule.forRoot` and `SmsTestingModule.override`. */
export interface SmsTestingModuleOptions extends Omit<SmsModuleOptions, 'providers'> {
  /**
   * The memory providers, by the names the application uses: a list of names, or name → memory
   * options (`sender`, `test`, `outboxLimit`). Default one provider named `memory`.
   *
   * @example
   * SmsTestingModule.forRoot({ providers: ['main', 'backup'], failover: ['main', 'backup'] });
   */
  providers?: string[] | Record<string, Omit<MemoryProviderConfig, 'driver'>>;
  /** Register `SmsService` and `SmsOutbox` globally. Default `true`. */
  isGlobal?: boolean;
}

/** The provider name `SmsTestingModule` uses when none are given. */
export const SMS_TESTING_PROVIDER = 'memory';

/**
 * Turns testing options into `SmsModule` options: every provider a memory one, the circuit breaker
 * off unless asked for (so that one test's simulated outages do not leak into the next).
 */
export function toSmsTestingOptions(options: SmsTestingModuleOptions = {}): SmsModuleOptions {
  const { providers = [SMS_TESTING_PROVIDER], isGlobal: _isGlobal, ...rest } = options;
  const entries = Array.isArray(providers)
    ? providers.map((name) => [name, {}] as const)
    : Object.entries(providers);
  return {
    circuitBreaker: false,
    ...rest,
    providers: Object.fromEntries(
      entries.map(([name, config]) => [name, { ...config, driver: 'memory' as const }]),
    ),
  };
}
