import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/** A code of `length` decimal digits, each from `crypto.randomInt` (uniform, unpredictable). */
export function generateCode(length: number): string {
  let code = '';
  for (let i = 0; i < length; i++) code += String(randomInt(10));
  return code;
}

/** HMAC-SHA256 of the verification id and the code under the secret, hex: all the store keeps. */
export function hashCode(secret: string, id: string, code: string): string {
  return createHmac('sha256', secret).update(`${id}:${code}`).digest('hex');
}

/** Compares two hashes in constant time. */
export function sameHash(expected: string, actual: string): boolean {
  const a = Buffer.from(expected, 'hex');
  const b = Buffer.from(actual, 'hex');
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}
