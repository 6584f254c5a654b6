import { type FakeSmsRu } from './support/fake-smsru.client';
import { phones } from './support/numbers';
import { type Figure, figure } from './support/report';
import { BENCH_API_ID, startSms } from './support/sms-app';
import { closedLoop } from './support/stats';

/** Heap and RSS at one point of the run, after a full garbage collection. */
export interface MemoryPoint {
  label: string;
  sends: number;
  heapUsedMb: number;
  rssMb: number;
}

/** What the memory runs measured, for results.json. */
export interface MemoryResult {
  points: MemoryPoint[];
  memory: { sends: number; heapGrowthMb: number; rssGrowthMb: number };
  smsru: { sends: number; heapGrowthMb: number; rssGrowthMb: number };
}

/** Settings of the memory runs. */
export interface MemorySettings {
  warmUpMemorySends: number;
  warmUpSmsRuSends: number;
  memorySends: number;
  smsRuSends: number;
  /** Points measured during each phase. */
  checkpoints: number;
  concurrency: number;
}

const MB = 1024 * 1024;
const TEXT = 'Ваш код подтверждения: 4821. Никому его не сообщайте.';
const GROWTH_TARGET_MB = 20;

/**
 * Heap and RSS before and after many sends, each point after a full GC: sends through the memory
 * provider, then through the SMS.ru driver to the fake. Every other send carries a new idempotency
 * key, so the idempotency store fills to its bound (10 000 keys) and then turns over; the memory
 * outbox is bounded too (1 000). The warm-up fills both before the first point, so what grows after
 * it is what a long-running application would keep.
 */
export async function runMemory(
  fake: FakeSmsRu,
  settings: MemorySettings,
): Promise<{ figures: Figure[]; result: MemoryResult }> {
  const collect = global.gc;
  if (!collect) throw new Error('memory: run node with --expose-gc');
  const app = await startSms({
    providers: {
      mem: { driver: 'memory' },
      smsru: { driver: 'smsru', apiId: BENCH_API_ID, baseUrl: fake.url },
    },
    defaultProvider: 'mem',
  });
  const numbers = phones(20_000, 7).map((p) => p.written);
  let sent = 0;
  const send = async (provider: 'mem' | 'smsru', count: number) => {
    const first = sent;
    sent += count;
    await closedLoop(
      async (i) => {
        const n = first + i;
        const result = await app.sms.send({
          to: numbers[n % numbers.length],
          text: TEXT,
          provider,
          ...(n % 2 === 0 && { idempotencyKey: `bench:${n}` }),
        });
        if (!result.messages[0]?.accepted) throw new Error(`memory: a ${provider} send was not accepted`);
      },
      count,
      settings.concurrency,
    );
  };
  const points: MemoryPoint[] = [];
  const measure = async (label: string, sends: number) => {
    // Two full collections with a turn of the event loop between them: finalizers and weak
    // references let go of what the first one found dead.
    collect();
    await new Promise((resolve) => setImmediate(resolve));
    collect();
    const { heapUsed, rss } = process.memoryUsage();
    points.push({ label, sends, heapUsedMb: heapUsed / MB, rssMb: rss / MB });
  };

  try {
    await send('mem', settings.warmUpMemorySends);
    await send('smsru', settings.warmUpSmsRuSends);
    await measure('after warm-up', 0);
    const phase = async (provider: 'mem' | 'smsru', total: number) => {
      const step = Math.ceil(total / settings.checkpoints);
      for (let done = 0; done < total; done += step) {
        await send(provider, Math.min(step, total - done));
        await measure(`${provider} ${Math.min(done + step, total)}`, Math.min(done + step, total));
      }
    };
    const start = points.length - 1;
    await phase('mem', settings.memorySends);
    const afterMemory = points.length - 1;
    await phase('smsru', settings.smsRuSends);
    const growth = (from: number, to: number) => ({
      heapGrowthMb: points[to].heapUsedMb - points[from].heapUsedMb,
      rssGrowthMb: points[to].rssMb - points[from].rssMb,
    });
    const result: MemoryResult = {
      points,
      memory: { sends: settings.memorySends, ...growth(start, afterMemory) },
      // Measured from the warm-up (which sent through both providers), not from the end of the
      // memory phase: RSS moves with what the allocator hands back, and a phase that happened to
      // return pages would make the next one look like growth.
      smsru: { sends: settings.smsRuSends, ...growth(start, points.length - 1) },
    };
    return { figures: memoryFigures(result, settings), result };
  } finally {
    await app.close();
  }
}

function memoryFigures(result: MemoryResult, settings: MemorySettings): Figure[] {
  const series = (prefix: string, of: 'heapUsedMb' | 'rssMb' = 'heapUsedMb') =>
    result.points
      .filter((p) => p.label.startsWith(prefix))
      .map((p) => p[of].toFixed(of === 'rssMb' ? 0 : 1))
      .join(' → ');
  const base = result.points[0];
  const n = (count: number) => count.toLocaleString('en-US');
  const rows: Array<[string, number, string]> = [
    [
      `heap growth, ${n(settings.memorySends)} memory-provider sends`,
      result.memory.heapGrowthMb,
      `heap ${base.heapUsedMb.toFixed(1)} → ${series('mem')} MB`,
    ],
    [
      `RSS growth, ${n(settings.memorySends)} memory-provider sends`,
      result.memory.rssGrowthMb,
      `RSS ${base.rssMb.toFixed(0)} → ${series('mem', 'rssMb')} MB`,
    ],
    [
      `heap growth after warm-up, through ${n(settings.smsRuSends)} more SMS.ru sends`,
      result.smsru.heapGrowthMb,
      `heap → ${series('smsru')} MB`,
    ],
    [
      `RSS growth after warm-up, through ${n(settings.smsRuSends)} more SMS.ru sends`,
      result.smsru.rssGrowthMb,
      `RSS → ${series('smsru', 'rssMb')} MB`,
    ],
  ];
  // Judged by the heap after a full GC (what the library holds); RSS also moves with what the
  // allocator keeps or hands back, so it is shown for information.
  return rows.map(([name, value, detail]) =>
    figure({
      section: 'memory',
      name,
      value,
      unit: 'MB',
      detail: name.startsWith('RSS') ? `${detail} (information)` : detail,
      ...(name.startsWith('heap') && { target: { op: '<=', limit: GROWTH_TARGET_MB } }),
    }),
  );
}
