/** How a text is encoded on the air. */
export type SmsEncoding = 'GSM-7' | 'UCS-2';

/** How many SMS parts a text takes. */
export interface SegmentInfo {
  encoding: SmsEncoding;
  /** SMS parts (1 for an empty text). */
  segments: number;
  /** Septets (GSM-7, extension characters count twice) or UTF-16 code units (UCS-2). */
  units: number;
}

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '\f^{}\\[~]|€';

/** Septets per UTF-16 code unit: 1 basic, 2 extension, 0 not GSM-7. */
const GSM_SEPTETS = new Uint8Array(0x10000);
for (const ch of GSM_BASIC) GSM_SEPTETS[ch.charCodeAt(0)] = 1;
for (const ch of GSM_EXTENSION) GSM_SEPTETS[ch.charCodeAt(0)] = 2;

/** 140 octets of user data: 160 septets or 70 UCS-2 units; a part of a longer text gives 6 to its header. */
const SINGLE_GSM_SEPTETS = 160;
const PART_GSM_SEPTETS = 153;
const SINGLE_UCS2_UNITS = 70;
const PART_UCS2_UNITS = 67;
const CR = 0x0d;
const LF = 0x0a;

let segmenter: Intl.Segmenter | undefined;

function graphemes(text: string): Intl.Segments {
  segmenter ??= new Intl.Segmenter('en', { granularity: 'grapheme' });
  return segmenter.segment(text);
}

/**
 * The longest text, in UTF-16 code units, that can fit in `parts` SMS parts whatever its characters
 * (160 for one part, 153 a part beyond: a GSM-7 character takes at least one septet, a UCS-2 one at
 * least one of the 67 units). Any longer text takes more parts: a check in O(1) that comes before any
 * per-character work.
 *
 * @example
 * maxTextLength(8); // 1224
 */
export function maxTextLength(parts: number): number {
  if (!(parts >= 1)) return 0;
  const whole = Math.floor(parts);
  return whole === 1 ? SINGLE_GSM_SEPTETS : PART_GSM_SEPTETS * whole;
}

/**
 * Whether every code unit stands alone as a grapheme (no surrogates, combining marks, joiners or
 * variation selectors): the common case, which needs no grapheme segmentation.
 */
function isSimpleText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x0300 || (c >= 0x0400 && c <= 0x0482) || (c >= 0x048a && c <= 0x052f)) continue;
    if ((c >= 0x2010 && c <= 0x2027) || c === 0x20ac || c === 0x2116) continue;
    return false;
  }
  return true;
}

/**
 * The grapheme boundary at `at` or the last one before it, `from` being a boundary before `at`, as
 * the SMS encoders see graphemes: user-perceived characters, with CR LF as two.
 *
 * Grapheme rules never look beyond the next character, and their look back ends at the previous
 * boundary, so segmenting just `from` … the character at `at` finds the same boundary as segmenting
 * the whole text. That keeps each call short: `Intl.Segmenter` costs time in proportion to the length of
 * the text it was given at every step, quadratic over a whole text.
 */
function boundaryAtOrBefore(text: string, from: number, at: number): number {
  if (text.charCodeAt(at) === LF && text.charCodeAt(at - 1) === CR) return at;
  const window = text.slice(from, at + 2);
  return from + graphemes(window).containing(at - from)!.index;
}

/** Where the grapheme that starts at `from` (a boundary) ends: windows that double until they hold it. */
function graphemeEnd(text: string, from: number): number {
  for (let size = 2 * PART_UCS2_UNITS; ; size *= 2) {
    const to = Math.min(text.length, from + size);
    const first = graphemes(text.slice(from, to))[Symbol.iterator]().next().value!;
    const end = from + first.segment.length;
    // The boundary is certain once the character after it is whole in the window.
    if (to === text.length || end <= to - 2) return end;
  }
}

/**
 * UCS-2 parts of a text of more than 70 units that needs grapheme segmentation: each part takes whole
 * graphemes up to 67 units, a grapheme longer than that takes a part of its own (and, at the start of
 * the text, counts an empty part before it, as a greedy packer does). One short segmentation a part.
 */
function countUcs2Parts(text: string): number {
  let parts = 1;
  let start = 0;
  while (start + PART_UCS2_UNITS < text.length) {
    const next = boundaryAtOrBefore(text, start, start + PART_UCS2_UNITS);
    if (next > start) {
      parts++;
      start = next;
      continue;
    }
    const end = graphemeEnd(text, start);
    if (start === 0) parts++;
    if (end >= text.length) return parts;
    parts++;
    start = end;
  }
  return parts;
}

/** GSM-7 parts of a text of more than 160 septets: 153 a part, an extension character never split. */
function countGsmParts(text: string): number {
  let parts = 1;
  let used = 0;
  for (let i = 0; i < text.length; i++) {
    const septets = GSM_SEPTETS[text.charCodeAt(i)];
    if (used + septets > PART_GSM_SEPTETS) {
      parts++;
      used = 0;
    }
    used += septets;
  }
  return parts;
}

/**
 * Counts the SMS parts of a text the way operators split it: GSM-7 holds 160 septets in one SMS and
 * 153 per part (`^ { } \ [ ~ ] | €` and form feed take two), anything else makes the whole text
 * UCS-2 with 70 units in one SMS and 67 per part (an emoji takes two). A character is never split
 * across two parts. Its time is linear in the text's length (a few µs a part for texts that need
 * grapheme segmentation).
 *
 * @example
 * countSegments('Привет'); // { encoding: 'UCS-2', segments: 1, units: 6 }
 */
export function countSegments(text: string): SegmentInfo {
  let septets = 0;
  let gsm = true;
  for (let i = 0; i < text.length; i++) {
    const s = GSM_SEPTETS[text.charCodeAt(i)];
    if (s === 0) {
      gsm = false;
      break;
    }
    septets += s;
  }
  // No GSM-7 character joins another into one grapheme (CR LF counts as two): a GSM-7 text needs no
  // grapheme segmentation. A combining mark is not GSM-7, so "e" + U+0301 is UCS-2.
  if (gsm) {
    const segments = septets <= SINGLE_GSM_SEPTETS ? 1 : countGsmParts(text);
    return { encoding: 'GSM-7', segments, units: septets };
  }
  const units = text.length;
  if (units <= SINGLE_UCS2_UNITS) return { encoding: 'UCS-2', segments: 1, units };
  if (isSimpleText(text)) return { encoding: 'UCS-2', segments: Math.ceil(units / PART_UCS2_UNITS), units };
  return { encoding: 'UCS-2', segments: countUcs2Parts(text), units };
}
