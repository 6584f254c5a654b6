import { Subject, type Observable } from 'rxjs';
import { type SmsEncoding } from '../../message/segments';
import { type DeliveryStatus } from '../../interfaces';

/** A message the memory provider took. */
export interface OutboxMessage {
  id: string;
  /** The provider's name in the module options. */
  provider: string;
  to: string;
  text: string;
  sender?: string;
  segments: number;
  encoding: SmsEncoding;
  status: DeliveryStatus;
  createdAt: Date;
  sendAt?: Date;
  test: boolean;
}

/**
 * What the memory provider "sent", oldest first, bounded (the oldest are dropped past `limit`).
 *
 * @example
 * const outbox = sms.driver('dev', MemoryProvider).outbox;
 * expect(outbox.last()?.text).toContain('code');
 */
export class MemoryOutbox {
  private readonly items: OutboxMessage[] = [];
  private readonly added = new Subject<OutboxMessage>();
  /** Every message as it is added. */
  readonly added$: Observable<OutboxMessage> = this.added.asObservable();

  constructor(readonly limit = 1000) {}

  /** The kept messages, oldest first (a copy). */
  get messages(): OutboxMessage[] {
    return [...this.items];
  }

  get size(): number {
    return this.items.length;
  }

  /** The newest message. */
  last(): OutboxMessage | undefined {
    return this.items[this.items.length - 1];
  }

  /** Messages to one number (normalized digits, `79255070602`). */
  to(phone: string): OutboxMessage[] {
    return this.items.filter((m) => m.to === phone);
  }

  /** A message by id. */
  find(id: string): OutboxMessage | undefined {
    for (let i = this.items.length - 1; i >= 0; i--) if (this.items[i].id === id) return this.items[i];
    return undefined;
  }

  clear(): void {
    this.items.length = 0;
  }

  add(message: OutboxMessage): void {
    this.items.push(message);
    if (this.items.length > this.limit) this.items.splice(0, this.items.length - this.limit);
    if (this.added.observed) this.added.next(message);
  }
}
