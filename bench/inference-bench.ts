/**
 * Policy inference latency: the shipped DQN model in onnxruntime-node on the active execution provider, at batch
 * sizes 1, 16 and 256, uncached and cached side by side. "Uncached" is one session run on distinct states;
 * "cached" is the desk's decision path ({@link cachedQValues}) on states whose Q-values are already in the cache
 * (fingerprint + lookup, no inference). Both include the argmax to an action. Latency per decision = per call /
 * batch size.
 *
 * Alone: `npx tsx bench/inference-bench.ts` prints a table and writes bench/results/inference.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cachedQValues } from '../src/main/core/policy/cached-q-values';
import { defaultModelFile } from '../src/main/core/policy/default-model';
import { FEATURE_SPEC } from '../src/main/core/policy/features';
import { PolicyRuntime } from '../src/main/core/policy/policy-runtime';
import { bestAction } from '../src/main/core/policy/policy-service';
import { Prng } from '../src/main/core/policy/prng';
import { LruQValueCache } from '../src/main/core/policy/q-value-cache';

export interface InferenceBenchRow {
  batch: number;
  /** Median and 95th percentile of one call, microseconds. */
  uncachedCallUs: { p50: number; p95: number };
  cachedCallUs: { p50: number; p95: number };
  /** Median per decision (call / batch), microseconds. */
  uncachedPerDecisionUs: number;
  cachedPerDecisionUs: number;
}

export interface InferenceBenchResult {
  model: string;
  modelVersion: string;
  provider: string;
  providerWarnings: string[];
  stateSize: number;
  rows: InferenceBenchRow[];
  node: string;
  cpus: number;
  cpuModel: string;
  at: string;
}

const BATCHES = [1, 16, 256];

function randomState(prng: Prng): Float32Array {
  const D = FEATURE_SPEC.stateSize;
  const s = new Float32Array(D);
  for (let k = 0; k < D - 3; k++) s[k] = Math.max(-5, Math.min(5, prng.normal()));
  s[D - 3 + prng.int(3)] = 1;
  return s;
}

function quantiles(samples: number[]): { p50: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  return { p50: at(0.5), p95: at(0.95) };
}

/** Runs the benchmark; `iterations` calls per batch size and mode (after warm-up). */
export async function benchInference(
  options: { modelFile?: string; iterations?: number } = {},
): Promise<InferenceBenchResult> {
  const root = path.resolve(__dirname, '..');
  const modelFile = options.modelFile ?? defaultModelFile(root);
  const warnings: string[] = [];
  const runtime = await PolicyRuntime.load(modelFile, { warn: (m) => warnings.push(m) });
  const prng = new Prng(1234);
  const D = FEATURE_SPEC.stateSize;
  const rows: InferenceBenchRow[] = [];
  try {
    for (const batch of BATCHES) {
      const iterations = options.iterations ?? Math.max(200, Math.round(20_000 / batch));
      // Distinct states for every uncached call, so nothing is reused.
      const pool = Array.from({ length: Math.min(64, iterations) }, () =>
        Array.from({ length: batch }, () => randomState(prng)),
      );
      const flatPool = pool.map((states) => {
        const flat = new Float32Array(batch * D);
        states.forEach((s, i) => {
          flat.set(s, i * D);
        });
        return flat;
      });
      const uncached = async (i: number) => {
        const q = await runtime.qValuesFlat(flatPool[i % flatPool.length] as Float32Array, batch);
        for (let r = 0; r < batch; r++)
          bestAction([q[r * 3] as number, q[r * 3 + 1] as number, q[r * 3 + 2] as number]);
      };
      const cache = new LruQValueCache(100_000);
      const cachedStates = pool[0] as Float32Array[];
      await cachedQValues(runtime, cache, cachedStates);
      const cached = async () => {
        const { qValues, cached: hits } = await cachedQValues(runtime, cache, cachedStates);
        if (!hits.every(Boolean)) throw new Error('the cached run missed the cache');
        for (const q of qValues) bestAction(q);
      };
      const time = async (fn: (i: number) => Promise<void>) => {
        for (let i = 0; i < 50; i++) await fn(i);
        const samples: number[] = [];
        for (let i = 0; i < iterations; i++) {
          const t0 = performance.now();
          await fn(i);
          samples.push((performance.now() - t0) * 1000);
        }
        return quantiles(samples);
      };
      // Interleaved, so a background load on the machine hits both modes alike.
      const u1 = await time(uncached);
      const c1 = await time(cached);
      rows.push({
        batch,
        uncachedCallUs: u1,
        cachedCallUs: c1,
        uncachedPerDecisionUs: u1.p50 / batch,
        cachedPerDecisionUs: c1.p50 / batch,
      });
    }
  } finally {
    await runtime.dispose();
  }
  return {
    model: path.relative(root, modelFile),
    modelVersion: runtime.version,
    provider: runtime.provider,
    providerWarnings: warnings,
    stateSize: D,
    rows,
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    at: new Date().toISOString(),
  };
}

/** The result as a table. */
export function formatInferenceBench(r: InferenceBenchResult): string {
  const f = (us: number) => (us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(1)} µs`);
  const lines = [
    `Policy inference: ${r.modelVersion} on ${r.provider} (${r.cpus} × ${r.cpuModel}, Node ${r.node}); state of ${r.stateSize} floats`,
    '',
    '| batch | uncached per call (p50 / p95) | uncached per decision | cached per call (p50 / p95) | cached per decision |',
    '| ---: | ---: | ---: | ---: | ---: |',
    ...r.rows.map(
      (x) =>
        `| ${x.batch} | ${f(x.uncachedCallUs.p50)} / ${f(x.uncachedCallUs.p95)} | ${f(x.uncachedPerDecisionUs)} | ` +
        `${f(x.cachedCallUs.p50)} / ${f(x.cachedCallUs.p95)} | ${f(x.cachedPerDecisionUs)} |`,
    ),
  ];
  return lines.join('\n');
}

if (require.main === module) {
  benchInference().then(
    (result) => {
      const dir = path.join(__dirname, 'results');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'inference.json'), `${JSON.stringify(result, null, 2)}\n`);
      console.log(formatInferenceBench(result));
      for (const w of result.providerWarnings) console.log(`warning: ${w}`);
    },
    (e) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
