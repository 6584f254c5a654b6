import { Controller, Get, type INestApplication, Module } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import { type SmsModuleOptions, SmsModule } from 'nestjs-sms';
import {
  type SmsHealthCheckOptions,
  type SmsHealthModuleOptions,
  SmsHealthIndicator,
  SmsHealthModule,
} from 'nestjs-sms/health';

/** What a test app's probes check. */
export interface HealthAppOptions {
  sms: SmsModuleOptions;
  health?: SmsHealthModuleOptions;
  /** Options of the readiness probe (`GET /health`). */
  ready?: SmsHealthCheckOptions;
}

/**
 * Boots a Nest app as a user would write it: `SmsModule` (not global), and a health module that
 * imports `TerminusModule` and `SmsHealthModule`, with `GET /health` (readiness, the provider) and
 * `GET /health/live` (liveness, in-process).
 */
export async function bootHealthApp(options: HealthAppOptions): Promise<INestApplication> {
  @Controller('health')
  class HealthController {
    constructor(
      private readonly health: HealthCheckService,
      private readonly sms: SmsHealthIndicator,
    ) {}

    @Get()
    @HealthCheck()
    ready() {
      return this.health.check([() => this.sms.isHealthy('sms', options.ready)]);
    }

    @Get('live')
    @HealthCheck()
    live() {
      return this.health.check([() => this.sms.isConfigured('sms')]);
    }
  }

  @Module({
    imports: [TerminusModule.forRoot({ logger: false }), SmsHealthModule.forRoot(options.health ?? {})],
    controllers: [HealthController],
  })
  class HealthModule {}

  const moduleRef = await Test.createTestingModule({
    imports: [SmsModule.forRoot(options.sms), HealthModule],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

export { closedPort } from '../fakes/closed-port';
