import { spawn } from 'node:child_process';
import { compileLibrary } from './support/compiled-library';
import { type FakeSmsRu } from './support/fake-smsru.client';
import { type Figure, figure } from './support/report';
import { BENCH_API_ID } from './support/sms-app';
import { median } from './support/stats';

/** What the cold-start runs measured (each child once), for results.json. */
export interface ColdStartResult {
  processes: number;
  /** ms `require('nestjs-sms')` took after `require('@nestjs/core')`, a child each. */
  requireMs: number[];
  /** ms `require('@nestjs/core')` took on its own, a child each (for information). */
  nestCoreMs: number[];
  /** ms from process start to the first send resolved, a child each. */
  firstSendMs: Record<'memory' | 'smsru', number[]>;
  otel: OtelResult;
}

/** Per-message CPU with `@opentelemetry/api` resolvable and made unresolvable, in one process. */
export interface OtelResult {
  /** µs a message, a round each, in the order run. */
  withApi: number[];
  withoutApi: number[];
  /** Median of with / without, pair by pair. */
  ratio: number;
}

/** Settings of the cold-start runs. */
export interface ColdStartSettings {
  /** Fresh child processes a figure. */
  processes: number;
  /** Interleaved round pairs of the OpenTelemetry row, and the sends of each round (after a warm-up). */
  otelPairs: number;
  otelSends: number;
}

const OTEL_TARGET = 1.03;

/** A child's script: `node -e`, the compiled library's path and its arguments in `process.argv`. */
const REQUIRE_CHILD = `
const started = performance.now();
require('@nestjs/core');
const core = performance.now();
require(process.argv[1]);
const done = performance.now();
process.stdout.write(JSON.stringify({ nestCoreMs: core - started, requireMs: done - core }));
`;

const FIRST_SEND_CHILD = `
const [, library, provider, baseUrl, apiId] = process.argv;
const { NestFactory } = require('@nestjs/core');
const { SmsModule, SmsService } = require(library);
const providers = provider === 'memory'
  ? { main: { driver: 'memory' } }
  : { main: { driver: 'smsru', apiId, baseUrl } };
NestFactory.createApplicationContext(SmsModule.forRoot({ providers }), { logger: ['error', 'warn'] })
  .then(async (app) => {
    const result = await app.get(SmsService).send({ to: '+7 925 507-06-02', text: 'Код 4821' });
    const ms = performance.now();
    if (!result.messages[0]?.accepted) throw new Error('the first send was not accepted');
    process.stdout.write(JSON.stringify({ ms }));
    await app.close();
  })
  .catch((error) => { console.error(error); process.exit(1); });
`;

/**
 * One process, two copies of the compiled library: `with` requires `@opentelemetry/api` as usual (no
 * SDK registered), `without` finds it unresolvable (the resolver throws MODULE_NOT_FOUND for a
 * request from a file of that copy, as where the package is not installed). Both send to the fake in
 * rounds of \`sends\` at c=16 that take turns (the order flips every pair); the ratio of a pair's
 * CPU is taken within the pair, so drift of the machine and of the process hits both sides alike.
 */
const OTEL_CHILD = `
const [, withLibrary, withoutLibrary, baseUrl, apiId, sends, pairs] = process.argv;
const Module = require('node:module');
const { dirname } = require('node:path');
const withoutDir = dirname(withoutLibrary);
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  if (request.startsWith('@opentelemetry/api') && parent && parent.filename && parent.filename.startsWith(withoutDir)) {
    const error = new Error("Cannot find module '" + request + "'");
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  }
  return resolve.call(this, request, parent, ...rest);
};
const { NestFactory } = require('@nestjs/core');
async function boot(library) {
  const { SmsModule, SmsService } = require(library);
  const providers = { main: { driver: 'smsru', apiId, baseUrl } };
  const app = await NestFactory.createApplicationContext(SmsModule.forRoot({ providers }), { logger: ['error', 'warn'] });
  return { app, sms: app.get(SmsService) };
}
async function loop(sms, total) {
  let next = 0;
  const worker = async () => {
    while (next++ < total) {
      const result = await sms.send({ to: '+7 925 507-06-02', text: 'Ваш код подтверждения: 4821.' });
      if (!result.messages[0]?.accepted) throw new Error('a send was not accepted');
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}
async function round(sms) {
  const cpu = process.cpuUsage();
  await loop(sms, Number(sends));
  const { user, system } = process.cpuUsage(cpu);
  return (user + system) / Number(sends);
}
(async () => {
  const sides = { with: await boot(withLibrary), without: await boot(withoutLibrary) };
  const loaded = (library) => require(dirname(library) + '/telemetry/otel.js').otel !== undefined;
  if (!loaded(withLibrary) || loaded(withoutLibrary)) throw new Error('the OpenTelemetry API is not loaded as meant');
  for (let i = 0; i < 3; i++) for (const side of Object.values(sides)) await loop(side.sms, 1000);
  const withApi = [];
  const withoutApi = [];
  for (let p = 0; p < Number(pairs); p++) {
    if (p % 2 === 0) { withApi.push(await round(sides.with.sms)); withoutApi.push(await round(sides.without.sms)); }
    else { withoutApi.push(await round(sides.without.sms)); withApi.push(await round(sides.with.sms)); }
  }
  process.stdout.write(JSON.stringify({ withApi, withoutApi }));
  for (const side of Object.values(sides)) await side.app.close();
})().catch((error) => { console.error(error); process.exit(1); });
`;

/** Runs `node -e script args…` and parses what it prints. */
function child<T>(script: string, args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const execArgs = ['-e', script, ...args];
    const proc = spawn(process.execPath, execArgs, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.on('error', reject);
    proc.on('exit', (code) => {
      if (code !== 0) reject(new Error(`cold-start: a child exited with ${code}`));
      else resolve(JSON.parse(out) as T);
    });
  });
}

/**
 * What loading and starting cost, each in fresh Node processes running the compiled library (plain
 * JavaScript, as installed from npm):
 * - the time `require('nestjs-sms')` adds over `require('@nestjs/core')` alone;
 * - the time from process start to the first send resolved (Nest application context, the module
 *   booted, one send), through the memory driver and through the SMS.ru driver to the fake;
 * - the CPU a message with `@opentelemetry/api` resolvable (no SDK registered: the API's no-op
 *   tracer and meter) against a process where requiring it throws MODULE_NOT_FOUND; the two kinds of
 *   child take turns and the ratio is the median of the pairs.
 */
export async function runColdStart(
  fake: FakeSmsRu,
  settings: ColdStartSettings,
): Promise<{ figures: Figure[]; result: ColdStartResult }> {
  const library = compileLibrary();
  const requires: Array<{ nestCoreMs: number; requireMs: number }> = [];
  const firstSendMs: ColdStartResult['firstSendMs'] = { memory: [], smsru: [] };
  for (let i = 0; i < settings.processes; i++) {
    requires.push(await child(REQUIRE_CHILD, [library]));
    for (const provider of ['memory', 'smsru'] as const) {
      const { ms } = await child<{ ms: number }>(FIRST_SEND_CHILD, [
        library,
        provider,
        fake.url,
        BENCH_API_ID,
      ]);
      firstSendMs[provider].push(ms);
    }
  }
  const { withApi, withoutApi } = await child<{ withApi: number[]; withoutApi: number[] }>(OTEL_CHILD, [
    library,
    compileLibrary('nestjs-sms-without-opentelemetry'),
    fake.url,
    BENCH_API_ID,
    String(settings.otelSends),
    String(settings.otelPairs),
  ]);
  const result: ColdStartResult = {
    processes: settings.processes,
    requireMs: requires.map((r) => r.requireMs),
    nestCoreMs: requires.map((r) => r.nestCoreMs),
    firstSendMs,
    otel: { withApi, withoutApi, ratio: median(withApi.map((w, i) => w / withoutApi[i])) },
  };
  return { figures: coldStartFigures(result, settings), result };
}

function coldStartFigures(result: ColdStartResult, settings: ColdStartSettings): Figure[] {
  const of = `median of ${result.processes} fresh processes`;
  return [
    figure({
      section: 'cold-start',
      name: "require('nestjs-sms') over @nestjs/core alone",
      value: median(result.requireMs),
      unit: 'ms',
      detail: `${of}; @nestjs/core itself ${median(result.nestCoreMs).toFixed(0)} ms`,
    }),
    figure({
      section: 'cold-start',
      name: 'process start → first send resolved, memory driver',
      value: median(result.firstSendMs.memory),
      unit: 'ms',
      detail: `${of}; Nest application context, SmsModule.forRoot, one send`,
    }),
    figure({
      section: 'cold-start',
      name: 'process start → first send resolved, SMS.ru driver',
      value: median(result.firstSendMs.smsru),
      unit: 'ms',
      detail: `${of}; to the fake SMS.ru on 127.0.0.1 (a new connection)`,
    }),
    figure({
      section: 'cold-start',
      name: 'CPU a message, @opentelemetry/api resolvable / unresolvable',
      value: result.otel.ratio,
      unit: '×',
      detail:
        `${median(result.otel.withApi).toFixed(0)} vs ${median(result.otel.withoutApi).toFixed(0)} µs; ` +
        `no SDK registered; one process, two copies of the library; median of ${settings.otelPairs} interleaved pairs of ${settings.otelSends} sends at c=16`,
      target: { op: '<=', limit: OTEL_TARGET },
    }),
  ];
}
