import { Agent } from 'node:http';
import axios, { type AxiosInstance } from 'axios';
import { type SmsService } from 'nestjs-sms';
import { SMSRu } from 'node-sms-ru';
import { type FakeSmsRu } from './support/fake-smsru.client';
import { OVERHEAD_NUMBER } from './support/fake-smsru.protocol';
import { type Figure, figure } from './support/report';
import { BENCH_API_ID, startSms } from './support/sms-app';
import { type LoopResult, closedLoop, median, pooled, quantile } from './support/stats';

/** One side of a comparison: throughput and latency over its measured rounds. */
export interface SideFigures {
  throughput: number;
  p50Ms: number;
  p99Ms: number;
  /** Client CPU (user + system) a message, µs: the median over the rounds. */
  cpuMicros: number;
}

/** Median over the rounds of library / a baseline, each ratio taken within one round. */
export interface RoundRatios {
  throughput: number;
  cpu: number;
  p99: number;
}

/** What one concurrency level measured, for results.json. */
export interface OverheadLevel {
  concurrency: number;
  maxConcurrency: number;
  rounds: number;
  messagesPerRound: number;
  library: SideFigures;
  /** Plain axios (its defaults), the target's baseline. */
  baseline: SideFigures;
  /** Axios with the library's own settings (no redirects, no proxy lookup): for information. */
  tunedBaseline: SideFigures;
  /** `node-sms-ru` 0.3 (a GET through the default axios instance), the other target's baseline. */
  nodeSmsRu: SideFigures;
  /** Library against each baseline. */
  ratios: Record<Baseline, RoundRatios>;
  /** Library throughput / plain axios throughput, round by round. */
  roundRatios: number[];
}

/** Settings of the overhead runs. */
export interface OverheadSettings {
  concurrencies: number[];
  /** Measured rounds a level (each runs every side once), after one warm-up round. */
  rounds: number;
  /** A round of one side lasts about this long (its size is set from the warm-up's throughput). */
  roundSeconds: number;
}

const TEXT = 'Ваш код подтверждения: 4821. Никому его не сообщайте.';
const WRITTEN_NUMBER = '+7 925 507-06-02';
const FORM_HEADERS = { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' };
/** The throughput targets apply at these concurrency levels; CPU and p99 at `LATENCY_LEVEL`. */
const TARGET_LEVELS = new Set([16, 64]);
const LATENCY_LEVEL = 16;
const THROUGHPUT_TARGET = 1.0;
const CPU_TARGET = 1.05;
const P99_TARGET = 1.1;
const WARM_UP_MESSAGES = 1000;

type Baseline = 'baseline' | 'tunedBaseline' | 'nodeSmsRu';
type Side = 'library' | Baseline;
const SIDES: readonly Side[] = ['library', 'baseline', 'tunedBaseline', 'nodeSmsRu'];
const BASELINE_NAMES: Record<Baseline, string> = {
  baseline: 'plain axios',
  tunedBaseline: 'tuned axios',
  nodeSmsRu: 'node-sms-ru',
};

/**
 * Overhead of `SmsService.send` to one number against raw axios POSTing the same form body (`to`,
 * `msg`, `api_id`, encoded once) through the same kind of keep-alive agent (`maxSockets` = the
 * library's `maxConcurrency`) to the same fake SMS.ru:
 * - `baseline`: plain axios, its defaults (the target is library/baseline ≥ 0.80 at 16 and 64);
 * - `tunedBaseline`: axios with the settings the library gives its own instance (`maxRedirects: 0`,
 *   which skips the follow-redirects wrapper, and `proxy: false`), shown for information.
 * The sides take turns within every round, in an order that rotates, and the ratio is taken per
 * round, so drift on a shared machine hits every side alike.
 */
export async function runOverhead(
  fake: FakeSmsRu,
  settings: OverheadSettings,
): Promise<{ figures: Figure[]; levels: OverheadLevel[] }> {
  const levels: OverheadLevel[] = [];
  for (const concurrency of settings.concurrencies) {
    levels.push(await measureLevel(fake, concurrency, settings));
  }
  return { figures: levels.flatMap(levelFigures), levels };
}

function levelFigures(level: OverheadLevel): Figure[] {
  const c = `c=${level.concurrency}`;
  const bound =
    level.maxConcurrency === 16
      ? 'default maxConcurrency 16'
      : `maxConcurrency raised to ${level.maxConcurrency}`;
  const targeted = TARGET_LEVELS.has(level.concurrency);
  const latencyLevel = level.concurrency === LATENCY_LEVEL;
  const others = (key: keyof SideFigures, digits: number, unit: string) =>
    (['baseline', 'tunedBaseline', 'nodeSmsRu'] as const)
      .map((b) => `${BASELINE_NAMES[b]} ${level[b][key].toFixed(digits)}${unit}`)
      .join(', ');
  return [
    ...(['baseline', 'nodeSmsRu', 'tunedBaseline'] as const).map((b) =>
      figure({
        section: 'overhead',
        name: `${c} throughput, library / ${BASELINE_NAMES[b]}`,
        value: level.ratios[b].throughput,
        unit: '×',
        detail:
          `${Math.round(level.library.throughput)} vs ${Math.round(level[b].throughput)} msg/s` +
          (b === 'tunedBaseline' ? ' (maxRedirects 0, proxy false; information)' : `; ${bound}`),
        ...(targeted && b !== 'tunedBaseline' && { target: { op: '>=', limit: THROUGHPUT_TARGET } }),
      }),
    ),
    figure({
      section: 'overhead',
      name: `${c} p50 latency, library`,
      value: level.library.p50Ms,
      unit: 'ms',
      detail: others('p50Ms', 2, ' ms'),
    }),
    figure({
      section: 'overhead',
      name: `${c} p99 latency, library / plain axios`,
      value: level.ratios.baseline.p99,
      unit: '×',
      detail: `library ${level.library.p99Ms.toFixed(2)} ms; ${others('p99Ms', 2, ' ms')} (median of round ratios)`,
      ...(latencyLevel && { target: { op: '<=', limit: P99_TARGET } }),
    }),
    figure({
      section: 'overhead',
      name: `${c} client CPU a message, library / plain axios`,
      value: level.ratios.baseline.cpu,
      unit: '×',
      detail: `library ${Math.round(level.library.cpuMicros)} µs; ${others('cpuMicros', 0, ' µs')}`,
      ...(latencyLevel && { target: { op: '<=', limit: CPU_TARGET } }),
    }),
  ];
}

async function measureLevel(
  fake: FakeSmsRu,
  concurrency: number,
  settings: OverheadSettings,
): Promise<OverheadLevel> {
  // The library bounds requests in flight per provider (default 16). At 64 the bound is raised to 64,
  // so that the comparison is of overhead, not of a deliberate limit.
  const maxConcurrency = Math.max(16, concurrency);
  const app = await startSms({
    providers: { smsru: { driver: 'smsru', apiId: BENCH_API_ID, baseUrl: fake.url } },
    maxConcurrency,
  });
  const agents = [0, 1].map(
    () => new Agent({ keepAlive: true, maxSockets: maxConcurrency, keepAliveMsecs: 1000 }),
  );
  const plain = axios.create({ baseURL: fake.url, httpAgent: agents[0] });
  const tuned = axios.create({ baseURL: fake.url, httpAgent: agents[1], maxRedirects: 0, proxy: false });
  const body = new URLSearchParams({ to: OVERHEAD_NUMBER, msg: TEXT, api_id: BENCH_API_ID }).toString();
  const smsRu = nodeSmsRuClient(fake.url);
  const round: Record<Side, (messages: number) => Promise<LoopResult>> = {
    library: (messages) => closedLoop(() => librarySend(app.sms), messages, concurrency),
    baseline: (messages) => closedLoop(() => rawSend(plain, body), messages, concurrency),
    tunedBaseline: (messages) => closedLoop(() => rawSend(tuned, body), messages, concurrency),
    nodeSmsRu: (messages) => closedLoop(() => nodeSmsRuSend(smsRu), messages, concurrency),
  };

  try {
    // Two warm-up rounds a side: the first gets the code optimized, the second sizes the rounds.
    let slowest = Infinity;
    for (const side of SIDES) await round[side](WARM_UP_MESSAGES);
    for (const side of SIDES) slowest = Math.min(slowest, (await round[side](WARM_UP_MESSAGES)).throughput);
    const messages = Math.max(200, Math.min(4000, Math.round(slowest * settings.roundSeconds)));
    const runs: Record<Side, LoopResult[]> = { library: [], baseline: [], tunedBaseline: [], nodeSmsRu: [] };
    for (let r = 0; r < settings.rounds; r++) {
      const order = SIDES.map((_, i) => SIDES[(i + r) % SIDES.length]);
      if (r % 2 === 1) order.reverse();
      for (const side of order) runs[side].push(await round[side](messages));
    }
    const against = (b: Baseline): RoundRatios => ({
      throughput: median(runs.library.map((run, i) => run.throughput / runs[b][i].throughput)),
      cpu: median(runs.library.map((run, i) => run.cpuMs / runs[b][i].cpuMs)),
      p99: median(
        runs.library.map(
          (run, i) => quantile(run.latenciesMs, 0.99) / quantile(runs[b][i].latenciesMs, 0.99),
        ),
      ),
    });
    return {
      concurrency,
      maxConcurrency,
      rounds: settings.rounds,
      messagesPerRound: messages,
      library: summarize(runs.library, messages),
      baseline: summarize(runs.baseline, messages),
      tunedBaseline: summarize(runs.tunedBaseline, messages),
      nodeSmsRu: summarize(runs.nodeSmsRu, messages),
      ratios: {
        baseline: against('baseline'),
        tunedBaseline: against('tunedBaseline'),
        nodeSmsRu: against('nodeSmsRu'),
      },
      roundRatios: runs.library.map((run, i) => run.throughput / runs.baseline[i].throughput),
    };
  } finally {
    for (const agent of agents) agent.destroy();
    await app.close();
  }
}

async function librarySend(sms: SmsService): Promise<void> {
  const result = await sms.send({ to: WRITTEN_NUMBER, text: TEXT });
  if (!result.messages[0]?.accepted) throw new Error('overhead: the library send was not accepted');
}

async function rawSend(client: AxiosInstance, body: string): Promise<void> {
  const { data } = await client.post<{ sms: Record<string, { status: string }> }>('/sms/send?json=1', body, {
    headers: FORM_HEADERS,
  });
  if (data.sms[OVERHEAD_NUMBER]?.status !== 'OK') throw new Error('overhead: the raw send was not accepted');
}

/**
 * A `node-sms-ru` client sending to the fake. It has no base-URL option: its base URL is the private
 * `_params.baseUrl` its constructor sets to `https://sms.ru/`, read at every request, so that field is
 * set (the least invasive way; its requests still go through the default axios instance and
 * Node's global keep-alive agent, as in an application).
 */
function nodeSmsRuClient(baseUrl: string): SMSRu {
  const client = new SMSRu(BENCH_API_ID);
  (client as unknown as { _params: { baseUrl: string } })._params.baseUrl = `${baseUrl}/`;
  return client;
}

async function nodeSmsRuSend(client: SMSRu): Promise<void> {
  const answer = await client.sendSms({ to: OVERHEAD_NUMBER, msg: TEXT });
  if (answer.sms[OVERHEAD_NUMBER]?.status !== 'OK')
    throw new Error('overhead: the node-sms-ru send was not accepted');
}

function summarize(runs: LoopResult[], messages: number): SideFigures {
  const latencies = pooled(runs);
  return {
    throughput: median(runs.map((r) => r.throughput)),
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    cpuMicros: median(runs.map((r) => (r.cpuMs * 1000) / messages)),
  };
}
