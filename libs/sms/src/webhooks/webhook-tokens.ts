import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The accepted webhook tokens, compared in constant time: both sides are hashed (HMAC-SHA-256 under a
 * key drawn at start) before `timingSafeEqual`, so neither the length nor the content of a token
 * shows in the timing, and every token is compared every time (internal).
 */
export class WebhookTokens {
  private readonly key = randomBytes(32);
  private readonly digests: readonly Buffer[];

  constructor(tokens: readonly string[]) {
    this.digests = tokens.map((t) => this.digest(t));
  }

  /** Whether `candidate` is one of the tokens. */
  matches(candidate: string): boolean {
    const digest = this.digest(candidate);
    let found = false;
    for (const expected of this.digests) found = timingSafeEqual(digest, expected) || found;
    return found;
  }

  private digest(token: string): Buffer {
    return createHmac('sha256', this.key).update(token, 'utf8').digest();
  }
}
