/**
 * `npm run bench`: the performance benchmark of nestjs-sms (see docs/benchmark.md).
 *
 * Runs, in one process against one fake SMS.ru (a child process): per-message cost, overhead against
 * raw axios and node-sms-ru, cold start and the cost of OpenTelemetry (in fresh child processes),
 * bulk against single sends, memory growth, the worst cases of validation and the
 * anti-flood limiter (bounds), and the memory of the in-memory stores at their bounds (stores). Prints every figure with its target and
 * pass/miss and writes bench/results.json. A missed target is reported, not fatal: the process exits
 * 0; a crash exits 1.
 *
 *   npm run bench                          # everything, writes bench/results.json
 *   npm run bench -- --only overhead,bulk  # some sections, prints only (for profiling with --cpu-prof)
 *   npm run bench -- --only bounds,stores
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { runBounds, runStores } from './bounds.bench';
import { runBulk } from './bulk.bench';
import { runColdStart } from './cold-start.bench';
import { runMemory } from './memory.bench';
import { runOverhead } from './overhead.bench';
import { runPerMessage } from './per-message.bench';
import { runVerify } from './verify.bench';
import { FakeSmsRu } from './support/fake-smsru.client';
import { type Figure, renderTable } from './support/report';

const SECTIONS = [
  'per-message',
  'overhead',
  'cold-start',
  'bulk',
  'memory',
  'bounds',
  'stores',
  'verify',
] as const;
type Section = (typeof SECTIONS)[number];

/** What the full run measures; sized to finish in well under 3 minutes on 2 cores. */
const SETTINGS = {
  perMessage: { messages: 20_000, repeats: 5 },
  overhead: { concurrencies: [1, 16, 64], rounds: 25, roundSeconds: 0.25 },
  coldStart: { processes: 5, otelPairs: 21, otelSends: 1000 },
  bulk: { recipients: 10_000, bulkRuns: 5, singleRuns: 2, singleConcurrency: 16 },
  memory: {
    warmUpMemorySends: 30_000,
    warmUpSmsRuSends: 5_000,
    memorySends: 100_000,
    smsRuSends: 20_000,
    checkpoints: 4,
    concurrency: 16,
  },
  bounds: { repeats: 21, antiFlood: { recipients: 2000, runs: 5 } },
  stores: { idempotencyKeys: 10_000, bulkKeys: 400, bulkRecipients: 2000, rateLimitWindows: 100_000 },
  verify: { memoryPairs: 5_000, redisPairs: 5_000, concurrency: 16 },
};

function selectedSections(argv: string[]): Section[] {
  const at = argv.indexOf('--only');
  if (at < 0) return [...SECTIONS];
  const names = (argv[at + 1] ?? '').split(',').filter(Boolean);
  const unknown = names.filter((n) => !SECTIONS.includes(n as Section));
  if (names.length === 0 || unknown.length > 0) {
    throw new Error(`--only takes a comma list of ${SECTIONS.join(', ')}; got "${argv[at + 1] ?? ''}"`);
  }
  return names as Section[];
}

function machine() {
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

async function main(): Promise<void> {
  const sections = selectedSections(process.argv.slice(2));
  if (sections.some((s) => s === 'memory' || s === 'stores') && typeof global.gc !== 'function') {
    throw new Error(
      'the memory and stores sections need a full GC between points: run node with --expose-gc',
    );
  }
  const started = Date.now();
  const host = machine();
  console.log(
    `nestjs-sms benchmark: ${host.cpus} CPU (${host.cpuModel}), Node ${host.node}, load ${host.loadAverageAtStart.join(' ')}`,
  );
  const figures: Figure[] = [];
  const details: Record<string, unknown> = {};
  const fake = await FakeSmsRu.start();
  try {
    for (const section of sections) {
      const sectionStarted = Date.now();
      process.stdout.write(`… ${section}`);
      if (section === 'per-message') {
        const { figures: f, result } = runPerMessage(SETTINGS.perMessage);
        figures.push(...f);
        details.perMessage = result;
      } else if (section === 'overhead') {
        const { figures: f, levels } = await runOverhead(fake, SETTINGS.overhead);
        figures.push(...f);
        details.overhead = levels;
      } else if (section === 'cold-start') {
        const { figures: f, result } = await runColdStart(fake, SETTINGS.coldStart);
        figures.push(...f);
        details.coldStart = result;
      } else if (section === 'bulk') {
        const { figures: f, result } = await runBulk(fake, SETTINGS.bulk);
        figures.push(...f);
        details.bulk = result;
      } else if (section === 'memory') {
        const { figures: f, result } = await runMemory(fake, SETTINGS.memory);
        figures.push(...f);
        details.memory = result;
      } else if (section === 'bounds') {
        const { figures: f, result } = await runBounds(SETTINGS.bounds);
        figures.push(...f);
        details.bounds = result;
      } else if (section === 'stores') {
        const { figures: f, result } = await runStores(SETTINGS.stores);
        figures.push(...f);
        details.stores = result;
      } else {
        const { figures: f, result } = await runVerify(SETTINGS.verify);
        figures.push(...f);
        details.verify = result;
      }
      process.stdout.write(` ${((Date.now() - sectionStarted) / 1000).toFixed(1)} s\n`);
    }
  } finally {
    await fake.close();
  }

  const durationSeconds = Math.round((Date.now() - started) / 100) / 10;
  const targets = figures.filter((f) => f.pass !== undefined);
  const missed = targets.filter((f) => !f.pass);
  console.log(`\n${renderTable(figures)}\n`);
  console.log(
    `${targets.length - missed.length}/${targets.length} targets met in ${durationSeconds} s` +
      (missed.length > 0 ? `; missed: ${missed.map((f) => `${f.section} / ${f.name}`).join('; ')}` : ''),
  );
  if (sections.length < SECTIONS.length) return;
  const results = {
    generatedAt: new Date().toISOString(),
    durationSeconds,
    machine: { ...host, loadAverageAtEnd: loadavg().map((l) => Math.round(l * 100) / 100) },
    settings: SETTINGS,
    allTargetsMet: missed.length === 0,
    figures,
    details,
  };
  const file = join(__dirname, 'results.json');
  // Formatted as the repository's Prettier settings want it, so that `npm run lint` passes.
  const options = { ...(await resolveConfig(file)), filepath: file };
  writeFileSync(file, await format(JSON.stringify(results), options));
  console.log(`written to ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
