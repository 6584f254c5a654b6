/** Distinct Russian mobile numbers, written the ways users write them, for the benchmark. */

/** A deterministic pseudo-random sequence (so every run sends the same numbers). */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const WRITTEN: Array<(code: string, rest: string) => string> = [
  (code, rest) => `+7 ${code} ${rest.slice(0, 3)}-${rest.slice(3, 5)}-${rest.slice(5)}`,
  (code, rest) => `8 (${code}) ${rest.slice(0, 3)}-${rest.slice(3, 5)}-${rest.slice(5)}`,
  (code, rest) => `7${code}${rest}`,
  (code, rest) => `+7${code}${rest}`,
  (code, rest) => `8 ${code} ${rest.slice(0, 3)} ${rest.slice(3, 5)} ${rest.slice(5)}`,
];

/** A phone as written (`written`) and as the providers want it (`digits`). */
export interface Phone {
  written: string;
  digits: string;
}

/** `count` distinct mobile numbers (`+7 9xx`), each written in one of five usual ways. */
export function phones(count: number, seed = 1): Phone[] {
  const random = seeded(seed);
  const seen = new Set<string>();
  const out: Phone[] = [];
  while (out.length < count) {
    const code = String(900 + Math.floor(random() * 100));
    const rest = String(Math.floor(random() * 10_000_000)).padStart(7, '0');
    const digits = `7${code}${rest}`;
    if (seen.has(digits)) continue;
    seen.add(digits);
    out.push({ written: WRITTEN[out.length % WRITTEN.length](code, rest), digits });
  }
  return out;
}
