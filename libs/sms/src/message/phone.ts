import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';

/** A two-letter country code (ISO 3166-1 alpha-2) used for numbers written without one. */
export type SmsCountryCode = CountryCode;

const NON_DIGITS = /\D/g;
/** Any decimal digit (libphonenumber-js reads full-width and other scripts' digits too). */
const DIGITS = /\p{Nd}/gu;
/** E.164 allows 15 digits; an international call prefix (`810`, `00`) adds at most 3. */
const MAX_DIGITS = 18;
/** Longest input examined at all. */
const MAX_INPUT_LENGTH = 64;
/** What a number written without a plus may hold besides digits. */
const PLAIN_NUMBER = /^[\d\s().-]+$/;

/**
 * Parses a phone number and returns it as the providers want it: digits only, country code first.
 * Accepts `+7 (925) 507-06-02`, `8 925 507 06 02`, `89255070602`, `79255070602` (with `RU` as the
 * default country) and international digits written without a plus (`447911123456`).
 * Returns `undefined` for anything that is not a valid number, for text around a number
 * (`79255070602x`) and for a number with an extension (an SMS cannot reach one). Input longer than
 * 64 characters or with more than 18 digits is refused before it is parsed.
 *
 * @example
 * normalizePhone('8 (925) 507-06-02'); // '79255070602'
 */
export function normalizePhone(input: string, defaultCountry: SmsCountryCode = 'RU'): string | undefined {
  if (typeof input !== 'string' || input.length > MAX_INPUT_LENGTH) return undefined;
  // libphonenumber-js takes 20–90 µs to refuse a long digit string: count the digits first.
  if ((input.match(DIGITS)?.length ?? 0) > MAX_DIGITS) return undefined;
  const text = input.trim();
  const common = RUSSIAN_MOBILE.exec(text);
  if (common !== null && (common[1] === '+7' || defaultCountry === 'RU')) {
    return `7${common[2] ?? common[3]}${common[4]}${common[5]}${common[6]}`;
  }
  const key = `${defaultCountry}:${input}`;
  const known = recent.get(key);
  if (known !== undefined) {
    // Most recently used last: the oldest entry is the first a full cache lets go.
    recent.delete(key);
    recent.set(key, known);
    return known === INVALID ? undefined : known;
  }
  const phone = parsePhone(text, defaultCountry);
  if (recent.size >= RECENT_PHONES) recent.delete(recent.keys().next().value as string);
  recent.set(key, phone ?? INVALID);
  return phone;
}

/**
 * A Russian mobile number as it is usually written: `+7`, `8` or `7`, then `9XX` (in brackets or
 * not) and seven digits, with at most one space or hyphen between the groups. Every such number is
 * a valid Russian one for libphonenumber-js (its pattern for +7 takes any `9` followed by nine digits,
 * and Kazakhstan's +7 numbers start with 33 or 7), so it is read without it; `8` and `7` without a
 * plus are national forms only under the default country RU. phone-cache.spec.ts proves the answers
 * equal on generated inputs around this form.
 */
const RUSSIAN_MOBILE = /^(\+7|8|7)[ -]?(?:\((9\d\d)\)|(9\d\d))[ -]?(\d{3})[ -]?(\d\d)[ -]?(\d\d)$/;

/**
 * The numbers read last (`<country>:<input>` → digits or `INVALID`), at most `RECENT_PHONES`, least
 * recently used dropped first: an application sends to the same numbers again and again (codes,
 * alerts to its staff), and libphonenumber-js takes 5–15 µs a number. A cache of a pure function,
 * not safety state; 64-character inputs at most, so its size is bounded in bytes too.
 */
const recent = new Map<string, string>();
const RECENT_PHONES = 1024;
const INVALID = '';

/** `normalizePhone` without the bounds and the cache: what libphonenumber-js reads in `text`. */
export function parsePhone(text: string, defaultCountry: SmsCountryCode): string | undefined {
  const parsed = parsePhoneNumberFromString(text, { defaultCountry, extract: false });
  if (parsed?.isValid()) return parsed.ext ? undefined : parsed.number.slice(1);
  if (!PLAIN_NUMBER.test(text)) return undefined;
  const digits = text.replace(NON_DIGITS, '');
  if (digits.length < 8) return undefined;
  const international = parsePhoneNumberFromString(`+${digits}`, { extract: false });
  return international?.isValid() ? international.number.slice(1) : undefined;
}

/**
 * Masks a normalized number for logs: `7925***0602`.
 */
export function maskPhone(phone: string): string {
  if (phone.length <= 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 4)}***${phone.slice(-4)}`;
}
