import { AttributeCache } from './attribute-cache';
import { instruments } from './metrics';

/** Sends remembered at most; beyond it the oldest is dropped (about 130 bytes each, see docs/observability.md). */
export const MAX_SEND_TIMES = 100_000;
/**
 * How long a send is remembered: SMS.ru and SMSPilot let a message live 1440 minutes at most (`ttl`)
 * and SMS.ru repeats an unanswered callback for days; a final status later than this is not measured.
 */
export const SEND_TIME_MAX_AGE_MS = 7 * 86_400_000;

const PROVIDER_STATUS = new AttributeCache(['sms.provider', 'sms.status']);

/**
 * When each accepted message was sent, by provider and id, for `sms.delivery.duration`: per process,
 * bounded in count and age, oldest first out (observability state: losing an entry loses one
 * measurement, nothing else). Filled only while an SDK meter is registered.
 */
export class SendTimes {
  /** Time of the send (ms since the epoch) by `provider NUL id`, in insertion order (oldest first). */
  private readonly sent = new Map<string, number>();

  constructor(
    private readonly maxEntries = MAX_SEND_TIMES,
    private readonly maxAgeMs = SEND_TIME_MAX_AGE_MS,
  ) {}

  /** Entries held now (for tests; not exported from the package). */
  get size(): number {
    return this.sent.size;
  }

  /** Remembers the accepted messages of a provider's answer, sent at `at`. */
  remember(provider: string, messages: ReadonlyArray<{ id?: string; accepted: boolean }>, at: number): void {
    for (const m of messages) {
      if (!m.accepted || m.id === undefined) continue;
      const key = keyOf(provider, m.id);
      this.sent.delete(key);
      this.sent.set(key, at);
    }
    this.prune(at);
  }

  /** The send time of a message, forgotten as it is read; `undefined` when unknown or too old. */
  take(provider: string, id: string, now: number): number | undefined {
    if (this.sent.size === 0) return undefined;
    const key = keyOf(provider, id);
    const at = this.sent.get(key);
    if (at === undefined) return undefined;
    this.sent.delete(key);
    return now - at > this.maxAgeMs ? undefined : at;
  }

  clear(): void {
    this.sent.clear();
  }

  /** Drops the oldest entries past the count, and those past the age from the front. */
  private prune(now: number): void {
    for (const [key, at] of this.sent) {
      if (this.sent.size <= this.maxEntries && now - at <= this.maxAgeMs) return;
      this.sent.delete(key);
    }
  }
}

function keyOf(provider: string, id: string): string {
  return `${provider}\u0000${id}`;
}

/** The send times of this process. */
export const sendTimes = new SendTimes();

/**
 * Remembers when a provider accepted these messages, while an SDK meter is registered (else nothing
 * is stored). A scheduled send (`sendAt`) is left out: its wait is not delivery time.
 */
export function rememberSendTimes(
  provider: string,
  messages: ReadonlyArray<{ id?: string; accepted: boolean }>,
  scheduled: boolean,
): void {
  if (scheduled || !instruments()) return;
  sendTimes.remember(provider, messages, Date.now());
}

/**
 * `sms.delivery.duration`: the final statuses of remembered messages, each once (the id is
 * forgotten). A status that is not final changes nothing. `at` is when the status was reached.
 */
export function measureDeliveryTimes(
  statuses: ReadonlyArray<{ provider: string; id: string; status: string; final: boolean; at?: Date }>,
): void {
  if (sendTimes.size === 0) return;
  const metrics = instruments();
  const now = Date.now();
  for (const s of statuses) {
    if (!s.final) continue;
    const sentAt = sendTimes.take(s.provider, s.id, now);
    if (sentAt === undefined || !metrics) continue;
    const reachedAt = s.at?.getTime() ?? now;
    metrics.deliveryDuration.record(
      Math.max(0, reachedAt - sentAt) / 1000,
      PROVIDER_STATUS.get(s.provider, s.status),
    );
  }
}
