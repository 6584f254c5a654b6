import { Controller, Get, Inject } from '@nestjs/common';
import { type ConfigType } from '@nestjs/config';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, type HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { SmsHealthIndicator } from 'nestjs-sms/health';
import { healthConfig } from '../config/sms.config';

/**
 * Kubernetes probes. Liveness checks only what is in the process, so that a provider outage never
 * restarts the pods; readiness asks the default provider for its balance (cached), because the demo
 * is a dedicated SMS-sending service with nothing to serve while its provider is down.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly sms: SmsHealthIndicator,
    @Inject(healthConfig.KEY) private readonly config: ConfigType<typeof healthConfig>,
  ) {}

  /** Liveness: `SmsModule` started and every provider has its driver; no provider is called. */
  @Get('live')
  @HealthCheck()
  @ApiOperation({
    summary: 'Liveness: in-process checks only (SmsModule started, every provider has a driver)',
  })
  live(): Promise<HealthCheckResult> {
    return this.health.check([() => this.sms.isConfigured('sms')]);
  }

  /** Readiness: the default provider answers its balance request and the balance is at least `SMS_HEALTH_MIN_BALANCE`. */
  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness: the default provider answers, accepts the credentials and has the minimum balance',
    description:
      'Down (503) with a `reason`: unreachable, auth, low_balance, circuit_open, timeout or misconfigured. ' +
      'Answers are cached (SMS_HEALTH_CACHE_TTL_MS), so probes do not hammer the provider.',
  })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.sms.isHealthy('sms', this.config.ready)]);
  }
}
