import { type SmsError, type SendResult } from 'nestjs-sms';
import { type SmsQueue, type SmsQueueJobError } from 'nestjs-sms/queue';
import { type Subscription } from 'rxjs';

/** Where the application records what became of its messages. */
export interface Audit {
  sent(jobId: string, result: SendResult): void;
  notSent(jobId: string, error: SmsQueueJobError): void;
  reconcile(jobId: string, error: SmsQueueJobError): void;
  stalled(jobId: string): void;
  /** The subscription itself failed: Redis was unreachable when it was made. */
  unreachable(error: SmsError): void;
}

export function auditJobs(smsQueue: SmsQueue, audit: Audit): Subscription {
  return smsQueue.events$.subscribe({
    next: (event) => {
      switch (event.type) {
        case 'completed':
          return audit.sent(event.jobId, event.result);
        case 'failed': // safe to send again later
          return audit.notSent(event.jobId, event.error);
        case 'unknown': // may have gone out: check getStatus
          return audit.reconcile(event.jobId, event.error);
        case 'stalled': // its worker died; it runs again
          return audit.stalled(event.jobId);
      }
    },
    error: (e: SmsError) => audit.unreachable(e),
  });
}
