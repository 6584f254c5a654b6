import { Inject, Injectable, type OnApplicationShutdown, Optional } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { type SmsProvider } from '../interfaces';
import { SmsService } from '../sms.service';
import { BalanceProbes } from './balance-probes';
import { SMS_HEALTH_OPTIONS } from './sms-health.constants';
import { SMS_HEALTH_MESSAGES } from './sms-health.messages';
import { countHealthCheck } from '../telemetry/health';
import {
  type ResolvedSmsHealthOptions,
  type SmsConfiguredCheckOptions,
  type SmsHealthCheckOptions,
  type SmsHealthModuleOptions,
  type SmsHealthReason,
  checkOptionsProblem,
  resolveSmsHealthOptions,
} from './sms-health-options.interface';

/**
 * Terminus health indicator of the SMS providers, built on `HealthIndicatorService`: it returns
 * `down` with a `reason` and the figures, it never throws, and it never shows a credential.
 *
 * - `isHealthy` (readiness): the provider answers a balance request, accepts the credentials and
 *   has at least `minBalance`. Answers are cached (`cacheTtlMs`), concurrent probes share one
 *   request, and a probe answers within `timeoutMs` even when the provider hangs.
 * - `isConfigured` (liveness): in-process only, it never calls a provider.
 *
 * It finds `SmsService` anywhere in the application, as terminus' own database indicators find their
 * connections, so `SmsModule` need not be global.
 *
 * @example
 * @Controller('health')
 * export class HealthController {
 *   constructor(
 *     private readonly health: HealthCheckService,
 *     private readonly sms: SmsHealthIndicator,
 *   ) {}
 *
 *   @Get('live') @HealthCheck()
 *   live() {
 *     return this.health.check([() => this.sms.isConfigured('sms')]);
 *   }
 *
 *   @Get('ready') @HealthCheck()
 *   ready() {
 *     return this.health.check([() => this.sms.isHealthy('sms', { minBalance: 100 })]);
 *   }
 * }
 */
@Injectable()
export class SmsHealthIndicator implements OnApplicationShutdown {
  private readonly settings: ResolvedSmsHealthOptions;
  private readonly probes: BalanceProbes;
  private sms?: SmsService;

  constructor(
    private readonly healthIndicatorService: HealthIndicatorService,
    private readonly moduleRef: ModuleRef,
    @Optional() @Inject(SMS_HEALTH_OPTIONS) options?: SmsHealthModuleOptions,
  ) {
    this.settings = resolveSmsHealthOptions(options);
    this.probes = new BalanceProbes(this.settings);
  }

  /**
   * Up when the provider answers a balance request, accepts the credentials and has at least
   * `minBalance`; down with `reason` (`unreachable`, `auth`, `low_balance`, `circuit_open`,
   * `timeout`, `misconfigured`) and the figures (`balance`, `threshold`, `latencyMs`) otherwise.
   * A provider whose circuit breaker is open is not asked.
   */
  async isHealthy<const Key extends string>(
    key: Key,
    checkOptions: SmsHealthCheckOptions = {},
  ): Promise<HealthIndicatorResult<Key>> {
    const result = await this.check(key, checkOptions);
    countHealthCheck(result);
    return result;
  }

  private async check<const Key extends string>(
    key: Key,
    checkOptions: SmsHealthCheckOptions,
  ): Promise<HealthIndicatorResult<Key>> {
    const indicator = this.healthIndicatorService.check(key);
    const options = checkOptions ?? {};
    try {
      const problem = checkOptionsProblem(options);
      if (problem) return indicator.down(misconfigured(problem));
      const sms = this.parts();
      if (!sms) return indicator.down(misconfigured(SMS_HEALTH_MESSAGES.noModule));
      const provider = options.provider ?? sms.defaultProvider;
      if (!sms.providers.includes(provider)) {
        return indicator.down(
          misconfigured(SMS_HEALTH_MESSAGES.unknownProvider(provider, sms.providers), provider),
        );
      }
      const driver = sms.driver<SmsProvider>(provider);
      const getBalance = driver.getBalance;
      if (!driver.capabilities.includes('balance') || typeof getBalance !== 'function') {
        return indicator.down(misconfigured(SMS_HEALTH_MESSAGES.noBalance(provider), provider));
      }
      const circuit = sms.circuitState(provider);
      if (circuit === 'open') {
        return indicator.down({
          provider,
          reason: 'circuit_open' satisfies SmsHealthReason,
          message: SMS_HEALTH_MESSAGES.circuit_open(provider),
          circuit,
        });
      }
      const answer = await this.probes.observe(
        provider,
        (call) => getBalance.call(driver, call),
        options.timeoutMs ?? this.settings.timeoutMs,
      );
      const seen = {
        latencyMs: answer.latencyMs,
        circuit,
        cached: answer.cached,
        checkedAt: new Date(answer.at).toISOString(),
      };
      if (!answer.ok) {
        const message =
          answer.failure === 'auth'
            ? SMS_HEALTH_MESSAGES.auth(provider)
            : answer.failure === 'timeout'
              ? SMS_HEALTH_MESSAGES.timeout(provider, answer.latencyMs)
              : SMS_HEALTH_MESSAGES.unreachable(provider, answer.code);
        return indicator.down({ provider, reason: answer.failure, message, code: answer.code, ...seen });
      }
      const threshold = options.minBalance;
      const figures = {
        balance: answer.balance,
        ...(threshold !== undefined && { threshold }),
        currency: 'RUB',
      };
      if (threshold !== undefined && answer.balance < threshold) {
        return indicator.down({
          provider,
          reason: 'low_balance' satisfies SmsHealthReason,
          message: SMS_HEALTH_MESSAGES.low_balance(provider, answer.balance, threshold),
          ...figures,
          ...seen,
        });
      }
      return indicator.up({ provider, ...figures, ...seen });
    } catch {
      return indicator.down(misconfigured(SMS_HEALTH_MESSAGES.unexpected));
    }
  }

  /**
   * In-process check for liveness: `SmsModule` started (its options were valid and every driver was
   * built) and each provider has a driver. It never calls a provider, so a provider outage never
   * restarts a pod. The circuit breaker states are shown for information only.
   */
  isConfigured<const Key extends string>(
    key: Key,
    options: SmsConfiguredCheckOptions = {},
  ): HealthIndicatorResult<Key> {
    const indicator = this.healthIndicatorService.check(key);
    try {
      const sms = this.parts();
      if (!sms) return indicator.down(misconfigured(SMS_HEALTH_MESSAGES.noModule));
      const providers = options?.provider === undefined ? sms.providers : [options.provider];
      for (const provider of providers) {
        if (!sms.providers.includes(provider)) {
          return indicator.down(
            misconfigured(SMS_HEALTH_MESSAGES.unknownProvider(provider, sms.providers), provider),
          );
        }
        if (typeof sms.driver<SmsProvider>(provider)?.send !== 'function') {
          return indicator.down(misconfigured(SMS_HEALTH_MESSAGES.noDriver(provider), provider));
        }
      }
      return indicator.up({
        providers,
        defaultProvider: sms.defaultProvider,
        circuits: Object.fromEntries(providers.map((p) => [p, sms.circuitState(p)])),
      });
    } catch {
      return indicator.down(misconfigured(SMS_HEALTH_MESSAGES.unexpected));
    }
  }

  /** Stops the background refresh and ends the checks in flight. */
  onApplicationShutdown(): void {
    this.probes.close();
  }

  private parts(): SmsService | undefined {
    if (!this.sms) {
      try {
        this.sms = this.moduleRef.get(SmsService, { strict: false });
      } catch {
        return undefined;
      }
    }
    return this.sms;
  }
}

function misconfigured(message: string, provider?: string) {
  return {
    ...(provider !== undefined && { provider }),
    reason: 'misconfigured' satisfies SmsHealthReason,
    message,
  };
}
