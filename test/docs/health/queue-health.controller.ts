import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { SmsHealthIndicator, SmsQueueHealthIndicator } from 'nestjs-sms/health';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly sms: SmsHealthIndicator,
    private readonly queue: SmsQueueHealthIndicator,
  ) {}

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.sms.isHealthy('sms'), () => this.queue.isHealthy('queue')]);
  }
}
