import { type SmsVerification } from './sms-verify.interfaces';
import { type ResolvedVerifyOptions, SMS_VERIFY_DEFAULTS } from './verify-options';
import {
  type VerificationRecord,
  type VerifyStartRequest,
  type VerifyWindowLimit,
} from './verify-store.interface';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** What the store is asked to decide for a start: the record, its windows, cooldown, pumping and spend rules. */
export function startRequest(
  options: ResolvedVerifyOptions,
  now: number,
  id: string,
  number: string,
  codeHash: string,
  clientIp: string | undefined,
): VerifyStartRequest {
  const { limits, pumping, spend } = options;
  const windows: VerifyWindowLimit[] = [
    { name: 'number-hour', key: `n:h:${number}`, max: limits.perNumberPerHour, windowMs: HOUR_MS },
    { name: 'number-day', key: `n:d:${number}`, max: limits.perNumberPerDay, windowMs: DAY_MS },
  ];
  if (clientIp !== undefined) {
    windows.push(
      { name: 'ip-hour', key: `ip:h:${clientIp}`, max: limits.perIpPerHour, windowMs: HOUR_MS },
      { name: 'ip-day', key: `ip:d:${clientIp}`, max: limits.perIpPerDay, windowMs: DAY_MS },
    );
  }
  const record: VerificationRecord = {
    id,
    to: number,
    codeHash,
    state: 'pending',
    attempts: 0,
    maxAttempts: options.maxAttempts,
    createdAt: now,
    expiresAt: now + options.ttlMs,
    resendAfter: now,
    priceRub: spend ? spend.pricePerSegmentRub : 0,
  };
  const dayStart = Math.floor(now / DAY_MS) * DAY_MS;
  return {
    now,
    record,
    limits: windows,
    cooldown: {
      key: `n:h:${number}`,
      windowMs: HOUR_MS,
      baseMs: options.resendCooldownMs,
      growth: options.resendCooldownGrowth,
      maxMs: options.maxResendCooldownMs,
    },
    pumping: pumping
      ? {
          range: number.slice(0, Math.max(1, number.length - pumping.rangeDigits)),
          maxStarts: pumping.maxStarts,
          windowMs: pumping.windowMs,
          blockMs: pumping.blockMs,
        }
      : undefined,
    spend: spend
      ? {
          day: new Date(dayStart).toISOString().slice(0, 10),
          capRub: spend.perDayRub,
          resetInMs: dayStart + DAY_MS - now,
        }
      : undefined,
    retainMs: SMS_VERIFY_DEFAULTS.retainMs,
  };
}

/** The public view of a pending verification. */
export function viewOf(record: VerificationRecord): SmsVerification {
  const view: SmsVerification = {
    id: record.id,
    to: record.to,
    status: 'pending',
    expiresAt: new Date(record.expiresAt),
    resendAfter: new Date(record.resendAfter),
  };
  if (record.provider !== undefined) view.provider = record.provider;
  if (record.messageId !== undefined) view.messageId = record.messageId;
  return view;
}
