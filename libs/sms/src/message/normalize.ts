import { isIP } from 'node:net';
import { SmsValidationError, type SmsValidationDetail } from '../errors';
import {
  type BatchItem,
  type SendInput,
  type SendOptions,
  type OutgoingMessage,
  type SmsProviderLimits,
} from '../interfaces';
import { normalizePhone, type SmsCountryCode } from './phone';
import { countSegments } from './segments';

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
const SEND_AT_PAST_TOLERANCE_MS = 60_000;

const BOOLEAN_OPTIONS = ['test', 'translit', 'daytime'] as const;

function checkOptions(
  options: SendOptions,
  ctx: NormalizeContext,
  details: SmsValidationDetail[],
): NormalizedSend['options'] {
  const out: NormalizedSend['options'] = {};
  const { sender, sendAt, ttlMinutes, clientIp } = options;
  if (sender !== undefined) {
    if (typeof sender !== 'string' || !SENDER_PATTERN.test(sender)) {
      details.push({ field: 'sender', message: 'must be 3–11 of A-Za-z0-9.- or 6–14 digits' });
    } else out.sender = sender;
  }
  if (sendAt !== undefined) {
    const at = sendAt instanceof Date ? sendAt.getTime() : NaN;
    const now = ctx.now ?? Date.now();
    const horizon = ctx.limits.maxScheduleAheadMs;
    if (Number.isNaN(at)) details.push({ field: 'sendAt', message: 'must be a valid Date' });
    else if (at < now - SEND_AT_PAST_TOLERANCE_MS)
      details.push({ field: 'sendAt', message: 'is in the past' });
    else if (horizon !== undefined && at > now + horizon) {
      details.push({
        field: 'sendAt',
        message: `is more than ${Math.round(horizon / 86_400_000)} days ahead`,
      });
    } else out.sendAt = sendAt;
  }
  if (ttlMinutes !== undefined) {
    const { min, max } = ctx.limits.ttlMinutes;
    if (!Number.isInteger(ttlMinutes) || ttlMinutes < min || ttlMinutes > max) {
      details.push({ field: 'ttlMinutes', message: `must be a whole number from ${min} to ${max}` });
    } else out.ttlMinutes = ttlMinutes;
  }
  if (clientIp !== undefined) {
    if (typeof clientIp !== 'string' || isIP(clientIp) === 0) {
      details.push({ field: 'clientIp', message: 'must be an IPv4 or IPv6 address' });
    } else out.clientIp = clientIp;
  }
  for (const key of BOOLEAN_OPTIONS) {
    const value = options[key];
    if (value === undefined) continue;
    if (typeof value !== 'boolean') details.push({ field: key, message: 'must be a boolean' });
    else out[key] = value;
  }
  return out;
}

function checkText(text: unknown, field: string, ctx: NormalizeContext, details: SmsValidationDetail[]) {
  if (typeof text !== 'string' || text.trim() === '') {
    details.push({ field, message: 'must be a non-empty text' });
    return undefined;
  }
  const segments = countSegments(text);
  if (segments.segments > ctx.limits.maxParts) {
    details.push({
      field,
      message: `takes ${segments.segments} SMS parts, more than the ${ctx.limits.maxParts} allowed`,
    });
    return undefined;
  }
  return segments;
}

function checkRecipientCount(count: number, max: number, details: SmsValidationDetail[]) {
  if (count > max)
    details.push({ field: 'to', message: `has ${count} recipients, more than the ${max} allowed` });
}

/**
 * Validates and normalizes a `send` input: numbers parsed and de-duplicated, text measured, options
 * checked against the provider's limits. Throws `SmsValidationError` listing every problem.
 */
export function normalizeSend(input: SendInput, ctx: NormalizeContext): NormalizedSend {
  const details: SmsValidationDetail[] = [];
  if (input === null || typeof input !== 'object') {
    throw new SmsValidationError([{ field: 'input', message: 'must be an object' }]);
  }
  const list = Array.isArray(input.to) ? input.to : [input.to];
  if (list.length === 0) details.push({ field: 'to', message: 'must name at least one number' });
  checkRecipientCount(list.length, ctx.limits.maxRecipients, details);

  const numbers: string[] = [];
  const seen = new Set<string>();
  if (details.length === 0) {
    list.forEach((raw, i) => {
      const phone = normalizePhone(raw, ctx.defaultCountry);
      const field = Array.isArray(input.to) ? `to[${i}]` : 'to';
      if (phone === undefined) details.push({ field, message: `is not a valid phone number` });
      else if (!seen.has(phone)) {
        seen.add(phone);
        numbers.push(phone);
      }
    });
  }
  const segments = checkText(input.text, 'text', ctx, details);
  const options = checkOptions(input, ctx, details);
  if (details.length > 0) throw new SmsValidationError(details);
  return { messages: numbers.map((to) => ({ to, text: input.text, segments: segments! })), options };
}

/**
 * Validates and normalizes a `sendBatch` input. A repeated (number, text) pair is sent once; the same
 * number with different texts gets each of them.
 */
export function normalizeBatch(
  items: BatchItem[],
  options: SendOptions,
  ctx: NormalizeContext,
): NormalizedSend {
  const details: SmsValidationDetail[] = [];
  if (!Array.isArray(items) || items.length === 0) {
    throw new SmsValidationError([{ field: 'items', message: 'must hold at least one message' }]);
  }
  if (items.length > ctx.limits.maxRecipients) {
    details.push({
      field: 'items',
      message: `has ${items.length} messages, more than the ${ctx.limits.maxRecipients} allowed`,
    });
  }
  const messages: OutgoingMessage[] = [];
  const seen = new Set<string>();
  if (details.length === 0) {
    items.forEach((item, i) => {
      const phone = normalizePhone(item?.to, ctx.defaultCountry);
      if (phone === undefined)
        details.push({ field: `items[${i}].to`, message: 'is not a valid phone number' });
      const segments = checkText(item?.text, `items[${i}].text`, ctx, details);
      if (phone === undefined || segments === undefined) return;
      const key = `${phone}\n${item.text}`;
      if (seen.has(key)) return;
      seen.add(key);
      messages.push({ to: phone, text: item.text, segments });
    });
  }
  const checked = checkOptions(options ?? {}, ctx, details);
  if (details.length > 0) throw new SmsValidationError(details);
  return { messages, options: checked };
}

/**
 * Checks an already normalized send against another provider's limits (a failover provider may be
 * stricter than the first): recipients, parts, `ttlMinutes`, `sendAt` horizon.
 */
export function checkLimits(send: NormalizedSend, limits: SmsProviderLimits, now = Date.now()): void {
  const details: SmsValidationDetail[] = [];
  checkRecipientCount(send.messages.length, limits.maxRecipients, details);
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
