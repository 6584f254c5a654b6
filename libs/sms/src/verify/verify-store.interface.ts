/** The states of a verification as the store keeps them. */
export type VerificationState = 'pending' | 'approved' | 'max_attempts' | 'cancelled';

/** One verification as the store keeps it: the code only as an HMAC. */
export interface VerificationRecord {
  id: string;
  /** The number, digits only, country code first. */
  to: string;
  /** HMAC-SHA256 of the id and the code under the module's secret, hex. */
  codeHash: string;
  state: VerificationState;
  /** Checks made so far. */
  attempts: number;
  maxAttempts: number;
  createdAt: number;
  expiresAt: number;
  /** Until then a new `start` for the number returns this verification and sends nothing. */
  resendAfter: number;
  /** RUB reserved against the daily cap for this code. */
  priceRub: number;
  provider?: string;
  messageId?: string;
}

/** A sliding-window limit the store counts: at most `max` starts within `windowMs` for `key`. */
export interface VerifyWindowLimit {
  /** `number-hour`, `ip-day`, … (names the limit in errors and events). */
  name: string;
  key: string;
  max: number;
  windowMs: number;
}

/** Everything `start` asks of the store, decided in one atomic step. */
export interface VerifyStartRequest {
  now: number;
  /** The new verification; the store sets `resendAfter`. */
  record: VerificationRecord;
  /** Checked together and counted only when the start goes through. */
  limits: VerifyWindowLimit[];
  /** The log whose count (this start included) sets the cooldown: `base × growth^(count − 1)`, at most `maxMs`. */
  cooldown: { key: string; windowMs: number; baseMs: number; growth: number; maxMs: number };
  pumping?: { range: string; maxStarts: number; windowMs: number; blockMs: number };
  spend?: { day: string; capRub: number; resetInMs: number };
  /** How long the record is kept after `max(expiresAt, resendAfter)`. */
  retainMs: number;
}

/** Why the store refused a start. */
export type VerifyRefusal = 'cooldown' | 'limit' | 'range_blocked' | 'pumping' | 'spend_limit';

/** What the store decided for a start. */
export type VerifyStartDecision =
  | { kind: 'created'; record: VerificationRecord }
  /** A pending verification of the number is still in its cooldown: nothing is sent. */
  | { kind: 'existing'; record: VerificationRecord }
  | { kind: 'refused'; reason: VerifyRefusal; retryAfterMs: number; limit?: string };

/** What the store decided for a check, before the code is compared. */
export type VerifyAttemptDecision =
  | { kind: 'not_found' }
  | { kind: 'expired'; record: VerificationRecord }
  | { kind: 'max_attempts'; record: VerificationRecord }
  /** One attempt was counted (`record.attempts` includes it): compare the code. */
  | { kind: 'compare'; record: VerificationRecord };

/** Which verification a check or a cancel means. */
export type VerificationRef = { id: string } | { to: string };

/**
 * Where `SmsVerifyService` keeps verifications, windows, blocked ranges and the day's spend. Every
 * method is one atomic step, so that several application instances sharing a store send one code
 * per number and count every attempt once. State that keeps a code from going out (windows, blocks,
 * cooldowns, spend) is never dropped before it ends.
 */
export interface SmsVerifyStore {
  start(request: VerifyStartRequest): Promise<VerifyStartDecision>;
  /** Counts one attempt of a pending, unexpired verification that has attempts left. */
  attempt(ref: VerificationRef, now: number): Promise<VerifyAttemptDecision>;
  /** Moves a pending verification to `state`; `false` when it was no longer pending. */
  settle(id: string, state: Exclude<VerificationState, 'pending'>): Promise<boolean>;
  /** Records where the code went. */
  sent(
    id: string,
    sent: { provider: string; messageId?: string },
    spend?: { day: string; deltaRub: number },
  ): Promise<void>;
  /**
   * Forgets a verification whose code provably did not go out, gives its price back to the day's
   * spend and frees the cooldown (the windows keep counting it).
   */
  abandon(id: string, spend?: { day: string }): Promise<void>;
  /** The verification, in whatever state. */
  get(id: string): Promise<VerificationRecord | undefined>;
}
