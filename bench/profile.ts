/**
 * `npm run bench:profile`: where the CPU of `SmsService.send` goes. Sends one number through the
 * SMS.ru driver to the benchmark's fake SMS.ru (a child process) at concurrency 16 under the V8
 * sampling profiler (the inspector `Profiler`), then prints the self time by package and the
 * functions with the most self time.
 *
 *   npm run bench:profile                  # 20 000 sends, c=16
 *   npm run bench:profile -- 50000 64      # sends, concurrency
 */
import { Session } from 'node:inspector/promises';
import { type Profiler } from 'node:inspector';
import { FakeSmsRu } from './support/fake-smsru.client';
import { BENCH_API_ID, startSms } from './support/sms-app';
import { closedLoop } from './support/stats';

const TEXT = 'Ваш код подтверждения: 4821. Никому его не сообщайте.';
const WRITTEN_NUMBER = '+7 925 507-06-02';
const TOP_FUNCTIONS = Number(process.env.PROFILE_TOP ?? 25);

/** The package a profiled function belongs to, from its script URL. */
export function packageOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.includes('/libs/sms/src/')) return 'nestjs-sms';
  if (url.includes('/bench/')) return 'bench';
  return url;
}

interface Row {
  name: string;
  micros: number;
}

function selfTimes(profile: Profiler.Profile): { byPackage: Row[]; byFunction: Row[]; totalMicros: number } {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const perNode = new Map<number, number>();
  for (let i = 0; i < samples.length; i++) {
    perNode.set(samples[i], (perNode.get(samples[i]) ?? 0) + (deltas[i] ?? 0));
  }
  const packages = new Map<string, number>();
  const functions = new Map<string, number>();
  let totalMicros = 0;
  for (const [id, micros] of perNode) {
    const { callFrame } = nodes.get(id)!;
    if (callFrame.functionName === '(idle)') continue;
    totalMicros += micros;
    const pkg = packageOf(callFrame.url, callFrame.functionName);
    packages.set(pkg, (packages.get(pkg) ?? 0) + micros);
    const file = callFrame.url.split('/').pop() ?? '';
    const key = `${callFrame.functionName || '(anonymous)'} ${file}:${callFrame.lineNumber + 1} [${pkg}]`;
    functions.set(key, (functions.get(key) ?? 0) + micros);
  }
  const sorted = (m: Map<string, number>) =>
    [...m].map(([name, micros]) => ({ name, micros })).sort((a, b) => b.micros - a.micros);
  return { byPackage: sorted(packages), byFunction: sorted(functions), totalMicros };
}

async function main(): Promise<void> {
  const [sends = 20_000, concurrency = 16] = process.argv.slice(2).map(Number);
  const fake = await FakeSmsRu.start();
  const app = await startSms({
    providers: { smsru: { driver: 'smsru', apiId: BENCH_API_ID, baseUrl: fake.url } },
    maxConcurrency: Math.max(16, concurrency),
  });
  const send = async () => {
    const result = await app.sms.send({ to: WRITTEN_NUMBER, text: TEXT });
    if (!result.messages[0]?.accepted) throw new Error('profile: a send was not accepted');
  };
  const session = new Session();
  try {
    await closedLoop(send, 3000, concurrency);
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    const run = await closedLoop(send, sends, concurrency);
    const { profile } = await session.post('Profiler.stop');
    const { byPackage, byFunction, totalMicros } = selfTimes(profile);
    const perMessage = (micros: number) => (micros / sends).toFixed(1).padStart(7);
    const share = (micros: number) => `${((micros / totalMicros) * 100).toFixed(1).padStart(5)} %`;
    console.log(
      `${sends} sends at c=${concurrency}: ${Math.round(run.throughput)} msg/s, ` +
        `${((run.cpuMs * 1000) / sends).toFixed(0)} µs CPU a message (profiled, so slower)\n`,
    );
    console.log('self time by package (µs a message, share of the busy time)');
    for (const row of byPackage) console.log(`${perMessage(row.micros)}  ${share(row.micros)}  ${row.name}`);
    console.log(`\ntop ${TOP_FUNCTIONS} functions by self time`);
    for (const row of byFunction.slice(0, TOP_FUNCTIONS)) {
      console.log(`${perMessage(row.micros)}  ${share(row.micros)}  ${row.name}`);
    }
  } finally {
    session.disconnect();
    await app.close();
    await fake.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
