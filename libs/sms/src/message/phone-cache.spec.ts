import {
  type CountryCode,
  getCountries,
  getCountryCallingCode,
  parsePhoneNumberFromString,
} from 'libphonenumber-js';
import examples from 'libphonenumber-js/examples.mobile.json';
import { normalizePhone } from './phone';

/**
 * `normalizePhone` keeps the numbers it read last in a bounded cache. These specs prove the cached
 * answers equal what libphonenumber-js reads, input by input, on a generated corpus large enough to
 * fill the cache many times over (hits, misses and evictions, the same text under several default
 * countries).
 */

/** A deterministic pseudo-random sequence. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/** What libphonenumber-js itself says of `input`, with no cache in between: the reference. */
function reference(input: string, defaultCountry: CountryCode): { digits?: string; country?: string } {
  if (input.length > 64 || (input.match(/\p{Nd}/gu)?.length ?? 0) > 18) return {};
  const text = input.trim();
  const parsed = parsePhoneNumberFromString(text, { defaultCountry, extract: false });
  if (parsed?.isValid()) {
    return parsed.ext
      ? {}
      : {
          digits: `${parsed.countryCallingCode}${parsed.nationalNumber}`,
          country: parsed.countryCallingCode,
        };
  }
  if (!/^[\d\s().-]+$/.test(text)) return {};
  const digits = text.replace(/\D/g, '');
  if (digits.length < 8) return {};
  const international = parsePhoneNumberFromString(`+${digits}`, { extract: false });
  return international?.isValid()
    ? {
        digits: `${international.countryCallingCode}${international.nationalNumber}`,
        country: international.countryCallingCode,
      }
    : {};
}

const FULL_WIDTH = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));

/** Ways a number is written, from its calling code and national number. */
const FORMS: Array<(cc: string, national: string, random: () => number) => string> = [
  (cc, n) => `+${cc}${n}`,
  (cc, n) => `${cc}${n}`,
  (cc, n) => `+${cc} ${n.slice(0, 3)} ${n.slice(3, 6)}-${n.slice(6)}`,
  (cc, n) => `+${cc} (${n.slice(0, 3)}) ${n.slice(3)}`,
  (_cc, n) => n,
  (_cc, n) => `8${n}`,
  (_cc, n) => `8 (${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6, 8)}-${n.slice(8)}`,
  (_cc, n) => `0${n}`,
  (cc, n) => `00${cc}${n}`,
  (cc, n) => `810 ${cc} ${n}`,
  (cc, n) => `  +${cc}-${n}  `,
  (cc, n) => FULL_WIDTH(`+${cc} ${n}`),
  (cc, n) => `+${cc}${n} ext 12`,
  (cc, n) => `+${cc}${n}x`,
  (cc, n) => `tel:+${cc}${n}`,
  (cc, n, r) => `+${cc}${n}`.slice(0, Math.max(1, Math.floor(r() * (cc.length + n.length + 1)))),
  (cc, n) => `+${cc}${n}${n}`,
  (cc, n) => `+${cc}${n}; +${cc}${n}`,
  (_cc, _n, r) => 'abc +-() '.charAt(Math.floor(r() * 9)).repeat(1 + Math.floor(r() * 5)),
  (_cc, _n, r) => String(Math.floor(r() * 1e9)),
];

function corpus(size: number, seed: number): Array<{ input: string; country: CountryCode }> {
  const random = seeded(seed);
  const countries = getCountries().filter((c) => (examples as Record<string, string>)[c]);
  const defaults: CountryCode[] = ['RU', 'RU', 'RU', 'KZ', 'BY', 'GB', 'US', 'DE', 'UZ', 'CN'];
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const out: Array<{ input: string; country: CountryCode }> = [];
  while (out.length < size) {
    // Half Russian and Kazakh numbers (+7, the common case), half any country's.
    const country = random() < 0.5 ? pick(['RU', 'KZ'] as const) : pick(countries);
    const example = (examples as Record<string, string>)[country];
    // The example with its last digits changed: valid and invalid numbers alike.
    const keep = Math.max(1, example.length - 1 - Math.floor(random() * 5));
    let national = example.slice(0, keep);
    while (national.length < example.length) national += String(Math.floor(random() * 10));
    const input = pick(FORMS)(getCountryCallingCode(country), national, random);
    out.push({ input, country: pick(defaults) });
  }
  return out;
}

/** Numbers written around the common Russian mobile form, near and across the edges of its fast path. */
function russianForms(size: number, seed: number): Array<{ input: string; country: CountryCode }> {
  const random = seeded(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
  const prefixes = ['+7', '+7', '8', '8', '7', '7', '+8', '87', '+77', '', '+ 7', '＋7', '007', '810 7'];
  const gaps = ['', '', ' ', ' ', '-', '  ', '--', '\t', '.', '\u00a0', ' - ', '/', '('];
  const defaults: CountryCode[] = ['RU', 'RU', 'RU', 'KZ', 'GB', 'US', 'BY'];
  const out: Array<{ input: string; country: CountryCode }> = [];
  while (out.length < size) {
    const code = pick([
      `9${digits(2)}`,
      `9${digits(2)}`,
      digits(3),
      `9${digits(1)}`,
      `33${digits(1)}`,
      `7${digits(2)}`,
    ]);
    const bracket = pick(['none', 'none', 'both', 'open', 'close'] as const);
    const wrapped =
      bracket === 'both'
        ? `(${code})`
        : bracket === 'open'
          ? `(${code}`
          : bracket === 'close'
            ? `${code})`
            : code;
    const groups = [
      pick(prefixes),
      wrapped,
      digits(3),
      digits(2),
      pick([digits(2), digits(2), digits(1), digits(3)]),
    ];
    const body = groups.reduce((text, group) => text + pick(gaps) + group);
    const input = pick(['', '', '', ' ', '\n']) + body + pick(['', '', '', '', '0', 'x', ' ', ' ext 1']);
    out.push({ input, country: pick(defaults) });
  }
  return out;
}

/** Compares `normalizePhone` with the reference on every entry; returns counts and the first mismatches. */
function compare(entries: Iterable<{ input: string; country: CountryCode }>) {
  let valid = 0;
  let invalid = 0;
  const mismatches: string[] = [];
  for (const { input, country } of entries) {
    const expected = reference(input, country);
    const actual = normalizePhone(input, country);
    if (expected.digits === undefined) invalid++;
    else valid++;
    const same =
      actual === expected.digits && (actual === undefined || actual.startsWith(expected.country ?? '?'));
    if (!same) mismatches.push(`${JSON.stringify(input)} (${country}): ${actual} vs ${expected.digits}`);
  }
  return { valid, invalid, mismatches };
}

describe('normalizePhone against libphonenumber-js', () => {
  it('answers 100 000 numbers written around the common Russian mobile form as libphonenumber-js does', () => {
    const { valid, invalid, mismatches } = compare(russianForms(100_000, 3));
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(mismatches).toHaveLength(0);
    expect(valid).toBeGreaterThan(20_000);
    expect(invalid).toBeGreaterThan(20_000);
  });

  it('answers 200 000 generated inputs as libphonenumber-js does, through cache hits, misses and evictions', () => {
    // 6 000 distinct inputs drawn 200 000 times: the cache (1 024 numbers) hits, misses and evicts.
    // Each input is drawn under its own default country, and now and then under another.
    const pool = corpus(6_000, 18);
    const random = seeded(5);
    const draws = function* () {
      for (let i = 0; i < 200_000; i++) {
        const entry = pool[Math.floor(random() * pool.length)];
        yield { input: entry.input, country: random() < 0.1 ? ('GB' as const) : entry.country };
      }
    };
    const { valid, invalid, mismatches } = compare(draws());
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(mismatches).toHaveLength(0);
    // The corpus holds both kinds in earnest.
    expect(valid).toBeGreaterThan(40_000);
    expect(invalid).toBeGreaterThan(40_000);
  });

  it('keeps the answer of each default country apart for the same text', () => {
    expect(normalizePhone('9255070602', 'RU')).toBe('79255070602');
    expect(normalizePhone('9255070602', 'GB')).toBeUndefined();
    expect(normalizePhone('9255070602', 'RU')).toBe('79255070602');
    expect(normalizePhone('07911 123456', 'RU')).toBeUndefined();
    expect(normalizePhone('07911 123456', 'GB')).toBe('447911123456');
  });

  it('answers a number read long ago (evicted since) as the first time', () => {
    expect(normalizePhone('+7 925 507-06-02')).toBe('79255070602');
    for (let i = 0; i < 3000; i++) normalizePhone(`+7 926 ${String(1_000_000 + i)}`);
    expect(normalizePhone('+7 925 507-06-02')).toBe('79255070602');
    expect(normalizePhone('+7 925 507-06-0')).toBeUndefined();
  });
});
