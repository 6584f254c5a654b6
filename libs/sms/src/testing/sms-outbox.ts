import { Injectable, type INestApplicationContext } from '@nestjs/common';
import { merge, type Observable } from 'rxjs';
import { type SmsErrorCode } from '../errors';
import { type DeliveryStatus } from '../interfaces';
import { normalizePhone } from '../message/phone';
import { type OutboxChange, type OutboxMessage } from '../providers/memory/memory-outbox';
import {
  type MemoryDelayOptions,
  type MemoryFailureOptions,
  type MemoryRecipientFailureOptions,
  type MemoryRefusalOptions,
  type MemoryTimeoutOptions,
} from '../providers/memory/memory-simulation';
import { MemoryProvider } from '../providers/memory/memory.provider';
import { SmsService } from '../sms.service';

/** Which memory providers a switch concerns. Default every one. */
export interface SmsOutboxTarget {
  /** A provider name or several (`'main'` to fail only the first of a failover list). */
  provider?: string | string[];
}

/** A predicate on outbox messages, or the number the message must go to (any notation). */
export type SmsOutboxMatcher = string | ((message: OutboxMessage) => boolean);

/**
 * What the application "sent" through the memory providers, to assert on, and the switches that
 * make those providers misbehave. Messages of every memory provider, oldest first; phone numbers
 * may be written in any notation.
 *
 * @example
 * const outbox = moduleRef.get(SmsOutbox);
 * await otp.sendCode('+7 925 507-06-02');
 * expect(outbox.last()).toMatchObject({ to: '79255070602', encoding: 'GSM-7', segments: 1 });
 * expect(outbox.to('8 925 507 06 02')).toHaveLength(1);
 *
 * outbox.outage({ times: 1 });
 * await expect(otp.sendCode('+79255070602')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
 */
@Injectable()
export class SmsOutbox {
  private readonly memory: MemoryProvider[];

  constructor(sms: SmsService) {
    this.memory = sms.providers
      .map((name) => sms.driver<unknown>(name))
      .filter((driver): driver is MemoryProvider => driver instanceof MemoryProvider);
    if (this.memory.length === 0) {
      throw new Error(
        `SmsOutbox needs a memory provider; the configured ones (${sms.providers.join(', ')}) are not. ` +
          'Use SmsTestingModule.forRoot() or SmsTestingModule.override().',
      );
    }
  }

  /**
   * The outbox of an application or testing module whose `SmsModule` has memory providers (for
   * example after `SmsTestingModule.override`).
   *
   * @example
   * const outbox = SmsOutbox.from(app);
   */
  static from(app: Pick<INestApplicationContext, 'get'>): SmsOutbox {
    return new SmsOutbox(app.get(SmsService, { strict: false }));
  }

  /** The names of the memory providers this outbox watches. */
  get providers(): string[] {
    return this.memory.map((p) => p.name);
  }

  /** Every kept message, oldest first. */
  get messages(): OutboxMessage[] {
    const all = this.memory.flatMap((p) => p.outbox.messages);
    return this.memory.length === 1 ? all : all.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }

  /** How many messages are kept. */
  get size(): number {
    return this.memory.reduce((n, p) => n + p.outbox.size, 0);
  }

  /** Every change of every memory outbox: added, updated (status), cleared. */
  get changes$(): Observable<OutboxChange> {
    return merge(...this.memory.map((p) => p.outbox.changes$));
  }

  /** The newest message. */
  last(): OutboxMessage | undefined {
    const all = this.messages;
    return all[all.length - 1];
  }

  /** Messages to one number, written in any notation (`+7 925 507-06-02`, `89255070602`). */
  to(phone: string): OutboxMessage[] {
    const to = this.normalize(phone);
    return this.messages.filter((m) => m.to === to);
  }

  /** Messages a provider took (with failover: which one delivered). */
  from(provider: string): OutboxMessage[] {
    return this.messages.filter((m) => m.provider === provider);
  }

  /** The texts, oldest first. */
  texts(): string[] {
    return this.messages.map((m) => m.text);
  }

  /** A message by the id that `send` returned. */
  find(id: string): OutboxMessage | undefined {
    for (const provider of this.memory) {
      const found = provider.outbox.find(id);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * The first message (already kept, or arriving within `timeoutMs`) that matches: for code that
   * sends in the background (a queue worker, an event handler). Rejects with what the outbox holds.
   *
   * @example
   * const message = await outbox.waitFor((m) => m.text.includes('Your order'), 1000);
   */
  waitFor(match: SmsOutboxMatcher = () => true, timeoutMs = 2000): Promise<OutboxMessage> {
    const predicate = this.predicate(match);
    const found = this.messages.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise<OutboxMessage>((resolve, reject) => {
      const subscription = this.changes$.subscribe((change) => {
        if (change.type !== 'added' || !predicate(change.message)) return;
        clearTimeout(timer);
        subscription.unsubscribe();
        resolve(change.message);
      });
      const timer = setTimeout(() => {
        subscription.unsubscribe();
        reject(
          new Error(`SmsOutbox.waitFor: no matching message within ${timeoutMs} ms; ${this.describe()}`),
        );
      }, timeoutMs);
    });
  }

  /** Drops every kept message (the switches stay). */
  clear(): void {
    for (const provider of this.memory) provider.outbox.clear();
  }

  /** Drops every message and switches every simulation off: call it in `afterEach`. */
  reset(): void {
    this.clear();
    for (const provider of this.memory) provider.simulate.reset();
  }

  /**
   * Sets a message's delivery status, as a delivery report would; `getStatus` then reports it.
   *
   * @example
   * outbox.setStatus(result.messages[0].id!, 'undelivered');
   */
  setStatus(id: string, status: DeliveryStatus): OutboxMessage {
    for (const provider of this.memory) {
      const updated = provider.outbox.setStatus(id, status);
      if (updated) return updated;
    }
    throw new Error(`SmsOutbox.setStatus: no message with id "${id}"`);
  }

  /**
   * The provider refuses whole sends with `code` (not sent), with the class the library gives that
   * code unless `failure` says otherwise: `AUTH`, `INSUFFICIENT_FUNDS`, `SENDER_NOT_ALLOWED` are
   * `account` (failover moves on); `RATE_LIMITED` (with `retryAfterSeconds`), `STOP_LIST`,
   * `CONTENT_REJECTED`, … are `refused` (not retryable, no failover), like the anti-flood limiter's
   * `RATE_LIMITED`; `UNAVAILABLE` is `unavailable` (retried, then failover).
   *
   * @example
   * outbox.refuse('INSUFFICIENT_FUNDS');
   * outbox.refuse('RATE_LIMITED', { retryAfterSeconds: 30, times: 1 });
   * outbox.refuse('RATE_LIMITED', { failure: 'unavailable' }); // an HTTP 429: retried, then failover
   */
  refuse(code?: SmsErrorCode, options: MemoryRefusalOptions & SmsOutboxTarget = {}): this {
    return this.each(options, (p) => p.simulate.refuse(code, options));
  }

  /**
   * Sends to one number come back `accepted: false` with `code` (default `STOP_LIST`); the other
   * recipients go through.
   */
  failRecipient(
    phone: string,
    code?: SmsErrorCode,
    options: MemoryRecipientFailureOptions & SmsOutboxTarget = {},
  ): this {
    return this.each(options, (p) => p.simulate.failRecipient(phone, code, options));
  }

  /**
   * The provider is down: `UNAVAILABLE`, class `unavailable` (not sent, retryable, failover moves
   * on), on every operation unless `on` says otherwise.
   */
  outage(options: MemoryFailureOptions & SmsOutboxTarget = {}): this {
    return this.each(options, (p) => p.simulate.outage(options));
  }

  /**
   * Sends end in `TIMEOUT`, class `unknown` (outcome `unknown`: no retry, no failover); the message
   * still reaches the outbox unless `reached: false`, so a test can show that the application does
   * not resend it.
   */
  timeout(options: MemoryTimeoutOptions & SmsOutboxTarget = {}): this {
    return this.each(options, (p) => p.simulate.timeout(options));
  }

  /** Every call waits `ms` (at most 60 s); `0` switches the delay off. */
  delay(ms: number, options: MemoryDelayOptions & SmsOutboxTarget = {}): this {
    return this.each(options, (p) => p.simulate.delay(ms, options));
  }

  private each(target: SmsOutboxTarget, apply: (provider: MemoryProvider) => void): this {
    const names = target.provider === undefined ? undefined : [target.provider].flat();
    for (const name of names ?? []) {
      if (!this.providers.includes(name)) {
        throw new Error(`SmsOutbox: "${name}" is not a memory provider (${this.providers.join(', ')})`);
      }
    }
    for (const provider of this.memory) if (!names || names.includes(provider.name)) apply(provider);
    return this;
  }

  private normalize(phone: string): string {
    return normalizePhone(phone, this.memory[0].simulate.defaultCountry) ?? phone;
  }

  private predicate(match: SmsOutboxMatcher): (message: OutboxMessage) => boolean {
    if (typeof match === 'function') return match;
    const to = this.normalize(match);
    return (message) => message.to === to;
  }

  private describe(): string {
    const all = this.messages;
    if (all.length === 0) return 'the outbox is empty';
    const list = all.slice(-5).map((m) => `${m.to}: ${JSON.stringify(m.text)}`);
    return `the outbox holds ${all.length}${all.length > 5 ? ' (the last 5)' : ''}: ${list.join('; ')}`;
  }
}
