import { DEFAULT_PROVIDER_LIMITS } from 'nestjs-sms/interfaces';
import { normalizeSend } from 'nestjs-sms/message/normalize';
import { phones } from './support/numbers';
import { type Figure, figure } from './support/report';
import { median } from './support/stats';

/** What the per-message runs measured, for results.json. */
export interface PerMessageResult {
  messages: number;
  repeats: number;
  /** Median µs a message over the repeats, by text kind. */
  microseconds: Record<TextKind, number>;
  samples: Record<TextKind, number[]>;
}

type TextKind = 'cyrillic' | 'gsm' | 'landline';
const KINDS: readonly TextKind[] = ['cyrillic', 'gsm', 'landline'];

/** Settings of the per-message runs. */
export interface PerMessageSettings {
  /** Distinct inputs a kind (each measured once a repeat). */
  messages: number;
  repeats: number;
}

const CYRILLIC = (code: string) => `Ваш код подтверждения: ${code}. Никому его не сообщайте.`;
/** A one-part OTP text of each kind, with the code varied so that no two inputs are alike. */
const TEXTS: Record<TextKind, (code: string) => string> = {
  cyrillic: CYRILLIC,
  gsm: (code) => `Your confirmation code is ${code}. Do not share it with anyone.`,
  landline: CYRILLIC,
};
const NAMES: Record<TextKind, string> = {
  cyrillic: 'Cyrillic (UCS-2) text, mobile numbers',
  gsm: 'GSM-7 text, mobile numbers',
  landline: 'Cyrillic text, landline numbers (libphonenumber-js)',
};

/** A Moscow landline (`+7 (495) …`) of the same digits: outside the mobile fast path. */
function landline(digits: string): string {
  return `+7 (495) ${digits.slice(4, 7)}-${digits.slice(7, 9)}-${digits.slice(9)}`;
}

/**
 * What `SmsService.send` does to a message before any I/O, on its own: `normalizeSend` (the number
 * parsed and validated, the text validated and its parts counted, the options checked). Every input
 * is distinct (number in one of five written forms, code in the text), so the cache of numbers read
 * recently cannot help: mobile numbers take the fast path for the usual written form of a Russian
 * mobile, landlines go through libphonenumber-js. CPU time of the process (user + system), not
 * wall time, so that a shared machine's other work is not counted. After a warm-up on other numbers.
 */
export function runPerMessage(settings: PerMessageSettings): { figures: Figure[]; result: PerMessageResult } {
  const context = { defaultCountry: 'RU' as const, limits: DEFAULT_PROVIDER_LIMITS };
  const inputs = (kind: TextKind, seed: number) =>
    phones(settings.messages, seed).map((phone, i) => ({
      to: kind === 'landline' ? landline(phone.digits) : phone.written,
      text: TEXTS[kind](String(100_000 + ((i * 7919) % 900_000))),
    }));

  for (const kind of KINDS) {
    for (const input of inputs(kind, 99)) normalizeSend(input, context);
  }
  const samples: Record<TextKind, number[]> = { cyrillic: [], gsm: [], landline: [] };
  for (let repeat = 0; repeat < settings.repeats; repeat++) {
    for (const kind of KINDS) {
      const list = inputs(kind, 1 + repeat);
      let sink = 0;
      const started = process.cpuUsage();
      for (const input of list) sink += normalizeSend(input, context).messages[0].segments.segments;
      const { user, system } = process.cpuUsage(started);
      if (sink !== list.length) throw new Error(`per-message: ${kind} texts should each take one part`);
      samples[kind].push((user + system) / list.length);
    }
  }
  const microseconds = {
    cyrillic: median(samples.cyrillic),
    gsm: median(samples.gsm),
    landline: median(samples.landline),
  };
  const figures = KINDS.map((kind) =>
    figure({
      section: 'per-message',
      name: `normalizeSend, ${NAMES[kind]}`,
      value: microseconds[kind],
      unit: 'µs',
      detail: `CPU: phone parse + validation + segments; median of ${settings.repeats} × ${settings.messages.toLocaleString('en-US')} distinct inputs`,
      target: { op: '<=', limit: 20 },
    }),
  );
  return {
    figures,
    result: { messages: settings.messages, repeats: settings.repeats, microseconds, samples },
  };
}
