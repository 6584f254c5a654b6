import { Injectable, Logger } from '@nestjs/common';
import { type DeliveryReport } from 'nestjs-sms';

/**
 * The demo's `onDeliveryReport` handler: one structured line per new delivery report, awaited by the
 * webhook endpoint before it acknowledges the callback. An application would upsert the report into
 * its own store here, keyed by (provider, id, status). The line carries no phone number and no token:
 * `raw` (the provider's own fields, which may hold the number) is left out.
 *
 * @example
 * {"level":"log","message":{"event":"sms.delivery_report","provider":"main","id":"202626-1000100","kind":"sms","status":"delivered","final":true,"providerStatus":103,"at":"2025-12-29T09:20:00.000Z"},"context":"DeliveryReports"}
 */
@Injectable()
export class DeliveryReportLogger {
  private readonly logger = new Logger('DeliveryReports');

  /** Logs one report. */
  handle({ provider, id, kind, status, final, providerStatus, at }: DeliveryReport): void {
    this.logger.log({
      event: 'sms.delivery_report',
      provider,
      id,
      kind,
      status,
      final,
      providerStatus,
      at: at.toISOString(),
    });
  }
}
