import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type SmsEvent, SmsService } from 'nestjs-sms';
import { type Subscription } from 'rxjs';

/**
 * Logs every event of `SmsService.events$` (sent, failed, retry, failover, circuit changes) as one
 * structured line: the audit trail of the demo. Events carry no phone numbers or texts.
 */
@Injectable()
export class SmsEventsLogger implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SmsEvents');
  private subscription?: Subscription;

  constructor(private readonly sms: SmsService) {}

  onApplicationBootstrap(): void {
    this.subscription = this.sms.events$.subscribe((event) => this.write(event));
  }

  onApplicationShutdown(): void {
    this.subscription?.unsubscribe();
  }

  private write({ type, at, ...rest }: SmsEvent): void {
    const line = { event: `sms.${type}`, at: at.toISOString(), ...rest };
    if (type === 'sent') this.logger.log(line);
    else this.logger.warn(line);
  }
}
