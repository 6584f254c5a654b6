/** What a secret is replaced with. */
export const REDACTED = '[redacted]';

/** Secrets shorter than this are not looked for: they would blank out ordinary text. */
const MIN_SECRET_LENGTH = 3;

/** How much of a text is read, in excerpt lengths: bounds the work on a huge answer. */
const READ_FACTOR = 16;

/** Every `\uXXXX` a JSON encoder may write for a non-ASCII character (PHP's `json_encode` does). */
const jsonAscii = (json: string): string =>
  json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const htmlEscape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`);

/**
 * The ways a gateway may echo a value: URL-encoded (`encodeURIComponent` and form encoding with `+`),
 * JSON-escaped (as `JSON.stringify` writes it, with `\/` as PHP writes it, with `\uXXXX` for non-ASCII)
 * and HTML-escaped.
 */
const ENCODINGS: ReadonlyArray<(text: string) => string> = [
  encodeURIComponent,
  (text) => new URLSearchParams({ s: text }).toString().slice(2),
  (text) => JSON.stringify(text).slice(1, -1),
  (text) => JSON.stringify(text).slice(1, -1).replace(/\//g, '\\/'),
  (text) => jsonAscii(JSON.stringify(text).slice(1, -1)),
  htmlEscape,
];

/** A secret as written, and in every encoding and every encoding of an encoding. */
function spellings(secret: string): string[] {
  const once = ENCODINGS.map((encode) => encode(secret));
  const twice = once.flatMap((encoded) => ENCODINGS.map((encode) => encode(encoded)));
  return [...new Set([secret, ...once, ...twice])];
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/**
 * A pattern that finds, at each position, the longest spelling of any secret that starts there
 * (overlapping occurrences included, through the look-ahead). Case-insensitive: percent and `\u`
 * escapes come in either case, and hiding a little more is harmless.
 */
function secretPattern(secrets: readonly string[]): { pattern: RegExp; longest: number } | undefined {
  const all = [
    ...new Set(secrets.filter((s) => s.length >= MIN_SECRET_LENGTH).flatMap((s) => spellings(s))),
  ].sort((a, b) => b.length - a.length);
  if (all.length === 0) return undefined;
  return { pattern: new RegExp(`(?=(${all.map(escapeRegExp).join('|')}))`, 'gi'), longest: all[0].length };
}

/** Patterns by list of secrets: a transport passes the same list with every answer. */
const patterns = new WeakMap<readonly string[], ReturnType<typeof secretPattern>>();

function patternOf(secrets: readonly string[]): ReturnType<typeof secretPattern> {
  if (!patterns.has(secrets)) patterns.set(secrets, secretPattern(secrets));
  return patterns.get(secrets);
}

/**
 * Removes every configured secret from a text, and cuts it short: for excerpts of provider answers
 * that go into error messages.
 *
 * Every secret is replaced as written and URL-, JSON- and HTML-escaped (see `ENCODINGS`), before the
 * text is cut, so that no part of a secret survives at the cut. Only the first `maxLength × 16`
 * characters are read (bounded work on a huge page); whatever might be the start of a secret cut off
 * there is dropped too. Whitespace runs become one space.
 *
 * @example
 * redact('{"error":"bad api_id=s3cr%2Ft"}', ['s3cr/t']); // '{"error":"bad api_id=[redacted]"}'
 */
export function redact(text: string, secrets: readonly string[], maxLength = 120): string {
  const found = patternOf(secrets);
  const readLength = maxLength * READ_FACTOR + (found?.longest ?? 0);
  const cut = text.length > readLength;
  const head = cut ? text.slice(0, readLength) : text;
  // A spelling that starts this far from the end of a cut text may be cut off itself: dropped.
  const end = cut && found ? head.length - found.longest + 1 : head.length;
  let out = '';
  let from = 0;
  if (found) {
    for (const match of head.matchAll(found.pattern)) {
      if (match.index >= end) break;
      const until = match.index + match[1].length;
      if (until <= from) continue;
      out += head.slice(from, Math.max(from, match.index));
      // Adjacent or overlapping occurrences become one mark.
      if (match.index > from || from === 0) out += REDACTED;
      from = until;
    }
  }
  out += head.slice(from, Math.max(from, end));
  out = out.replace(/\s+/g, ' ').trim();
  return out.length > maxLength || cut ? `${out.slice(0, maxLength)}…` : out;
}
