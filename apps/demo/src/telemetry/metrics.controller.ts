import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type Request, type Response } from 'express';
import { DEMO_TELEMETRY } from './telemetry.constants';
import { type DemoTelemetry } from './telemetry';

/**
 * `GET /metrics`: every OpenTelemetry instrument in the Prometheus text format, read at each scrape.
 * Guarded like every other route (the API key when `DEMO_API_KEY` is set): Prometheus sends it as a
 * bearer token (`authorization.credentials_file` in the scrape config).
 */
@ApiTags('metrics')
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(DEMO_TELEMETRY) private readonly telemetry: DemoTelemetry) {}

  @Get()
  @ApiOperation({ summary: 'Metrics for Prometheus (text exposition format)' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'sms_messages_total, sms_provider_request_duration_bucket, …', type: String })
  scrape(@Req() req: Request, @Res() res: Response): void {
    this.telemetry.prometheus.getMetricsRequestHandler(req, res);
  }
}
