/** Small statistics helpers of the benchmark. */

/** The q-quantile (0–1) of the values, nearest rank. */
export function quantile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

/** The median of the values. */
export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** What a closed-loop run measured: wall time and the latency of every call. */
export interface LoopResult {
  wallMs: number;
  /** CPU time of this process (user + system) during the run. */
  cpuMs: number;
  latenciesMs: Float64Array;
  /** Messages per second. */
  throughput: number;
}

/**
 * Runs `call` `total` times with `concurrency` calls in flight (each worker starts its next call when
 * its last one ends), timing every call. A call that throws stops the run and rejects with its error.
 */
export async function closedLoop(
  call: (i: number) => Promise<unknown>,
  total: number,
  concurrency: number,
): Promise<LoopResult> {
  const latenciesMs = new Float64Array(total);
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const started = performance.now();
      try {
        await call(i);
      } catch (error) {
        next = total;
        throw error;
      }
      latenciesMs[i] = performance.now() - started;
    }
  };
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  const wallMs = performance.now() - started;
  const { user, system } = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (user + system) / 1000, latenciesMs, throughput: (total / wallMs) * 1000 };
}

/** Concatenates latency samples of several runs. */
export function pooled(runs: LoopResult[]): Float64Array {
  const out = new Float64Array(runs.reduce((n, r) => n + r.latenciesMs.length, 0));
  let at = 0;
  for (const run of runs) {
    out.set(run.latenciesMs, at);
    at += run.latenciesMs.length;
  }
  return out;
}
