import { Controller, Get, Inject } from '@nestjs/common';
import { type ConfigType } from '@nestjs/config';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  type HealthCheckResult,
  HealthCheckService,
  type HealthIndicatorFunction,
} from '@nestjs/terminus';
import { SmsHealthIndicator, SmsQueueHealthIndicator } from 'nestjs-sms/health';
import { healthConfig, queueConfig } from '../config/sms.config';

/**
 * Kubernetes probes. Liveness checks only what is in the process, so that a provider outage never
 * restarts the pods; readiness asks the default provider for its balance (cached), because the demo
 * is a dedicated SMS-sending service with nothing to serve while its provider is down, and, when the
 * queue is on (`REDIS_URL`), pings the queue's Redis.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly sms: SmsHealthIndicator,
    private readonly queue: SmsQueueHealthIndicator,
    @Inject(healthConfig.KEY) private readonly config: ConfigType<typeof healthConfig>,
    @Inject(queueConfig.KEY) private readonly queueSettings: ConfigType<typeof queueConfig>,
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

  /**
   * Readiness: the default provider answers its balance request and the balance is at least
   * `SMS_HEALTH_MIN_BALANCE`; with the queue on, its Redis answers too.
   */
  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary:
      'Readiness: the default provider answers, accepts the credentials and has the minimum balance; ' +
      'with REDIS_URL, the queue’s Redis answers',
    description:
      'Down (503) with a `reason`: unreachable, auth, low_balance, circuit_open, timeout or misconfigured. ' +
      'Provider answers are cached (SMS_HEALTH_CACHE_TTL_MS), so probes do not hammer the provider; ' +
      'the `queue` key (REDIS_URL set) pings Redis within SMS_HEALTH_TIMEOUT_MS.',
  })
  ready(): Promise<HealthCheckResult> {
    const checks: HealthIndicatorFunction[] = [() => this.sms.isHealthy('sms', this.config.ready)];
    if (this.queueSettings.redisUrl) checks.push(() => this.queue.isHealthy('queue'));
    return this.health.check(checks);
  }
}
