import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { type SendResult } from 'nestjs-sms';
import { SendSmsDto } from 'nestjs-sms/dto';
import { recordOf } from 'nestjs-sms/guard/idempotency';
import { MemoryIdempotencyStore } from 'nestjs-sms/guard/memory-idempotency.store';
import { MemoryRateLimitStore } from 'nestjs-sms/guard/memory-rate-limit.store';
import { DEFAULT_PROVIDER_LIMITS, type SmsProviderLimits } from 'nestjs-sms/interfaces';
import { normalizeBatch, normalizeSend } from 'nestjs-sms/message/normalize';
import { phones } from './support/numbers';
import { type Figure, figure } from './support/report';
import { startSms } from './support/sms-app';
import { median } from './support/stats';

/** Settings of the bounds and stores sections. */
export interface BoundsSettings {
  /** Timed calls a validation case (the median is reported). */
  repeats: number;
  /** Recipients of each anti-flood send, timed runs after one warm-up. */
  antiFlood: { recipients: number; runs: number };
}

export interface StoresSettings {
  idempotencyKeys: number;
  bulkKeys: number;
  bulkRecipients: number;
  rateLimitWindows: number;
}

const MB = 1024 * 1024;
const HOUR = 3_600_000;
const VALIDATION_TARGET_MS = 5;
const SMS_RU: SmsProviderLimits = { ...DEFAULT_PROVIDER_LIMITS, maxParts: 8 };

/** Runs `call` (which must throw or return as the case says) and gives the median ms of `repeats`. */
async function timed(repeats: number, call: () => unknown): Promise<number> {
  for (let i = 0; i < 3; i++) await call();
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    await call();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

/** `normalizeSend` that must end in a `VALIDATION` error on `field`. */
function refused(field: string, input: object, limits = SMS_RU) {
  return () => {
    try {
      normalizeSend(input as never, { defaultCountry: 'RU', limits });
    } catch (e) {
      const details = (e as { details?: Array<{ field: string }> }).details;
      if (details?.[0]?.field.startsWith(field)) return;
      throw e;
    }
    throw new Error(`bounds: the input should have been refused on ${field}`);
  };
}

/**
 * The worst inputs validation can be given, each timed as `SmsService.send` (or the DTO) meets it:
 * hostile texts, huge and nested recipient lists, and the largest valid inputs for comparison; then a
 * 2 000-recipient send through the anti-flood limiter with its store nearly full.
 */
export async function runBounds(settings: BoundsSettings): Promise<{ figures: Figure[]; result: object }> {
  const numbers = phones(10_000, 11).map((p) => p.written);
  let deep: unknown = '89255070602';
  for (let i = 0; i < 10_000; i++) deep = [deep];
  const hostile100k = 'a\u0301'.repeat(33_000);
  const cases: Array<{ name: string; detail: string; target?: number; call: () => unknown }> = [
    {
      name: 'validate 100 KB of "a" + combining mark (33,000 pairs)',
      detail: 'normalizeSend, SMS.ru limits: refused by its length before any segmentation',
      target: VALIDATION_TARGET_MS,
      call: refused('text', { to: numbers[0], text: hostile100k }),
    },
    {
      name: 'validate a 1 MB text',
      detail: 'normalizeSend: refused by its length',
      target: VALIDATION_TARGET_MS,
      call: refused('text', { to: numbers[0], text: 'x'.repeat(MB) }),
    },
    {
      name: 'validate the longest hostile text within the bound (1,224 units)',
      detail: '"a" + mark × 612, counted exactly (19 parts) and refused',
      target: VALIDATION_TARGET_MS,
      call: refused('text', { to: numbers[0], text: 'a\u0301'.repeat(612) }),
    },
    {
      name: 'validate 100,000 recipients',
      detail: 'normalizeSend: refused by the count',
      target: VALIDATION_TARGET_MS,
      call: refused('to', { to: Array(100_000).fill(numbers[0]), text: 'Hi' }),
    },
    {
      name: 'validate 10,000 numbers of 64 digits',
      detail: 'normalizeSend: 20 listed, refused before libphonenumber-js (> 18 digits)',
      target: VALIDATION_TARGET_MS,
      call: refused('to', { to: Array(10_000).fill('9'.repeat(64)), text: 'Hi' }),
    },
    {
      name: 'validate 10,000 recipients nested 10,000 deep',
      detail: 'normalizeSend: 20 listed',
      target: VALIDATION_TARGET_MS,
      call: refused('to', { to: Array(10_000).fill(deep), text: 'Hi' }),
    },
    {
      name: 'SendSmsDto: 100 KB hostile text',
      detail: 'plainToInstance + validate: @IsSmsText refuses by the length',
      target: VALIDATION_TARGET_MS,
      call: async () => {
        const errors = await validate(plainToInstance(SendSmsDto, { to: numbers[0], text: hostile100k }));
        if (errors.length !== 1) throw new Error('bounds: the DTO should refuse the text');
      },
    },
    {
      name: 'largest valid send: 10,000 numbers',
      detail: 'normalizeSend: every number parsed by libphonenumber-js (information)',
      call: () => normalizeSend({ to: numbers, text: 'Hi' }, { defaultCountry: 'RU', limits: SMS_RU }),
    },
    {
      name: 'valid batch of 1 MB of grapheme-heavy texts',
      detail: '1,300 items of 264 "a" + mark pairs (8 parts each), numbers parsed (information)',
      call: () =>
        normalizeBatch(
          numbers.slice(0, 1300).map((to) => ({ to, text: 'a\u0301'.repeat(264) })),
          {},
          { defaultCountry: 'RU', limits: SMS_RU },
        ),
    },
  ];
  const figures: Figure[] = [];
  const result: Record<string, number> = {};
  for (const c of cases) {
    const ms = await timed(settings.repeats, c.call);
    result[c.name] = ms;
    figures.push(
      figure({
        section: 'bounds',
        name: c.name,
        value: ms,
        unit: 'ms',
        detail: `${c.detail}; median of ${settings.repeats}`,
        ...(c.target !== undefined && { target: { op: '<=', limit: c.target } }),
      }),
    );
  }
  const { ms, detail } = await antiFloodSend(settings.antiFlood);
  result.antiFloodSendMs = ms;
  figures.push(
    figure({
      section: 'bounds',
      name: `one send to ${settings.antiFlood.recipients.toLocaleString('en-US')} numbers, anti-flood on`,
      value: ms,
      unit: 'ms',
      detail,
      target: { op: '<=', limit: 100 },
    }),
  );
  return { figures, result };
}

/**
 * Sends to many new numbers through `SmsService`, two limits a number, into an anti-flood store filled
 * so that the last send takes it to its bound (100 000 windows).
 */
async function antiFloodSend(settings: BoundsSettings['antiFlood']): Promise<{ ms: number; detail: string }> {
  const capacity = 100_000;
  const windowsBefore = capacity - 2 * settings.recipients * (settings.runs + 1);
  const store = new MemoryRateLimitStore(capacity);
  for (let i = 0; i < windowsBefore; i++) await store.hit(`n:filler-${i}:${HOUR}`, HOUR);
  const app = await startSms({
    providers: { mem: { driver: 'memory', outboxLimit: 10 } },
    antiFlood: {
      perNumber: [
        { max: 1, windowMs: HOUR },
        { max: 10, windowMs: 24 * HOUR },
      ],
      store,
    },
  });
  const all = phones(settings.recipients * (settings.runs + 1), 23).map((p) => p.digits);
  const samples: number[] = [];
  try {
    for (let run = 0; run <= settings.runs; run++) {
      const to = all.slice(run * settings.recipients, (run + 1) * settings.recipients);
      const started = performance.now();
      const sent = await app.sms.send({ to, text: 'Sale! 20% off today' });
      if (run > 0) samples.push(performance.now() - started);
      if (sent.messages.length !== to.length) throw new Error('bounds: the anti-flood send lost recipients');
    }
  } finally {
    await app.close();
  }
  return {
    ms: median(samples),
    detail: `SmsService + memory provider, 2 limits a number, store filled from ${windowsBefore.toLocaleString('en-US')} to its ${capacity.toLocaleString('en-US')} windows; median of ${settings.runs}`,
  };
}

async function heapUsed(): Promise<number> {
  const collect = global.gc!;
  collect();
  await new Promise((resolve) => setImmediate(resolve));
  collect();
  return process.memoryUsage().heapUsed;
}

/** A completed one-text send as the SMS.ru driver reports it. */
function sendResult(key: number, to: string[], text: string): SendResult {
  return {
    provider: 'smsru',
    messages: to.map((phone, i) => ({
      to: phone,
      text,
      accepted: true,
      id: `${String(200_000 + key).padStart(6, '0')}-${String(1_000_000 + i)}`,
      status: 'queued',
      segments: 1,
      price: 1.5,
      provider: 'smsru',
    })),
    cost: 1.5 * to.length,
    balance: 1000 - key,
    attempts: [{ provider: 'smsru', result: 'sent', recipients: to.length, durationMs: 12 }],
  };
}

/**
 * Heap each in-memory store holds at its bounds, after a full GC before and after filling it: the
 * idempotency store with 10 000 keys of one-recipient sends (a distinct number, id and code each) and
 * with more bulk sends than its 64 MiB of records hold, the anti-flood store with 100 000 windows.
 */
export async function runStores(settings: StoresSettings): Promise<{ figures: Figure[]; result: object }> {
  if (!global.gc) throw new Error('stores: run node with --expose-gc');
  const numbers = phones(Math.max(settings.idempotencyKeys, settings.bulkRecipients), 31).map(
    (p) => p.digits,
  );

  const fillIdempotency = async (keys: number, recipients: number) => {
    const before = await heapUsed();
    const store = new MemoryIdempotencyStore(settings.idempotencyKeys);
    for (let k = 0; k < keys; k++) {
      const key = `order:${100_000 + k}:confirmation`;
      // Strings of their own, as parsing every send's numbers makes them.
      const to = (recipients === 1 ? [numbers[k]] : numbers.slice(0, recipients)).map((d) =>
        ` ${d}`.slice(1),
      );
      await store.reserve(key, 86_400_000);
      const text = `Your code ${100_000 + k}. Do not share it with anyone.`;
      await store.settle(key, { state: 'done', record: recordOf(sendResult(k, to, text)) }, 86_400_000);
    }
    return { bytes: (await heapUsed()) - before, kept: store.size };
  };
  const single = await fillIdempotency(settings.idempotencyKeys, 1);
  if (single.kept !== settings.idempotencyKeys) throw new Error('stores: the idempotency store lost keys');
  const bulk = await fillIdempotency(settings.bulkKeys, settings.bulkRecipients);

  const before = await heapUsed();
  const windows = new MemoryRateLimitStore(settings.rateLimitWindows);
  for (let i = 0; i < settings.rateLimitWindows; i++) {
    await windows.hit(`n:7${String(9_000_000_000 + i)}:${HOUR}`, HOUR);
  }
  const rate = (await heapUsed()) - before;
  if (windows.size !== settings.rateLimitWindows)
    throw new Error('stores: the anti-flood store lost windows');

  const n = (count: number) => count.toLocaleString('en-US');
  const bulkRecipients = bulk.kept * settings.bulkRecipients;
  const figures = [
    figure({
      section: 'stores',
      name: `idempotency store full: ${n(settings.idempotencyKeys)} keys of one recipient`,
      value: single.bytes / MB,
      unit: 'MB',
      detail: `${Math.round(single.bytes / settings.idempotencyKeys)} bytes a key (record, text, map entry); heap after GC`,
      target: { op: '<=', limit: 20 },
    }),
    figure({
      section: 'stores',
      name: `idempotency store at its 64 MiB of records: sends to ${n(settings.bulkRecipients)}`,
      value: bulk.bytes / MB,
      unit: 'MB',
      detail: `${n(bulk.kept)} of ${n(settings.bulkKeys)} keys kept, the oldest forgotten; ${Math.round(bulk.bytes / bulkRecipients)} bytes a recipient; heap after GC`,
      target: { op: '<=', limit: 100 },
    }),
    figure({
      section: 'stores',
      name: `anti-flood store full: ${n(settings.rateLimitWindows)} windows`,
      value: rate / MB,
      unit: 'MB',
      detail: `${Math.round(rate / settings.rateLimitWindows)} bytes a window (key, counter, expiry queue); heap after GC`,
      target: { op: '<=', limit: 40 },
    }),
  ];
  return {
    figures,
    result: {
      idempotencyBytesPerKey: single.bytes / settings.idempotencyKeys,
      idempotencyKeysAtByteBound: bulk.kept,
      idempotencyBytesPerRecipient: bulk.bytes / bulkRecipients,
      rateLimitBytesPerWindow: rate / settings.rateLimitWindows,
    },
  };
}
