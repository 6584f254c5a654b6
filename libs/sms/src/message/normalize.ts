import { SmsValidationError, type SmsValidationDetail } from '../errors';
import {
  type BatchItem,
  type SendInput,
  type SendOptions,
  type OutgoingMessage,
  type SmsProviderLimits,
} from '../interfaces';
import { checkClientIp } from './client-ip';
import { normalizePhone, type SmsCountryCode } from './phone';
import { countSegments, maxTextLength, type SegmentInfo } from './segments';

/** A send after validation: what the guard, the router and the drivers work with. */
export interface NormalizedSend {
  messages: OutgoingMessage[];
  options: Omit<SendOptions, 'provider' | 'idempotencyKey'>;
}

/** What normalization needs to know besides the input. */
export interface NormalizeContext {
  defaultCountry: SmsCountryCode;
  limits: SmsProviderLimits;
  /** Default `Date.now()`. */
  now?: number;
}

/** Sender rule of both providers: a name of 3–11 of `A-Za-z0-9.-`, or a number of 6–14 digits. */
export const SENDER_PATTERN = /^(?:[A-Za-z0-9.-]{3,11}|\d{6,14})$/;
/** What a sender breaking `SENDER_PATTERN` is told. */
export const SENDER_RULE = 'must be 3–11 of A-Za-z0-9.- or 6–14 digits';
const SEND_AT_PAST_TOLERANCE_MS = 60_000;

const BOOLEAN_OPTIONS = ['test', 'translit', 'daytime'] as const;
/** Problems listed at most: past them, the rest of a list is not examined. */
const MAX_LISTED_PROBLEMS = 20;

/** The problems found so far; `full` once enough are listed to stop looking. */
class Problems {
  readonly details: SmsValidationDetail[] = [];

  get full(): boolean {
    return this.details.length > MAX_LISTED_PROBLEMS;
  }

  add(field: string, message: string): void {
    if (this.full) return;
    this.details.push({ field, message });
    if (this.full) {
      this.details[MAX_LISTED_PROBLEMS] = {
        field: 'input',
        message: `has more problems; the first ${MAX_LISTED_PROBLEMS} are listed`,
      };
    }
  }

  throwIfAny(): void {
    if (this.details.length > 0) throw new SmsValidationError(this.details);
  }
}

/** Checks the options; each check is O(1) (a `clientIp` is parsed only within its length bound). */
function checkOptions(
  options: SendOptions,
  ctx: NormalizeContext,
  problems: Problems,
): NormalizedSend['options'] {
  const out: NormalizedSend['options'] = {};
  const { sender, sendAt, ttlMinutes, clientIp } = options;
  if (sender !== undefined) {
    if (typeof sender !== 'string' || !SENDER_PATTERN.test(sender)) {
      problems.add('sender', SENDER_RULE);
    } else out.sender = sender;
  }
  if (sendAt !== undefined) {
    const at = sendAt instanceof Date ? sendAt.getTime() : NaN;
    const now = ctx.now ?? Date.now();
    const horizon = ctx.limits.maxScheduleAheadMs;
    if (Number.isNaN(at)) problems.add('sendAt', 'must be a valid Date');
    else if (at < now - SEND_AT_PAST_TOLERANCE_MS) problems.add('sendAt', 'is in the past');
    else if (horizon !== undefined && at > now + horizon) {
      problems.add('sendAt', `is more than ${Math.round(horizon / 86_400_000)} days ahead`);
    } else out.sendAt = sendAt;
  }
  if (ttlMinutes !== undefined) {
    const { min, max } = ctx.limits.ttlMinutes;
    if (!Number.isInteger(ttlMinutes) || ttlMinutes < min || ttlMinutes > max) {
      problems.add('ttlMinutes', `must be a whole number from ${min} to ${max}`);
    } else out.ttlMinutes = ttlMinutes;
  }
  if (clientIp !== undefined) {
    const ip = checkClientIp(clientIp);
    if (ip.ok) out.clientIp = ip.address;
    else problems.add('clientIp', ip.problem);
  }
  for (const key of BOOLEAN_OPTIONS) {
    const value = options[key];
    if (value === undefined) continue;
    if (typeof value !== 'boolean') problems.add(key, 'must be a boolean');
    else out[key] = value;
  }
  return out;
}

/** Why a text is longer than any text of the allowed parts can be, if it is: O(1), before any other check. */
function tooLong(text: unknown, limits: SmsProviderLimits): string | undefined {
  const max = maxTextLength(limits.maxParts);
  if (typeof text !== 'string' || text.length <= max) return undefined;
  return `is ${text.length} characters long, more than the ${limits.maxParts} allowed SMS parts can hold (${max})`;
}

/** The SMS parts of a text within its length bound, or a problem (blank, more parts than allowed). */
function measureText(
  text: unknown,
  field: string,
  limits: SmsProviderLimits,
  problems: Problems,
): SegmentInfo | undefined {
  if (typeof text !== 'string' || text.trim() === '') {
    problems.add(field, 'must be a non-empty text');
    return undefined;
  }
  const segments = countSegments(text);
  if (segments.segments <= limits.maxParts) return segments;
  problems.add(field, `takes ${segments.segments} SMS parts, more than the ${limits.maxParts} allowed`);
  return undefined;
}

function beyondCount(field: string, count: number, max: number, what: string, problems: Problems): boolean {
  if (count <= max) return false;
  problems.add(field, `has ${count} ${what}, more than the ${max} allowed`);
  return true;
}

/**
 * Validates and normalizes a `send` input: numbers parsed and de-duplicated, text measured, options
 * checked against the provider's limits. Throws `SmsValidationError` listing the problems.
 *
 * The O(1) bounds come first: with more recipients than allowed, or a text longer than the allowed
 * parts can hold, no number is parsed and no character examined. Within the bounds every problem is
 * listed, up to 20 (past them the numbers are not parsed further). So no input, however large, costs
 * more than the largest valid one.
 */
export function normalizeSend(input: SendInput, ctx: NormalizeContext): NormalizedSend {
  if (input === null || typeof input !== 'object') {
    throw new SmsValidationError([{ field: 'input', message: 'must be an object' }]);
  }
  const problems = new Problems();
  const many = Array.isArray(input.to);
  const list: unknown[] = many ? (input.to as unknown[]) : [input.to];
  if (list.length === 0) problems.add('to', 'must name at least one number');
  const tooMany = beyondCount('to', list.length, ctx.limits.maxRecipients, 'recipients', problems);
  const textTooLong = tooLong(input.text, ctx.limits);
  const beyond = tooMany || textTooLong !== undefined;

  const numbers: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; !beyond && i < list.length && !problems.full; i++) {
    const phone = normalizePhone(list[i] as string, ctx.defaultCountry);
    if (phone === undefined) problems.add(many ? `to[${i}]` : 'to', 'is not a valid phone number');
    else if (!seen.has(phone)) {
      seen.add(phone);
      numbers.push(phone);
    }
  }
  if (textTooLong) problems.add('text', textTooLong);
  const segments = beyond ? undefined : measureText(input.text, 'text', ctx.limits, problems);
  const options = checkOptions(input, ctx, problems);
  problems.throwIfAny();
  return { messages: numbers.map((to) => ({ to, text: input.text, segments: segments! })), options };
}

/**
 * Validates and normalizes a `sendBatch` input. A repeated (number, text) pair is sent once; the same
 * number with different texts gets each of them. The O(1) bounds come first, as in `normalizeSend`:
 * with more items than allowed, or any text longer than the allowed parts can hold, no number is
 * parsed and no text measured.
 */
export function normalizeBatch(
  items: BatchItem[],
  options: SendOptions,
  ctx: NormalizeContext,
): NormalizedSend {
  if (!Array.isArray(items) || items.length === 0) {
    throw new SmsValidationError([{ field: 'items', message: 'must hold at least one message' }]);
  }
  const problems = new Problems();
  const tooMany = beyondCount('items', items.length, ctx.limits.maxRecipients, 'messages', problems);
  for (let i = 0; !tooMany && i < items.length && !problems.full; i++) {
    const problem = tooLong(items[i]?.text, ctx.limits);
    if (problem) problems.add(`items[${i}].text`, problem);
  }
  // Every problem so far is a bound: past one, nothing is parsed or measured.
  const beyond = problems.details.length > 0;

  const messages: OutgoingMessage[] = [];
  const seen = new Set<string>();
  for (let i = 0; !beyond && i < items.length && !problems.full; i++) {
    const item = items[i] ?? ({} as BatchItem);
    const phone = normalizePhone(item.to, ctx.defaultCountry);
    if (phone === undefined) problems.add(`items[${i}].to`, 'is not a valid phone number');
    const segments = measureText(item.text, `items[${i}].text`, ctx.limits, problems);
    if (phone === undefined || segments === undefined) continue;
    const key = `${phone}\n${item.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    messages.push({ to: phone, text: item.text, segments });
  }
  const checked = checkOptions(options ?? {}, ctx, problems);
  problems.throwIfAny();
  return { messages, options: checked };
}

/**
 * Checks an already normalized send against another provider's limits (a failover provider may be
 * stricter than the first): recipients, parts, `ttlMinutes`, `sendAt` horizon.
 */
export function checkLimits(send: NormalizedSend, limits: SmsProviderLimits, now = Date.now()): void {
  const details: SmsValidationDetail[] = [];
  if (send.messages.length > limits.maxRecipients) {
    details.push({
      field: 'to',
      message: `has ${send.messages.length} recipients, more than the ${limits.maxRecipients} allowed`,
    });
  }
  const parts = Math.max(...send.messages.map((m) => m.segments.segments));
  if (parts > limits.maxParts) {
    details.push({
      field: 'text',
      message: `takes ${parts} SMS parts, more than the ${limits.maxParts} allowed`,
    });
  }
  const { ttlMinutes, sendAt } = send.options;
  if (
    ttlMinutes !== undefined &&
    (ttlMinutes < limits.ttlMinutes.min || ttlMinutes > limits.ttlMinutes.max)
  ) {
    details.push({
      field: 'ttlMinutes',
      message: `must be a whole number from ${limits.ttlMinutes.min} to ${limits.ttlMinutes.max}`,
    });
  }
  if (
    sendAt &&
    limits.maxScheduleAheadMs !== undefined &&
    sendAt.getTime() > now + limits.maxScheduleAheadMs
  ) {
    details.push({ field: 'sendAt', message: "is beyond the provider's scheduling horizon" });
  }
  if (details.length > 0) throw new SmsValidationError(details);
}
