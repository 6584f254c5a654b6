import {
  type SmsVerifyStore,
  type VerificationRecord,
  type VerificationRef,
  type VerificationState,
  type VerifyAttemptDecision,
  type VerifyStartDecision,
  type VerifyStartRequest,
} from './verify-store.interface';

/** Starts between two sweeps of ended windows and records. */
const SWEEP_EVERY = 1024;

interface Log {
  times: number[];
  windowMs: number;
}

/** `cooldown × growth^(sends − 1)`, at most `maxMs`. */
export function cooldownMs(cooldown: VerifyStartRequest['cooldown'], sends: number): number {
  return Math.min(cooldown.maxMs, cooldown.baseMs * cooldown.growth ** Math.max(0, sends - 1));
}

/**
 * Verifications and their counters in this process: the default store, for one instance. Every
 * method runs in one synchronous step, so concurrent calls cannot both pass a limit. Windows,
 * blocks and the day's spend are dropped only after they end; records after their retention.
 */
export class MemoryVerifyStore implements SmsVerifyStore {
  private readonly records = new Map<string, { record: VerificationRecord; until: number }>();
  private readonly byNumber = new Map<string, string>();
  private readonly logs = new Map<string, Log>();
  private readonly blocks = new Map<string, number>();
  private readonly spend = new Map<string, { rub: number; until: number }>();
  private starts = 0;

  /** Records, windows, blocks and spend days held now (for tests and metrics). */
  get size(): { records: number; windows: number; blocks: number; days: number } {
    return {
      records: this.records.size,
      windows: this.logs.size,
      blocks: this.blocks.size,
      days: this.spend.size,
    };
  }

  /** Everything the store holds, as JSON (to show that no code is kept in clear). */
  dump(): string {
    return JSON.stringify({
      records: [...this.records.values()],
      byNumber: [...this.byNumber],
      logs: [...this.logs],
      blocks: [...this.blocks],
      spend: [...this.spend],
    });
  }

  async start(request: VerifyStartRequest): Promise<VerifyStartDecision> {
    const { now, record } = request;
    if (++this.starts % SWEEP_EVERY === 0) this.sweep(now);
    const current = this.current(record.to, now);
    if (current && now < current.resendAfter) {
      if (current.state === 'pending' && now < current.expiresAt)
        return { kind: 'existing', record: { ...current } };
      if (current.state === 'pending' || current.state === 'max_attempts') {
        return { kind: 'refused', reason: 'cooldown', retryAfterMs: current.resendAfter - now };
      }
    }
    const { pumping, spend, cooldown } = request;
    if (pumping) {
      const until = this.blocks.get(pumping.range) ?? 0;
      if (until > now) return { kind: 'refused', reason: 'range_blocked', retryAfterMs: until - now };
    }
    for (const limit of request.limits) {
      const times = this.window(limit.key, limit.windowMs, now);
      if (limit.max > 0 && times.length >= limit.max) {
        const retryAfterMs = times[times.length - limit.max] + limit.windowMs - now;
        return { kind: 'refused', reason: 'limit', retryAfterMs, limit: limit.name };
      }
    }
    const rangeKey = pumping ? `range:${pumping.range}` : undefined;
    if (pumping && this.window(rangeKey!, pumping.windowMs, now).length >= pumping.maxStarts) {
      this.blocks.set(pumping.range, now + pumping.blockMs);
      return { kind: 'refused', reason: 'pumping', retryAfterMs: pumping.blockMs };
    }
    const day = spend ? this.spend.get(spend.day) : undefined;
    if (spend && (day?.rub ?? 0) + record.priceRub > spend.capRub) {
      return { kind: 'refused', reason: 'spend_limit', retryAfterMs: spend.resetInMs };
    }
    const pushed = new Set<string>();
    const push = (key: string, windowMs: number) => {
      if (pushed.has(key)) return;
      pushed.add(key);
      this.window(key, windowMs, now).push(now);
    };
    for (const limit of request.limits) push(limit.key, limit.windowMs);
    push(cooldown.key, cooldown.windowMs);
    if (pumping) push(rangeKey!, pumping.windowMs);
    if (spend) {
      this.spend.set(spend.day, {
        rub: (day?.rub ?? 0) + record.priceRub,
        until: now + spend.resetInMs + 86_400_000,
      });
    }
    const sends = this.window(cooldown.key, cooldown.windowMs, now).length;
    const created = { ...record, resendAfter: now + Math.ceil(cooldownMs(cooldown, sends)) };
    if (current) this.records.delete(current.id);
    this.records.set(created.id, {
      record: created,
      until: Math.max(created.expiresAt, created.resendAfter) + request.retainMs,
    });
    this.byNumber.set(created.to, created.id);
    return { kind: 'created', record: { ...created } };
  }

  async attempt(ref: VerificationRef, now: number): Promise<VerifyAttemptDecision> {
    const id = 'id' in ref ? ref.id : this.byNumber.get(ref.to);
    const record = id === undefined ? undefined : this.live(id, now);
    if (!record || record.state === 'approved' || record.state === 'cancelled') return { kind: 'not_found' };
    if (record.state === 'max_attempts') return { kind: 'max_attempts', record: { ...record } };
    if (now >= record.expiresAt) return { kind: 'expired', record: { ...record } };
    if (record.attempts >= record.maxAttempts) {
      record.state = 'max_attempts';
      return { kind: 'max_attempts', record: { ...record } };
    }
    record.attempts++;
    return { kind: 'compare', record: { ...record } };
  }

  async settle(id: string, state: Exclude<VerificationState, 'pending'>): Promise<boolean> {
    const record = this.records.get(id)?.record;
    if (!record || record.state !== 'pending') return false;
    record.state = state;
    return true;
  }

  async sent(
    id: string,
    sent: { provider: string; messageId?: string },
    spend?: { day: string; deltaRub: number },
  ): Promise<void> {
    const record = this.records.get(id)?.record;
    if (record) {
      record.provider = sent.provider;
      if (sent.messageId !== undefined) record.messageId = sent.messageId;
      if (spend) record.priceRub += spend.deltaRub;
    }
    const day = spend ? this.spend.get(spend.day) : undefined;
    if (day && spend) day.rub += spend.deltaRub;
  }

  async abandon(id: string, spend?: { day: string }): Promise<void> {
    const entry = this.records.get(id);
    if (!entry) return;
    this.records.delete(id);
    if (this.byNumber.get(entry.record.to) === id) this.byNumber.delete(entry.record.to);
    const day = spend ? this.spend.get(spend.day) : undefined;
    if (day) day.rub = Math.max(0, day.rub - entry.record.priceRub);
  }

  async get(id: string): Promise<VerificationRecord | undefined> {
    const record = this.records.get(id)?.record;
    return record ? { ...record } : undefined;
  }

  private live(id: string, now: number): VerificationRecord | undefined {
    const entry = this.records.get(id);
    return entry && entry.until > now ? entry.record : undefined;
  }

  private current(to: string, now: number): VerificationRecord | undefined {
    const id = this.byNumber.get(to);
    return id === undefined ? undefined : this.live(id, now);
  }

  /** The times of `key` still inside its window (older ones dropped). */
  private window(key: string, windowMs: number, now: number): number[] {
    let log = this.logs.get(key);
    if (!log) {
      log = { times: [], windowMs };
      this.logs.set(key, log);
    }
    const from = now - windowMs;
    let drop = 0;
    while (drop < log.times.length && log.times[drop] <= from) drop++;
    if (drop > 0) log.times.splice(0, drop);
    return log.times;
  }

  /** Drops windows, blocks, days and records that have ended. */
  private sweep(now: number): void {
    for (const [key, log] of this.logs) {
      if (log.times.length === 0 || log.times[log.times.length - 1] <= now - log.windowMs)
        this.logs.delete(key);
    }
    for (const [range, until] of this.blocks) if (until <= now) this.blocks.delete(range);
    for (const [day, entry] of this.spend) if (entry.until <= now) this.spend.delete(day);
    for (const [id, entry] of this.records) {
      if (entry.until > now) continue;
      this.records.delete(id);
      if (this.byNumber.get(entry.record.to) === id) this.byNumber.delete(entry.record.to);
    }
  }
}
