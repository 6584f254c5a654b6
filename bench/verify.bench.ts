import { NestFactory } from '@nestjs/core';
import { Redis } from 'ioredis';
import { MemoryProvider, SmsModule, SmsService } from 'nestjs-sms';
import {
  MemoryVerifyStore,
  RedisVerifyStore,
  type SmsVerifyModuleOptions,
  type SmsVerifyStore,
  SmsVerifyModule,
  SmsVerifyService,
} from 'nestjs-sms/verify';
import { type Figure, figure } from './support/report';

/** Settings of the verification runs. */
export interface VerifySettings {
  /** Pairs measured on the memory store (after as many to warm up). */
  memoryPairs: number;
  /** Pairs on the Redis store, `concurrency` at a time. */
  redisPairs: number;
  concurrency: number;
}

/** What the verification runs measured, for results.json. */
export interface VerifyResult {
  memory: { pairs: number; cpuMicrosecondsPerPair: number; wallMicrosecondsPerPair: number };
  redis: { pairs: number; pairsPerSecond: number; concurrency: number } | { skipped: string };
}

const CPU_TARGET_US = 400;
const REDIS_TARGET_PER_SECOND = 500;
const SECRET = 'bench-verify-secret-0123456789abcdef';

/** The `i`-th mobile number, each in a range of its own (no pumping block, no per-number limit). */
function number(i: number): string {
  return `+7916${String(i % 10_000).padStart(4, '0')}${String(Math.floor(i / 10_000) % 1000).padStart(3, '0')}`;
}

async function startApp(store: SmsVerifyStore) {
  const options: SmsVerifyModuleOptions = { secret: SECRET, store, spend: { perDayRub: 1e12 } };
  const app = await NestFactory.createApplicationContext(
    {
      module: class VerifyBenchModule {},
      imports: [
        SmsModule.forRoot({ providers: { dev: { driver: 'memory', outboxLimit: 64 } }, isGlobal: true }),
        SmsVerifyModule.forRoot(options),
      ],
    },
    { logger: ['error', 'warn'] },
  );
  const outbox = app.get(SmsService).driver('dev', MemoryProvider).outbox;
  const verify = app.get(SmsVerifyService);
  /** One start and the check of its code (read from the outbox), which must approve. */
  const pair = async (i: number) => {
    const { id, to } = await verify.start({ to: number(i) });
    const text = [...outbox.messages].reverse().find((m) => m.to === to)!.text;
    const { status } = await verify.check({ id, code: /\d{6}/.exec(text)![0] });
    if (status !== 'approved') throw new Error(`verify: pair ${i} was ${status}`);
  };
  return { pair, close: () => app.close() };
}

/**
 * CPU per `start` + `check` pair on the memory store and the memory provider (number parsing with the
 * full metadata, the code, its HMAC, the store's windows, the send through `SmsService`, the check),
 * one pair at a time; and pairs per second on the Redis store (`REDIS_URL`, default
 * redis://127.0.0.1:6379), `concurrency` at a time.
 */
export async function runVerify(
  settings: VerifySettings,
): Promise<{ figures: Figure[]; result: VerifyResult }> {
  const memory = await startApp(new MemoryVerifyStore());
  let cpuUs: number;
  let wallUs: number;
  try {
    for (let i = 0; i < settings.memoryPairs; i++) await memory.pair(1_000_000 + i);
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < settings.memoryPairs; i++) await memory.pair(i);
    const used = process.cpuUsage(cpu);
    wallUs = ((performance.now() - started) * 1000) / settings.memoryPairs;
    cpuUs = (used.user + used.system) / settings.memoryPairs;
  } finally {
    await memory.close();
  }
  const figures: Figure[] = [
    figure({
      section: 'verify',
      name: 'CPU per start + check pair, memory store',
      value: cpuUs,
      unit: 'µs',
      detail: `${settings.memoryPairs} pairs one at a time, memory provider; wall ${wallUs.toFixed(0)} µs a pair`,
      target: { op: '<=', limit: CPU_TARGET_US },
    }),
  ];
  const result: VerifyResult = {
    memory: { pairs: settings.memoryPairs, cpuMicrosecondsPerPair: cpuUs, wallMicrosecondsPerPair: wallUs },
    redis: { skipped: '' },
  };

  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
  } catch {
    redis.disconnect();
    result.redis = { skipped: `no Redis at ${url}` };
    figures.push(
      figure({
        section: 'verify',
        name: 'start + check pairs per second, Redis store',
        value: NaN,
        unit: '/s',
        detail: `not measured: no Redis at ${url}`,
      }),
    );
    return { figures, result };
  }
  const prefix = `sms-verify-bench-${process.pid}:`;
  const app = await startApp(new RedisVerifyStore(redis, { prefix }));
  try {
    let next = 0;
    const worker = async () => {
      while (next < settings.redisPairs) await app.pair(2_000_000 + next++);
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: settings.concurrency }, worker));
    const perSecond = settings.redisPairs / ((performance.now() - started) / 1000);
    result.redis = {
      pairs: settings.redisPairs,
      pairsPerSecond: perSecond,
      concurrency: settings.concurrency,
    };
    figures.push(
      figure({
        section: 'verify',
        name: 'start + check pairs per second, Redis store',
        value: perSecond,
        unit: '/s',
        detail: `${settings.redisPairs} pairs, ${settings.concurrency} at a time, one Redis on this machine`,
        target: { op: '>=', limit: REDIS_TARGET_PER_SECOND },
      }),
    );
  } finally {
    await app.close();
    let cursor = '0';
    do {
      const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = nextCursor;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
    redis.disconnect();
  }
  return { figures, result };
}
