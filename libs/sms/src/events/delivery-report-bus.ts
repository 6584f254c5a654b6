import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';
import { SMS_LOGGER_CONTEXT } from '../sms.constants';
import { DeliveryReportDedupe, deliveryReportKey } from './delivery-report-dedupe';
import { type DeliveryReport, type DeliveryReportHandler } from './delivery-report.interface';

/** How the bus de-duplicates and whom it calls first. */
export interface DeliveryReportBusOptions {
  /** How long a (provider, id, status) is remembered. */
  dedupeWindowMs: number;
  /** Keys remembered at most. */
  dedupeMaxEntries: number;
  handler?: DeliveryReportHandler;
}

/**
 * Carries delivery reports from the webhook endpoints to `onDeliveryReport` and then to
 * `SmsService.deliveryReports$`, each (provider, id, status) once within the window (internal).
 *
 * A report is marked as seen and published only after the handler resolved; while one callback
 * handles a report, a repeat of it waits for that outcome instead of calling the handler twice.
 */
export class DeliveryReportBus implements OnApplicationShutdown {
  private readonly subject = new Subject<DeliveryReport>();
  private readonly seen: DeliveryReportDedupe;
  private readonly pending = new Map<string, Promise<void>>();
  private readonly logger = new Logger(SMS_LOGGER_CONTEXT);
  readonly reports$: Observable<DeliveryReport> = this.subject.asObservable();

  constructor(private readonly options: DeliveryReportBusOptions) {
    this.seen = new DeliveryReportDedupe(options.dedupeWindowMs, options.dedupeMaxEntries);
  }

  /**
   * Hands each new report to the handler, then publishes it, in order. Rejects with the handler's
   * error at the first report whose handler throws; the reports before it stay delivered.
   *
   * @returns how many reports were new
   */
  async deliver(reports: readonly DeliveryReport[]): Promise<number> {
    let published = 0;
    for (const report of reports) {
      const key = deliveryReportKey(report);
      for (let running = this.pending.get(key); running; running = this.pending.get(key)) {
        await running.catch(() => undefined);
      }
      if (this.seen.has(key)) continue;
      const handled = this.handle(report);
      this.pending.set(key, handled);
      try {
        await handled;
      } finally {
        this.pending.delete(key);
      }
      this.seen.add(key);
      this.subject.next(report);
      published++;
    }
    return published;
  }

  onApplicationShutdown(): void {
    this.subject.complete();
  }

  private async handle(report: DeliveryReport): Promise<void> {
    if (!this.options.handler) return;
    try {
      await this.options.handler(report);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      this.logger.error(
        `onDeliveryReport failed for ${report.provider} ${report.kind} ${report.id} (${report.status}); the callback is answered 500 so that the provider repeats it: ${why}`,
      );
      throw e;
    }
  }
}
