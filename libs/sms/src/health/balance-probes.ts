import { performance } from 'node:perf_hooks';
import { SmsError, type SmsErrorCode } from '../errors';
import { type ProviderCallOptions } from '../interfaces';

/** Reads a provider's balance; aborted through `signal` at the probe's deadline. */
export type BalanceReader = (options: ProviderCallOptions) => Promise<number>;

/** What one balance request learned (internal). */
export type BalanceObservation =
  | { ok: true; balance: number; latencyMs: number; at: number }
  | {
      ok: false;
      failure: 'unreachable' | 'auth' | 'timeout';
      code: SmsErrorCode;
      latencyMs: number;
      at: number;
    };

/** An observation as one probe gets it: `cached` when an earlier request answered it. */
export type ProbeAnswer = BalanceObservation & { cached: boolean };

interface ProbeEntry {
  read: BalanceReader;
  timeoutMs: number;
  last?: BalanceObservation;
  /** The shared check in flight: every probe joins it. */
  inflight?: Promise<BalanceObservation>;
  /** Ends the check in flight early (shutdown). */
  cancel?: () => void;
  /** A driver call still pending after its deadline (a driver that ignores its signal). */
  pendingCall?: { startedAt: number };
  refreshTimer?: NodeJS.Timeout;
}

function observationOf(error: unknown, latencyMs: number): BalanceObservation {
  const code: SmsErrorCode = error instanceof SmsError ? error.code : 'UNKNOWN';
  const failure = code === 'AUTH' ? 'auth' : code === 'TIMEOUT' ? 'timeout' : 'unreachable';
  return { ok: false, failure, code, latencyMs, at: Date.now() };
}

function timedOut(latencyMs: number): BalanceObservation {
  return { ok: false, failure: 'timeout', code: 'TIMEOUT', latencyMs, at: Date.now() };
}

const elapsed = (since: number) => Math.round(performance.now() - since);

/**
 * Balance checks per provider that cannot hammer it (internal): an answer is reused for
 * `cacheTtlMs`, concurrent probes share one request, a request is aborted at its deadline, and a
 * driver that ignores the abort still gets no second request while its first one is pending. With
 * `refreshIntervalMs`, each provider checked so far is asked again that long after its last answer.
 */
export class BalanceProbes {
  private readonly entries = new Map<string, ProbeEntry>();
  private closed = false;

  constructor(private readonly settings: { cacheTtlMs: number; refreshIntervalMs?: number }) {}

  /**
   * The provider's balance or failure: from the cache, from the check in flight, or from a new
   * request, and never later than `timeoutMs` (a `timeout` answer then, not cached).
   */
  async observe(provider: string, read: BalanceReader, timeoutMs: number): Promise<ProbeAnswer> {
    const started = performance.now();
    let entry = this.entries.get(provider);
    if (!entry) {
      entry = { read, timeoutMs };
      this.entries.set(provider, entry);
    }
    entry.read = read;
    entry.timeoutMs = timeoutMs;
    if (entry.last && Date.now() - entry.last.at < this.settings.cacheTtlMs)
      return { ...entry.last, cached: true };
    const shared = entry.inflight ?? this.start(entry);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<BalanceObservation>((resolve) => {
      timer = setTimeout(() => resolve(timedOut(elapsed(started))), timeoutMs);
      timer.unref();
    });
    try {
      return { ...(await Promise.race([shared, deadline])), cached: false };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops the refresh timers and ends the checks in flight. */
  close(): void {
    this.closed = true;
    for (const entry of this.entries.values()) {
      clearTimeout(entry.refreshTimer);
      entry.refreshTimer = undefined;
      entry.cancel?.();
    }
  }

  private start(entry: ProbeEntry): Promise<BalanceObservation> {
    if (entry.pendingCall) {
      const answer = Promise.resolve(timedOut(elapsed(entry.pendingCall.startedAt)));
      return answer.then((observation) => this.remember(entry, observation));
    }
    const started = performance.now();
    const controller = new AbortController();
    const pendingCall = { startedAt: started };
    entry.pendingCall = pendingCall;
    let call: Promise<number>;
    try {
      call = Promise.resolve(
        entry.read({ signal: controller.signal, deadlineAt: Date.now() + entry.timeoutMs, retry: false }),
      );
    } catch (e) {
      call = Promise.reject(e);
    }
    const shared = new Promise<BalanceObservation>((resolve) => {
      const giveUp = () => {
        controller.abort();
        settle(timedOut(elapsed(started)));
      };
      const timer = setTimeout(giveUp, entry.timeoutMs);
      timer.unref();
      const settle = (observation: BalanceObservation) => {
        clearTimeout(timer);
        resolve(observation);
      };
      entry.cancel = giveUp;
      call.then(
        (balance) =>
          settle(
            typeof balance === 'number' && Number.isFinite(balance)
              ? { ok: true, balance, latencyMs: elapsed(started), at: Date.now() }
              : {
                  ok: false,
                  failure: 'unreachable',
                  code: 'BAD_RESPONSE',
                  latencyMs: elapsed(started),
                  at: Date.now(),
                },
          ),
        (error: unknown) => settle(observationOf(error, elapsed(started))),
      );
    });
    const release = () => {
      if (entry.pendingCall === pendingCall) entry.pendingCall = undefined;
    };
    call.then(release, release);
    const done = shared.then((observation) => {
      entry.cancel = undefined;
      return this.remember(entry, observation);
    });
    entry.inflight = done;
    return done;
  }

  private remember(entry: ProbeEntry, observation: BalanceObservation): BalanceObservation {
    entry.last = observation;
    entry.inflight = undefined;
    clearTimeout(entry.refreshTimer);
    entry.refreshTimer = undefined;
    const interval = this.settings.refreshIntervalMs;
    if (interval !== undefined && !this.closed) {
      entry.refreshTimer = setTimeout(() => {
        entry.refreshTimer = undefined;
        if (!entry.inflight && !this.closed) void this.start(entry);
      }, interval);
      entry.refreshTimer.unref();
    }
    return observation;
  }
}
