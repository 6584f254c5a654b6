import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { type DeliveryStatus, SmsService } from 'nestjs-sms';
import { filter, type Subscription } from 'rxjs';

/** Counts the final statuses the providers report, per provider: `main.delivered`, `backup.expired`, … */
@Injectable()
export class FinalStatusMetrics implements OnModuleInit, OnModuleDestroy {
  private readonly counts = new Map<string, number>();
  private subscription?: Subscription;

  constructor(private readonly sms: SmsService) {}

  onModuleInit(): void {
    this.subscription = this.sms.deliveryReports$
      .pipe(filter((r) => r.final))
      .subscribe((r) => this.count(r.provider, r.status));
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  private count(provider: string, status: DeliveryStatus): void {
    const key = `${provider}.${status}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
}
