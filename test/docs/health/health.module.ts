import { Controller, Get, Module } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { SmsHealthIndicator, SmsHealthModule } from 'nestjs-sms/health';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly sms: SmsHealthIndicator,
  ) {}

  /** Liveness: in-process checks only. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([() => this.sms.isConfigured('sms')]);
  }

  /** Readiness: can this pod send SMS right now? */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.sms.isHealthy('sms', { minBalance: 100 })]);
  }
}

@Module({
  imports: [TerminusModule, SmsHealthModule.forRoot({ cacheTtlMs: 30_000, refreshIntervalMs: 20_000 })],
  controllers: [HealthController],
})
export class HealthModule {}
