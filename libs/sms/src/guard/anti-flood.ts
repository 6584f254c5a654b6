import { SmsError } from '../errors';
import { type SmsAntiFloodOptions, type SmsRateLimit } from '../interfaces';
import { maskPhone } from '../message/phone';
import { type SmsRateLimitStore } from './rate-limit-store.interface';

/**
 * The anti-flood key of a client IP (canonical, as `checkClientIp` gives it): an IPv4 address itself,
 * an IPv6 address its /64 network, which as a rule belongs to one end user who may use any address
 * in it.
 */
export function clientIpKey(clientIp: string): string {
  const [head, tail] = clientIp.split('::');
  if (tail === undefined && !head.includes(':')) return clientIp;
  const groups = head === '' ? [] : head.split(':');
  if (tail !== undefined) {
    const rest = tail === '' ? [] : tail.split(':');
    while (groups.length + rest.length < 8) groups.push('0');
    groups.push(...rest);
  }
  return `${groups.slice(0, 4).join(':')}::/64`;
}

/**
 * Limits sends per recipient number and per client IP (an IPv6 address by its /64), before any
 * request: a breach throws `RATE_LIMITED` with `retryAfterSeconds`. Every window of every key is
 * counted, so a flood keeps being refused until its window ends.
 */
export class AntiFloodGuard {
  constructor(
    private readonly options: SmsAntiFloodOptions,
    private readonly store: SmsRateLimitStore,
  ) {}

  get enabled(): boolean {
    return Boolean(this.options.perNumber?.length || this.options.perIp?.length);
  }

  async check(numbers: readonly string[], clientIp: string | undefined): Promise<void> {
    const checks: Array<Promise<{ what: string; limit: SmsRateLimit; count: number; resetInMs: number }>> =
      [];
    const count = (key: string, what: string, limit: SmsRateLimit) =>
      this.store.hit(`${key}:${limit.windowMs}`, limit.windowMs).then((hit) => ({ what, limit, ...hit }));
    for (const limit of this.options.perNumber ?? []) {
      for (const phone of numbers) checks.push(count(`n:${phone}`, `number ${maskPhone(phone)}`, limit));
    }
    if (clientIp) {
      for (const limit of this.options.perIp ?? [])
        checks.push(count(`ip:${clientIpKey(clientIp)}`, 'this client IP', limit));
    }
    const breaches = (await Promise.all(checks)).filter((c) => c.count > c.limit.max);
    if (breaches.length === 0) return;
    const worst = breaches.reduce((a, b) => (b.resetInMs > a.resetInMs ? b : a));
    throw new SmsError(
      `Anti-flood limit: at most ${worst.limit.max} SMS per ${worst.limit.windowMs / 1000} s to ${worst.what}`,
      { code: 'RATE_LIMITED', retryAfterSeconds: Math.max(1, Math.ceil(worst.resetInMs / 1000)) },
    );
  }
}
