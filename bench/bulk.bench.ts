import { type FakeSmsRu } from './support/fake-smsru.client';
import { phones } from './support/numbers';
import { type Figure, figure } from './support/report';
import { BENCH_API_ID, startSms } from './support/sms-app';
import { closedLoop, median } from './support/stats';

/** What the bulk runs measured, for results.json. */
export interface BulkResult {
  recipients: number;
  bulkRuns: Array<{ wallMs: number; requests: number }>;
  singleRuns: Array<{ wallMs: number; requests: number; concurrency: number }>;
  bulkMs: number;
  singlesMs: number;
  speedup: number;
  requestsPerBulk: number;
}

/** Settings of the bulk runs. */
export interface BulkSettings {
  recipients: number;
  bulkRuns: number;
  singleRuns: number;
  /** Single sends in flight (the library's default `maxConcurrency`). */
  singleConcurrency: number;
}

const TEXT = 'Плановые работы 12 июля с 02:00 до 04:00. Приносим извинения за неудобства.';

/**
 * One text to many numbers in one `SmsService.send` call (the SMS.ru driver packs 100 numbers a
 * request, `chunkConcurrency` 4 at once) against as many single sends through the same library,
 * `singleConcurrency` in flight. Numbers are distinct and written the ways users write them. Bulk and
 * single runs alternate; the figures are medians.
 */
export async function runBulk(
  fake: FakeSmsRu,
  settings: BulkSettings,
): Promise<{ figures: Figure[]; result: BulkResult }> {
  const app = await startSms({
    providers: { smsru: { driver: 'smsru', apiId: BENCH_API_ID, baseUrl: fake.url } },
  });
  const numbers = phones(settings.recipients, 42).map((p) => p.written);
  const requestsDuring = async (work: () => Promise<unknown>) => {
    const before = (await fake.stats()).sendRequests;
    const started = performance.now();
    await work();
    const wallMs = performance.now() - started;
    return { wallMs, requests: (await fake.stats()).sendRequests - before };
  };
  const bulk = () =>
    requestsDuring(async () => {
      const result = await app.sms.send({ to: numbers, text: TEXT });
      const accepted = result.messages.filter((m) => m.accepted).length;
      if (accepted !== numbers.length) throw new Error(`bulk: ${accepted} of ${numbers.length} accepted`);
    });
  const singles = () =>
    requestsDuring(() =>
      closedLoop(
        async (i) => {
          const result = await app.sms.send({ to: numbers[i], text: TEXT });
          if (!result.messages[0]?.accepted) throw new Error('bulk: a single send was not accepted');
        },
        numbers.length,
        settings.singleConcurrency,
      ),
    );

  try {
    await app.sms.send({ to: numbers, text: TEXT });
    await closedLoop((i) => app.sms.send({ to: numbers[i], text: TEXT }), 1000, settings.singleConcurrency);
    const bulkRuns: BulkResult['bulkRuns'] = [];
    const singleRuns: BulkResult['singleRuns'] = [];
    for (let i = 0; i < Math.max(settings.bulkRuns, settings.singleRuns); i++) {
      if (i < settings.bulkRuns) bulkRuns.push(await bulk());
      if (i < settings.singleRuns)
        singleRuns.push({ ...(await singles()), concurrency: settings.singleConcurrency });
    }
    const bulkMs = median(bulkRuns.map((r) => r.wallMs));
    const singlesMs = median(singleRuns.map((r) => r.wallMs));
    const requestsPerBulk = Math.max(...bulkRuns.map((r) => r.requests));
    const speedup = singlesMs / bulkMs;
    const n = settings.recipients.toLocaleString('en-US');
    const figures = [
      figure({
        section: 'bulk',
        name: `one text to ${n} numbers: HTTP requests`,
        value: requestsPerBulk,
        unit: 'req',
        detail: `the most of ${bulkRuns.length} runs`,
        target: { op: '<=', limit: 100 },
      }),
      figure({
        section: 'bulk',
        name: `one text to ${n} numbers: wall time`,
        value: bulkMs,
        unit: 'ms',
        detail: `median of ${bulkRuns.length} runs`,
      }),
      figure({
        section: 'bulk',
        name: `${n} single sends: wall time`,
        value: singlesMs,
        unit: 'ms',
        detail: `median of ${singleRuns.length} runs, ${settings.singleConcurrency} in flight`,
      }),
      figure({
        section: 'bulk',
        name: 'bulk speed-up over single sends',
        value: speedup,
        unit: '×',
        detail: `${Math.round(singlesMs)} ms / ${Math.round(bulkMs)} ms`,
        target: { op: '>=', limit: 20 },
      }),
    ];
    return {
      figures,
      result: {
        recipients: settings.recipients,
        bulkRuns,
        singleRuns,
        bulkMs,
        singlesMs,
        speedup,
        requestsPerBulk,
      },
    };
  } finally {
    await app.close();
  }
}
