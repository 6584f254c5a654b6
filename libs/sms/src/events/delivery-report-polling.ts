import { setTimeout as sleep } from 'node:timers/promises';
import { SmsError, SmsValidationError } from '../errors';
import { type MessageStatus, type ProviderSelection } from '../interfaces';

/** Options of `SmsService.waitForFinalStatus`. */
export interface WaitForFinalStatusOptions extends ProviderSelection {
  /** How long to keep polling in all. Default 60 000 ms. */
  timeoutMs?: number;
  /** The first pause between two polls; each next pause is 1.5 times longer, at most 30 000 ms. Default 2 000 ms. */
  intervalMs?: number;
}

/** Defaults of `waitForFinalStatus`. */
export const WAIT_FOR_FINAL_STATUS_DEFAULTS = {
  timeoutMs: 60_000,
  intervalMs: 2_000,
  backoff: 1.5,
  maxIntervalMs: 30_000,
} as const;

function checkPositive(value: unknown, field: string): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)) {
    throw new SmsValidationError([{ field, message: 'must be a positive number of milliseconds' }]);
  }
}

/** Whether a failed status read may succeed when repeated: nothing was sent, so an unknown outcome is fine too. */
function isTransient(error: unknown): boolean {
  return error instanceof SmsError && (error.retryable || error.outcome === 'unknown');
}

/**
 * Polls `read` with backoff until every id has a final status or `timeoutMs` is over, asking each
 * time only for the ids still pending, and resolves with the last status of every id in input order
 * (internal; `SmsService.waitForFinalStatus` is the public face).
 *
 * At the timeout it resolves with the statuses as they are (`final: false` for the pending ids); an
 * id the provider never reported is `unknown`. A failed read that may succeed later (retryable, or
 * an unknown outcome) is retried until the timeout, and thrown only when some id then has no status
 * at all; any other error is thrown at once.
 */
export async function pollUntilFinal(
  ids: readonly string[],
  provider: string,
  read: (pending: string[]) => Promise<MessageStatus[]>,
  options: Omit<WaitForFinalStatusOptions, 'provider'> = {},
): Promise<MessageStatus[]> {
  checkPositive(options.timeoutMs, 'timeoutMs');
  checkPositive(options.intervalMs, 'intervalMs');
  const unique = [...new Set(ids.map((id) => (typeof id === 'string' ? id.trim() : id)))];
  if (unique.length === 0) throw new SmsValidationError([{ field: 'ids', message: 'must be non-empty ids' }]);
  const deadline = Date.now() + (options.timeoutMs ?? WAIT_FOR_FINAL_STATUS_DEFAULTS.timeoutMs);
  let delay = options.intervalMs ?? WAIT_FOR_FINAL_STATUS_DEFAULTS.intervalMs;
  const latest = new Map<string, MessageStatus>();
  let lastError: unknown;
  for (;;) {
    const pending = unique.filter((id) => !latest.get(id)?.final);
    if (pending.length === 0) break;
    try {
      for (const status of await read(pending)) latest.set(status.id, status);
      lastError = undefined;
    } catch (e) {
      if (!isTransient(e)) throw e;
      lastError = e;
    }
    if (unique.every((id) => latest.get(id)?.final)) break;
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    await sleep(Math.min(delay, remaining));
    delay = Math.min(
      delay * WAIT_FOR_FINAL_STATUS_DEFAULTS.backoff,
      WAIT_FOR_FINAL_STATUS_DEFAULTS.maxIntervalMs,
    );
  }
  if (lastError !== undefined && unique.some((id) => !latest.has(id))) throw lastError;
  return unique.map(
    (id) => latest.get(id) ?? { id, provider, status: 'unknown', final: false, providerStatus: 'unknown' },
  );
}
