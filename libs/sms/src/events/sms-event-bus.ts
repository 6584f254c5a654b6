import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';
import { type SmsEvent } from './sms-event.interface';

/** Carries events from the drivers and the router to `SmsService.events$` (internal). */
@Injectable()
export class SmsEventBus implements OnApplicationShutdown {
  private readonly subject = new Subject<SmsEvent>();
  readonly events$: Observable<SmsEvent> = this.subject.asObservable();

  /** Whether anyone subscribed: events are worth building only then. */
  get listening(): boolean {
    return this.subject.observed;
  }

  emit(event: SmsEvent): void {
    if (this.subject.observed) this.subject.next(event);
  }

  onApplicationShutdown(): void {
    this.subject.complete();
  }
}
