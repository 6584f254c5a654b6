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

type TextKind = 'cyrillic' | 'gsm';

/** Settings of the per-message runs. */
export interface PerMessageSettings {
  /** Distinct inputs a kind (each measured once a repeat). */
  messages: number;
  repeats: number;
}

/** A one-part OTP text of each kind, with the code varied so that no two inputs are alike. */
const TEXTS: Record<TextKind, (code: string) => string> = {
  cyrillic: (code) => `Ваш код подтверждения: ${code}. Никому его не сообщайте.`,
  gsm: (code) => `Your confirmation code is ${code}. Do not share it with anyone.`,
};

/**
 * What `SmsService.send` does to a message before any I/O, on its own: `normalizeSend` (phone parsing
 * and validation with libphonenumber-js, text validation, segment counting, option checks). Every input is distinct (number in one of five written forms, code in
 * the text): a cache of repeated inputs could not help. After a warm-up on other numbers.
 */
export function runPerMessage(settings: PerMessageSettings): { figures: Figure[]; result: PerMessageResult } {
  const context = { defaultCountry: 'RU' as const, limits: DEFAULT_PROVIDER_LIMITS };
  const inputs = (kind: TextKind, seed: number) =>
    phones(settings.messages, seed).map((phone, i) => ({
      to: phone.written,
      text: TEXTS[kind](String(100_000 + ((i * 7919) % 900_000))),
    }));

  for (const kind of ['cyrillic', 'gsm'] as const) {
    for (const input of inputs(kind, 99)) normalizeSend(input, context);
  }
  const samples: Record<TextKind, number[]> = { cyrillic: [], gsm: [] };
  for (let repeat = 0; repeat < settings.repeats; repeat++) {
    for (const kind of ['cyrillic', 'gsm'] as const) {
      const list = inputs(kind, 1 + repeat);
      let sink = 0;
      const started = performance.now();
      for (const input of list) sink += normalizeSend(input, context).messages[0].segments.segments;
      const elapsed = performance.now() - started;
      if (sink !== list.length) throw new Error(`per-message: ${kind} texts should each take one part`);
      samples[kind].push((elapsed * 1000) / list.length);
    }
  }
  const microseconds = { cyrillic: median(samples.cyrillic), gsm: median(samples.gsm) };
  const figures = (['cyrillic', 'gsm'] as const).map((kind) =>
    figure({
      section: 'per-message',
      name: `normalizeSend, ${kind === 'gsm' ? 'GSM-7' : 'Cyrillic (UCS-2)'} text`,
      value: microseconds[kind],
      unit: 'µs',
      detail: `phone parse + validation + segments; median of ${settings.repeats} × ${settings.messages.toLocaleString('en-US')} distinct inputs`,
      target: { op: '<=', limit: 20 },
    }),
  );
  return {
    figures,
    result: { messages: settings.messages, repeats: settings.repeats, microseconds, samples },
  };
}
