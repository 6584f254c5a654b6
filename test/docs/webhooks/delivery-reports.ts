import { Injectable, Module } from '@nestjs/common';
import { type DeliveryReport } from 'nestjs-sms';

/**
 * The application's record of delivery reports, upserted by (provider, id, status): a report that
 * arrives twice (a provider's repeat, a callback that reached another instance) changes nothing.
 * Kept in memory here; in an application, a table with that unique key.
 */
@Injectable()
export class DeliveryReports {
  private readonly byKey = new Map<string, DeliveryReport>();

  async upsert(report: DeliveryReport): Promise<void> {
    this.byKey.set(`${report.provider}:${report.id}:${report.status}`, report);
  }

  /** The reports of one message, oldest first. */
  of(provider: string, id: string): DeliveryReport[] {
    return [...this.byKey.values()]
      .filter((r) => r.provider === provider && r.id === id)
      .sort((a, b) => a.at.getTime() - b.at.getTime());
  }
}

@Module({ providers: [DeliveryReports], exports: [DeliveryReports] })
export class DeliveryReportsModule {}
