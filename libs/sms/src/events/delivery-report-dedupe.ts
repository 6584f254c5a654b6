import { type DeliveryReport } from './delivery-report.interface';

/** The key under which a report is de-duplicated: provider, kind, id and normalized status. */
export function deliveryReportKey(report: DeliveryReport): string {
  return JSON.stringify([report.provider, report.kind, report.id, report.status]);
}

/**
 * Keys seen within a time window, with bounded memory: every key lives `windowMs`, so insertion order
 * is expiry order; expired keys are dropped from the front and, beyond `maxEntries`, the oldest go
 * first (internal).
 */
export class DeliveryReportDedupe {
  private readonly expiries = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Keys remembered now. */
  get size(): number {
    this.sweep();
    return this.expiries.size;
  }

  has(key: string): boolean {
    this.sweep();
    return this.expiries.has(key);
  }

  add(key: string): void {
    this.expiries.delete(key);
    this.expiries.set(key, this.now() + this.windowMs);
    this.sweep();
    for (const oldest of this.expiries.keys()) {
      if (this.expiries.size <= this.maxEntries) break;
      this.expiries.delete(oldest);
    }
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, expiresAt] of this.expiries) {
      if (expiresAt > now) break;
      this.expiries.delete(key);
    }
  }
}
