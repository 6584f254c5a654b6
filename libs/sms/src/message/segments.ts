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

/** 140 octets of user data; a multipart segment gives 6 of them to its header. */
const SEGMENT_BITS = 1120;
const MULTIPART_SEGMENT_BITS = SEGMENT_BITS - 48;

let segmenter: Intl.Segmenter | undefined;

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

/** Graphemes as the SMS encoders see them: user-perceived characters, with CR LF as two. */
function graphemeLengths(text: string): number[] {
  segmenter ??= new Intl.Segmenter('en', { granularity: 'grapheme' });
  const lengths: number[] = [];
  for (const { segment } of segmenter.segment(text)) {
    if (segment === '\r\n') lengths.push(1, 1);
    else lengths.push(segment.length);
  }
  return lengths;
}

/** Packs characters of the given sizes (in bits) greedily, never splitting one across parts. */
function countParts(sizes: ArrayLike<number>, totalBits: number): number {
  if (totalBits <= SEGMENT_BITS) return 1;
  let parts = 1;
  let used = 0;
  for (let i = 0; i < sizes.length; i++) {
    if (used + sizes[i] > MULTIPART_SEGMENT_BITS) {
      parts++;
      used = 0;
    }
    used += sizes[i];
  }
  return parts;
}

/**
 * Counts the SMS parts of a text the way operators split it: GSM-7 holds 160 septets in one SMS and
 * 153 per part (`^ { } \ [ ~ ] | €` and form feed take two), anything else makes the whole text
 * UCS-2 with 70 units in one SMS and 67 per part (an emoji takes two). A character is never split
 * across two parts.
 *
 * @example
 * countSegments('Привет'); // { encoding: 'UCS-2', segments: 1, units: 6 }
 */
export function countSegments(text: string): SegmentInfo {
  const simple = isSimpleText(text);
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
  // A GSM-7 character combined with a mark is one grapheme of two units: not GSM-7 any more.
  if (gsm && !simple) gsm = graphemeLengths(text).every((len) => len === 1);

  if (gsm) {
    if (septets * 7 <= SEGMENT_BITS) return { encoding: 'GSM-7', segments: 1, units: septets };
    const sizes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) sizes[i] = GSM_SEPTETS[text.charCodeAt(i)] * 7;
    return { encoding: 'GSM-7', segments: countParts(sizes, septets * 7), units: septets };
  }
  if (simple) {
    const units = text.length;
    if (units * 16 <= SEGMENT_BITS) return { encoding: 'UCS-2', segments: 1, units };
    return { encoding: 'UCS-2', segments: Math.ceil((units * 16) / MULTIPART_SEGMENT_BITS), units };
  }
  const sizes = graphemeLengths(text).map((len) => len * 16);
  return { encoding: 'UCS-2', segments: countParts(sizes, text.length * 16), units: text.length };
}
