import { Subject, type Observable } from 'rxjs';
import { type SmsEncoding } from '../../message/segments';
import { type DeliveryStatus } from '../../interfaces';

/** A message the memory provider took. */
export interface OutboxMessage {
  id: string;
  /** The provider's name in the module options. */
  provider: string;
  /** Digits only, country code first (`79255070602`). */
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

/** A change of an outbox: a message added, a message's status changed, or the outbox cleared. */
export type OutboxChange =
  | { type: 'added'; message: OutboxMessage }
  | { type: 'updated'; message: OutboxMessage }
  | { type: 'cleared'; provider: string };

/**
 * What the memory provider "sent", oldest first, bounded (the oldest are dropped past `limit`).
 * Entries are never changed in place: a status change replaces the entry with a new object.
 *
 * @example
 * const outbox = sms.driver('dev', MemoryProvider).outbox;
 * expect(outbox.last()?.text).toContain('code');
 */
export class MemoryOutbox {
  private readonly items: OutboxMessage[] = [];
  private readonly added = new Subject<OutboxMessage>();
  private readonly changes = new Subject<OutboxChange>();
  /** Every message as it is added. */
  readonly added$: Observable<OutboxMessage> = this.added.asObservable();
  /** Every change: added, updated (status) and cleared. */
  readonly changes$: Observable<OutboxChange> = this.changes.asObservable();

  /**
   * @param limit messages kept at most
   * @param provider the owning provider's name (reported by `cleared` changes)
   */
  constructor(
    readonly limit = 1000,
    readonly provider = 'memory',
  ) {}

  /** The kept messages, oldest first (a copy). */
  get messages(): OutboxMessage[] {
    return [...this.items];
  }

  /** How many messages are kept. */
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
    const index = this.indexOf(id);
    return index < 0 ? undefined : this.items[index];
  }

  /** Drops every message. */
  clear(): void {
    this.items.length = 0;
    if (this.changes.observed) this.changes.next({ type: 'cleared', provider: this.provider });
  }

  /** Keeps a message, dropping the oldest past `limit`. */
  add(message: OutboxMessage): void {
    this.items.push(message);
    if (this.items.length > this.limit) this.items.splice(0, this.items.length - this.limit);
    if (this.added.observed) this.added.next(message);
    if (this.changes.observed) this.changes.next({ type: 'added', message });
  }

  /**
   * Sets the delivery status of a kept message (what a delivery report would do) and returns the
   * updated entry; `undefined` when the id is not kept.
   */
  setStatus(id: string, status: DeliveryStatus): OutboxMessage | undefined {
    const index = this.indexOf(id);
    if (index < 0) return undefined;
    const message = { ...this.items[index], status };
    this.items[index] = message;
    if (this.changes.observed) this.changes.next({ type: 'updated', message });
    return message;
  }

  private indexOf(id: string): number {
    for (let i = this.items.length - 1; i >= 0; i--) if (this.items[i].id === id) return i;
    return -1;
  }
}
