import { SegmentedMessage } from 'sms-segments-calculator';
import { countSegments, maxTextLength } from './segments';

/** Deterministic 32-bit generator (mulberry32), so a failure names a text that can be replayed. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)];
  return { next, int, pick };
}

const GSM_BASIC = [
  ...'@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡',
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà\n',
];
const GSM_EXTENSION = [...'^{}\\[~]|€\f'];
const CYRILLIC = [...'абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ№«»—'];
/** Emoji whose grapheme boundaries Unicode has not changed since the oracle's splitter was written. */
const EMOJI = [
  '😀',
  '👍',
  '👍🏽',
  '❤️',
  '✨',
  '☺',
  '🔥',
  '🇷🇺',
  '🇺🇸',
  '🇩🇪',
  '👨‍👩‍👧‍👦',
  '👩‍❤️‍💋‍👨',
  '🧑‍💻',
  '👩‍🚀',
  '🏳️‍🌈',
  '🤷‍♀️',
  '👨🏻‍⚕️',
  '1️⃣',
];

type Kind = 'gsm' | 'extension' | 'cyrillic' | 'emoji' | 'mixed' | 'crlf';
const KINDS: Kind[] = ['gsm', 'extension', 'cyrillic', 'emoji', 'mixed', 'crlf'];

/** Lengths near the part boundaries of both encodings, and some anywhere up to ten parts. */
const TARGET_LENGTHS = [
  1, 5, 66, 67, 68, 69, 70, 71, 72, 133, 134, 135, 136, 152, 153, 154, 159, 160, 161, 162,
];

function generate(kind: Kind, rnd: ReturnType<typeof generator>): string {
  const length = rnd.next() < 0.6 ? rnd.pick(TARGET_LENGTHS) + rnd.int(3) - 1 : 1 + rnd.int(700);
  let text = '';
  while (text.length < length) {
    const r = rnd.next();
    switch (kind) {
      case 'gsm':
        text += rnd.pick(GSM_BASIC);
        break;
      case 'extension':
        text += r < 0.3 ? rnd.pick(GSM_EXTENSION) : rnd.pick(GSM_BASIC);
        break;
      case 'cyrillic':
        text += r < 0.85 ? rnd.pick(CYRILLIC) : rnd.pick([' ', ',', '.', '!', '1', '\n']);
        break;
      case 'emoji':
        text += r < 0.25 ? rnd.pick(EMOJI) : rnd.pick(r < 0.6 ? CYRILLIC : GSM_BASIC);
        break;
      case 'mixed':
        text +=
          r < 0.5
            ? rnd.pick(GSM_BASIC)
            : r < 0.7
              ? rnd.pick(GSM_EXTENSION)
              : r < 0.9
                ? rnd.pick(CYRILLIC)
                : rnd.pick(EMOJI);
        break;
      case 'crlf':
        text += r < 0.1 ? '\r\n' : r < 0.15 ? '\r' : rnd.pick(r < 0.9 ? GSM_BASIC : GSM_EXTENSION);
        break;
    }
  }
  return text;
}

function oracle(text: string) {
  const message = new SegmentedMessage(text);
  return { encoding: message.encodingName, segments: message.segmentsCount };
}

function ours(text: string) {
  const { encoding, segments } = countSegments(text);
  return { encoding, segments };
}

describe('countSegments', () => {
  describe('equals sms-segments-calculator', () => {
    const rnd = generator(20_240_601);
    const corpus = Array.from({ length: 300 }, (_, i) => ({ kind: KINDS[i % KINDS.length], text: '' }));
    for (const entry of corpus) entry.text = generate(entry.kind, rnd);

    it('on 300 generated texts of every kind', () => {
      const mismatches = corpus
        .map(({ kind, text }) => ({ kind, text, expected: oracle(text), actual: ours(text) }))
        .filter(
          (c) => c.expected.segments !== c.actual.segments || c.expected.encoding !== c.actual.encoding,
        );
      expect(mismatches).toEqual([]);
    });

    it('with a corpus that covers every kind, both encodings and multipart texts', () => {
      const kinds = new Set(corpus.map((c) => c.kind));
      expect([...kinds].sort()).toEqual([...KINDS].sort());
      const expected = corpus.map((c) => oracle(c.text));
      expect(expected.filter((e) => e.encoding === 'GSM-7').length).toBeGreaterThan(50);
      expect(expected.filter((e) => e.encoding === 'UCS-2').length).toBeGreaterThan(50);
      expect(expected.filter((e) => e.segments === 1).length).toBeGreaterThan(30);
      expect(expected.filter((e) => e.segments >= 3).length).toBeGreaterThan(30);
      expect(corpus.some((c) => c.text.includes('\r\n'))).toBe(true);
      expect(corpus.some((c) => c.text.includes('\u200d'))).toBe(true);
    });

    it.each([
      ['GSM 160', 'a'.repeat(160), 'GSM-7', 1],
      ['GSM 161', 'a'.repeat(161), 'GSM-7', 2],
      ['GSM 306', 'a'.repeat(306), 'GSM-7', 2],
      ['GSM 307', 'a'.repeat(307), 'GSM-7', 3],
      ['GSM 459', 'a'.repeat(459), 'GSM-7', 3],
      ['GSM 460', 'a'.repeat(460), 'GSM-7', 4],
      ['UCS-2 70', 'я'.repeat(70), 'UCS-2', 1],
      ['UCS-2 71', 'я'.repeat(71), 'UCS-2', 2],
      ['UCS-2 134', 'я'.repeat(134), 'UCS-2', 2],
      ['UCS-2 135', 'я'.repeat(135), 'UCS-2', 3],
      ['UCS-2 201', 'я'.repeat(201), 'UCS-2', 3],
      ['UCS-2 202', 'я'.repeat(202), 'UCS-2', 4],
      ['extension 80 (160 septets)', '€'.repeat(80), 'GSM-7', 1],
      ['extension 80 + 1', '€'.repeat(80) + 'a', 'GSM-7', 2],
      ['extension straddling septet 153', 'a'.repeat(152) + '{' + 'a'.repeat(152), 'GSM-7', 3],
      ['extension ending at septet 153', 'a'.repeat(151) + '{' + 'a'.repeat(152), 'GSM-7', 2],
      ['extension straddling septet 306', 'a'.repeat(305) + '[', 'GSM-7', 3],
      ['extension ending at septet 306', 'a'.repeat(304) + '[', 'GSM-7', 2],
      ['form feed straddling septet 153', 'a'.repeat(152) + '\f' + 'a'.repeat(152), 'GSM-7', 3],
      ['emoji straddling unit 67', 'я'.repeat(66) + '😀' + 'я'.repeat(67), 'UCS-2', 3],
      ['emoji ending at unit 67', 'я'.repeat(65) + '😀' + 'я'.repeat(67), 'UCS-2', 2],
      ['emoji 35 (70 units)', '😀'.repeat(35), 'UCS-2', 1],
      ['emoji 35 + 1 unit', '😀'.repeat(35) + 'я', 'UCS-2', 2],
      ['ZWJ family straddling unit 67', 'я'.repeat(60) + '👨‍👩‍👧‍👦' + 'я'.repeat(60), 'UCS-2', 3],
      ['flag straddling unit 67', 'я'.repeat(66) + '🇷🇺' + 'я'.repeat(64), 'UCS-2', 3],
      ['CRLF at septet 160', 'a'.repeat(158) + '\r\n', 'GSM-7', 1],
      ['CRLF at septet 161', 'a'.repeat(159) + '\r\n', 'GSM-7', 2],
      ['CRLF straddling unit 67', 'я'.repeat(66) + '\r\n' + 'я'.repeat(64) + '😀', 'UCS-2', 2],
      ['one Cyrillic letter makes it UCS-2', 'a'.repeat(69) + 'я', 'UCS-2', 1],
      ['Greek capitals stay GSM-7', 'ΔΦΓΛΩΠΨΣΘΞ'.repeat(16), 'GSM-7', 1],
      ['empty text', '', 'GSM-7', 1],
    ])('%s', (_name, text, encoding, segments) => {
      expect(oracle(text)).toEqual({ encoding, segments });
      expect(ours(text)).toEqual({ encoding, segments });
    });
  });

  it('reports units: septets for GSM-7 (extension characters twice), code units for UCS-2', () => {
    expect(countSegments('Hello')).toEqual({ encoding: 'GSM-7', segments: 1, units: 5 });
    expect(countSegments('a€{}')).toEqual({ encoding: 'GSM-7', segments: 1, units: 7 });
    expect(countSegments('Привет')).toEqual({ encoding: 'UCS-2', segments: 1, units: 6 });
    expect(countSegments('Hi 😀')).toEqual({ encoding: 'UCS-2', segments: 1, units: 5 });
  });

  it('never splits an emoji sequence across two parts, whatever its age in Unicode', () => {
    // 64 letters, then a 5-unit sequence that does not fit in the 67 of the first part.
    const text = 'я'.repeat(64) + '🐻‍❄️' + 'я'.repeat(130);
    expect(countSegments(text)).toEqual({ encoding: 'UCS-2', segments: 4, units: 199 });
  });

  it('never splits a grapheme longer than a part: it takes a part of its own', () => {
    const mark = '\u0301';
    expect(countSegments('a' + mark.repeat(99))).toEqual({ encoding: 'UCS-2', segments: 2, units: 100 });
    expect(countSegments('я'.repeat(10) + 'a' + mark.repeat(99) + 'я')).toEqual({
      encoding: 'UCS-2',
      segments: 3,
      units: 111,
    });
  });

  it('counts texts far beyond any provider bound exactly', () => {
    expect(countSegments('a\u0301'.repeat(50_000))).toEqual({
      encoding: 'UCS-2',
      segments: Math.ceil(50_000 / 33),
      units: 100_000,
    });
    expect(countSegments('\u0301'.repeat(100_000))).toEqual({
      encoding: 'UCS-2',
      segments: 2,
      units: 100_000,
    });
    expect(countSegments('a'.repeat(1_000_000))).toEqual({
      encoding: 'GSM-7',
      segments: Math.ceil(1_000_000 / 153),
      units: 1_000_000,
    });
  });
});

/** Graphemes of the whole text at once, CR LF as two, packed greedily: the plain way to count. */
function reference(text: string) {
  const gsm = new Set([...GSM_BASIC, '\r']);
  const extension = new Set(GSM_EXTENSION);
  const lengths: number[] = [];
  for (const { segment } of new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text)) {
    if (segment === '\r\n') lengths.push(1, 1);
    else lengths.push(segment.length);
  }
  const isGsm = [...text].every((ch) => gsm.has(ch) || extension.has(ch)) && lengths.every((l) => l === 1);
  const sizes = isGsm ? [...text].map((ch) => (extension.has(ch) ? 2 : 1)) : lengths;
  const [single, part] = isGsm ? [160, 153] : [70, 67];
  const units = sizes.reduce((a, b) => a + b, 0);
  let segments = 1;
  if (units > single) {
    let used = 0;
    for (const size of sizes) {
      if (used + size > part) {
        segments++;
        used = 0;
      }
      used += size;
    }
  }
  return { encoding: isGsm ? 'GSM-7' : 'UCS-2', segments, units };
}

/** Pieces that make graphemes of every kind: marks, joiners, flags, Hangul, Indic conjuncts, prepends. */
const COMPLEX = [
  'a',
  'я',
  'е',
  '中',
  'ก',
  'ำ',
  '\u0301',
  '\u0308',
  '\u20dd',
  '\u0489',
  '\u200d',
  '\u200c',
  '\ufe0f',
  '\ufe0e',
  '🏽',
  '🇷',
  '🇺',
  '🇸',
  'ᄀ',
  'ᅡ',
  'ᆨ',
  '가',
  '각',
  'क',
  '्',
  'ष',
  'ि',
  'ं',
  '\u0600',
  '\u06dd',
  '\u0d4e',
  '\r',
  '\n',
  '\r\n',
  '\t',
  '\ud83d',
  '\ude00',
  ...EMOJI,
];

describe('countSegments on texts that need grapheme segmentation', () => {
  it('equals counting graphemes over the whole text, on 1 000 generated texts', () => {
    const rnd = generator(20_250_601);
    const texts = Array.from({ length: 1000 }, () => {
      const length = 60 + rnd.int(740);
      let text = '';
      while (text.length < length) {
        const r = rnd.next();
        if (r < 0.02) text += 'a' + '\u0301'.repeat(40 + rnd.int(120));
        else if (r < 0.05) text += '🇷🇺'.repeat(1 + rnd.int(40)) + (rnd.next() < 0.5 ? '🇸' : '');
        else if (r < 0.5) text += rnd.pick(COMPLEX);
        else text += rnd.pick(r < 0.75 ? CYRILLIC : GSM_BASIC);
      }
      return text;
    });
    const mismatches = texts
      .map((text) => ({ text, expected: reference(text), actual: countSegments(text) }))
      .filter((c) => JSON.stringify(c.expected) !== JSON.stringify(c.actual));
    expect(mismatches).toEqual([]);
    expect(texts.filter((t) => reference(t).segments >= 5).length).toBeGreaterThan(300);
  });

  it('needs no segmentation for GSM-7: no two GSM-7 characters make one grapheme but CR LF', () => {
    const chars = [...GSM_BASIC, ...GSM_EXTENSION, '\r'];
    const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
    const joined = chars
      .flatMap((a) => chars.map((b) => a + b))
      .filter((pair) => [...segmenter.segment(pair)].length !== 2);
    expect(joined).toEqual(['\r\n']);
  });
});

describe('maxTextLength', () => {
  it('bounds the length of any text that fits in the parts, and is reached', () => {
    expect([1, 2, 8, 10].map(maxTextLength)).toEqual([160, 306, 1224, 1530]);
    expect(maxTextLength(0)).toBe(0);
    expect(maxTextLength(Number.NaN)).toBe(0);
    for (const parts of [1, 2, 8, 10]) {
      expect(countSegments('a'.repeat(maxTextLength(parts))).segments).toBe(parts);
      expect(countSegments('a'.repeat(maxTextLength(parts) + 1)).segments).toBe(parts + 1);
    }
    const rnd = generator(7);
    for (let i = 0; i < 300; i++) {
      const text = generate(KINDS[i % KINDS.length], rnd);
      const { segments } = countSegments(text);
      expect(text.length).toBeLessThanOrEqual(maxTextLength(segments));
    }
  });
});
