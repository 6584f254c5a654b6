import { REDACTED, redact } from './secrets';

/** Every piece of `secret` at least `min(length, 6)` characters long that is found in `text`. */
function leaks(text: string, secret: string): string[] {
  const size = Math.min(secret.length, 6);
  const found: string[] = [];
  const lower = text.toLowerCase();
  for (let i = 0; i + size <= secret.length; i++) {
    const piece = secret.slice(i, i + size);
    if (lower.includes(piece.toLowerCase())) found.push(piece);
  }
  return found;
}

const range = (from: number, to: number, step: number): number[] =>
  Array.from({ length: Math.ceil((to - from) / step) }, (_, i) => from + i * step);

describe('redact', () => {
  const password = 'p@ss w/rd+"Пароль"&<1>';
  const apiId = '3F2504E0-4F89-11D3-9A0C-0305E82C3301';

  /** How a gateway may write the password back. */
  const spellings: Array<[string, string]> = [
    ['raw', password],
    ['encodeURIComponent', encodeURIComponent(password)],
    ['form encoding', new URLSearchParams({ p: password }).toString().slice(2)],
    [
      'lower-case percent escapes',
      encodeURIComponent(password).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()),
    ],
    ['JSON.stringify', JSON.stringify(password).slice(1, -1)],
    ['JSON with \\/', JSON.stringify(password).slice(1, -1).replace(/\//g, '\\/')],
    [
      'JSON with \\uXXXX for non-ASCII',
      JSON.stringify(password)
        .slice(1, -1)
        .replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    ],
    [
      'JSON with \\uXXXX in upper case',
      JSON.stringify(password)
        .slice(1, -1)
        .replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`),
    ],
    [
      'HTML-escaped',
      password.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'),
    ],
    [
      'JSON of the form encoding',
      JSON.stringify(`login=${new URLSearchParams({ p: password }).toString().slice(2)}`),
    ],
  ];

  it.each(spellings)('replaces a secret written %s', (_, spelled) => {
    const out = redact(`error: the request was password=${spelled}; login=x`, [password], 500);
    expect(out).toContain(REDACTED);
    expect(leaks(out, password)).toEqual([]);
    expect(out).toMatch(/^error: the request was password=/);
  });

  it('replaces every secret, adjacent or overlapping occurrences as one', () => {
    const out = redact(`a ${apiId}${apiId.toLowerCase()} b ${password} c`, [apiId, password], 500);
    expect(out).toBe(`a ${REDACTED} b ${REDACTED} c`);
    expect(redact('x abcabcabcabc y', ['abcabcabc'])).toBe(`x ${REDACTED} y`);
  });

  it('leaves no piece of a secret at any offset around the cut', () => {
    // Every offset around the old cut (480) and around the end of what is read, some in between.
    const pads = [...range(400, 560, 1), ...range(560, 1_850, 23), ...range(1_850, 2_400, 1)];
    const secrets = [password];
    for (const [name, spelled] of spellings) {
      for (const pad of pads) {
        // Whitespace collapses to one space, so the secret lands inside the excerpt whatever the padding.
        const out = redact(`${' '.repeat(pad)}api_id=${spelled} tail`, secrets, 120);
        expect({ name, pad, leaks: leaks(out, password) }).toEqual({ name, pad, leaks: [] });
        expect(out.length).toBeLessThanOrEqual(121);
      }
    }
  });

  it('cuts after redacting and marks the cut', () => {
    const out = redact(`${password} ${'x'.repeat(300)}`, [password], 40);
    expect(out).toBe(`${REDACTED} ${'x'.repeat(40 - REDACTED.length - 1)}…`);
    expect(redact('short  and\n\tspaced ', [password])).toBe('short and spaced');
  });

  it('reads a bounded part of a huge text, and drops what may be the start of a cut secret', () => {
    const text = ' '.repeat(1_000_000) + password;
    expect(redact(text, [password])).toBe('…');
    expect(redact(`${'x'.repeat(1_000_000)}`, [password], 10)).toBe(`${'x'.repeat(10)}…`);
  });

  it('ignores secrets too short to look for, and empty lists', () => {
    expect(redact('id=ab', ['ab', ''])).toBe('id=ab');
    expect(redact('nothing secret', [])).toBe('nothing secret');
  });
});
