import { type DynamicModule, Module } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { SmsHealthConfigurableModule, type SmsHealthModuleExtras } from './sms-health.module-definition';
import { type SmsHealthModuleOptions } from './sms-health-options.interface';
import { SmsHealthIndicator } from './sms.health';
import { SmsQueueHealthIndicator } from './sms-queue.health';

/**
 * Provides `SmsHealthIndicator` (and `SmsQueueHealthIndicator`, for the queue's Redis) for a health
 * controller. They find `SmsModule` and `SmsQueueModule` anywhere in the application; import it next
 * to `TerminusModule`.
 *
 * @example
 * @Module({
 *   imports: [TerminusModule, SmsHealthModule.forRoot({ cacheTtlMs: 30_000, refreshIntervalMs: 20_000 })],
 *   controllers: [HealthController],
 * })
 * export class HealthModule {}
 */
@Module({
  providers: [HealthIndicatorService, SmsHealthIndicator, SmsQueueHealthIndicator],
  exports: [SmsHealthIndicator, SmsQueueHealthIndicator],
})
export class SmsHealthModule extends SmsHealthConfigurableModule {
  /** Registers the indicator with these options (every one has a default). */
  static override forRoot(options: SmsHealthModuleOptions & SmsHealthModuleExtras = {}): DynamicModule {
    return super.forRoot(options);
  }
}
