/**
 * The engine benchmark: one standard workload, run through the "traditional" path (every slot recomputes from
 * scratch, no cache) and through the cached engine, side by side in one run.
 *
 * Workload: a replay of the five-symbol simulated market, stepped bar by bar. On every bar the decode path decides
 * on each symbol, and a trader asks a mix of the seed's question types (price, pattern, maths, technical,
 * sentiment, knowledge, comprehensive), each question asked several times within the bar (traders repeat
 * themselves, and several panels ask the same thing). Both engines see exactly the same sequence (seeded).
 *
 * Alone: `npx tsx bench/engine-bench.ts [bars]`; through the runner: `npm run bench -- engine`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LatencyHistogram } from '../src/main/core/cache/latency-histogram';
import { silentLogger } from '../src/main/core/config';
import { createEngine, type Engine } from '../src/main/core/engine';
import { ManualScheduler } from '../src/main/core/market/replay/scheduler';
import type { EngineMode } from '../src/main/core/orchestrator/slot-runner';
import { seededRandom } from '../src/main/core/testing/seeded-random';
import type { Answer } from '../src/shared/domain/decision';

const SYMBOLS = ['AAPL', 'MSFT', 'TSLA', 'NVDA', 'SPY'];

/** The seed's question types, with the share of traffic each gets. */
const QUESTION_MIX: { weight: number; make: (symbol: string) => string; kind: string }[] = [
  { weight: 30, kind: 'price', make: (s) => `what is the price of ${s}` },
  { weight: 15, kind: 'pattern', make: (s) => `is this a bull flag on ${s}` },
  { weight: 10, kind: 'math', make: (s) => `calculate the Black-Scholes price of a ${s} 200 call expiring in 30 days` },
  { weight: 10, kind: 'technical', make: (s) => `what's the RSI of ${s}` },
  { weight: 10, kind: 'sentiment', make: (s) => `what is the sentiment on ${s}` },
  { weight: 5, kind: 'knowledge', make: () => 'what is the pattern day trader rule' },
  { weight: 20, kind: 'comprehensive', make: (s) => `should I buy ${s} calls?` },
];

export interface EngineBenchOptions {
  /** Bars to replay (default 120). */
  bars?: number;
  /** Distinct questions per bar (default 8); each is asked `repeats` times. */
  questionsPerBar?: number;
  repeats?: number;
  seed?: number;
}

export interface EngineRun {
  mode: EngineMode;
  requests: number;
  queries: number;
  decisions: number;
  seconds: number;
  requestsPerSec: number;
  all: ReturnType<LatencyHistogram['summary']>;
  /** First time a question is asked within a bar (cache misses for that bar's results). */
  cold: ReturnType<LatencyHistogram['summary']>;
  /** Repeats of a question within the bar. */
  warm: ReturnType<LatencyHistogram['summary']>;
  /** Comprehensive questions (all seven slots), first time within the bar. */
  coldAllSeven: ReturnType<LatencyHistogram['summary']>;
  decisionLatency: ReturnType<LatencyHistogram['summary']>;
  /** Slot lookups answered from the cache, all requests together. */
  hitRate: number;
  /** The same, over the slots the trader's questions ran. */
  queryHitRate: number;
  /** The same, over the per-bar decisions (each new bar is new input: their own results must be computed). */
  decodeHitRate: number;
  /** Questions answered with every slot from the cache. */
  queriesFullyCached: number;
  /** Per slot: lookups and hit rate (cached mode). */
  slots: { id: string; calls: number; hitRate: number }[];
  admissionRejected: number;
}

export interface EngineBenchResult {
  bars: number;
  questionsPerBar: number;
  repeats: number;
  traditional: EngineRun;
  cached: EngineRun;
  speedup: number;
  targets: { speedup20x: boolean; hitRate90: boolean; warmP99Under1ms: boolean; coldAllSevenP99Under10ms: boolean };
  node: string;
  cpus: number;
}

function pickQuestion(random: () => number): { text: string; kind: string } {
  const total = QUESTION_MIX.reduce((a, q) => a + q.weight, 0);
  let r = random() * total;
  const symbol = SYMBOLS[Math.floor(random() * SYMBOLS.length)] as string;
  for (const q of QUESTION_MIX) {
    r -= q.weight;
    if (r <= 0) return { text: q.make(symbol), kind: q.kind };
  }
  return { text: `what is the price of ${symbol}`, kind: 'price' };
}

async function runMode(mode: EngineMode, options: Required<EngineBenchOptions>): Promise<EngineRun> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `swaggy-engine-bench-${mode}-`));
  const scheduler = new ManualScheduler(0);
  const engine: Engine = createEngine({
    dataDir,
    mode: 'test',
    version: 'bench',
    projectRoot: path.resolve(__dirname, '..'),
    log: silentLogger,
    timers: false,
    loadMarket: true,
    scheduler,
  });
  try {
    engine.settings.set('watchlist', SYMBOLS, 0);
    engine.orchestrator.mode = mode;
    const orchestrator = engine.orchestrator;
    // Load the policy and backfill before timing: both engines start from a loaded session.
    await engine.dispatch('policy.status', {}, { origin: 'test' });
    if (mode === 'cached') await orchestrator.prefill(SYMBOLS);
    const random = seededRandom(options.seed);
    const all = new LatencyHistogram();
    const cold = new LatencyHistogram();
    const warm = new LatencyHistogram();
    const coldAllSeven = new LatencyHistogram();
    let queries = 0;
    let queryLookups = 0;
    let queryHits = 0;
    let fullyCached = 0;
    const decisionsBefore = orchestrator.stats().decisions.count;
    const started = performance.now();
    for (let bar = 0; bar < options.bars; bar++) {
      engine.market.step();
      await orchestrator.admission.whenIdle();
      const questions = Array.from({ length: options.questionsPerBar }, () => pickQuestion(random));
      for (let r = 0; r < options.repeats; r++) {
        for (const q of questions) {
          const t0 = performance.now();
          const result = await engine.dispatch('engine.ask', { text: q.text }, { origin: 'test' });
          const ns = (performance.now() - t0) * 1e6;
          if (!result.ok) throw new Error(`${q.text}: ${result.error.message}`);
          const slots = (result.value as Answer).slots;
          queryLookups += slots.length;
          const hits = slots.filter((run) => run.fromCache).length;
          queryHits += hits;
          if (hits === slots.length) fullyCached++;
          all.record(ns);
          (r === 0 ? cold : warm).record(ns);
          if (r === 0 && q.kind === 'comprehensive') coldAllSeven.record(ns);
          queries++;
        }
      }
    }
    await orchestrator.admission.whenIdle();
    const seconds = (performance.now() - started) / 1000;
    const stats = orchestrator.stats();
    const decisions = stats.decisions.count - decisionsBefore;
    const requests = queries + decisions;
    const allLookups = stats.slots.reduce((a, x) => a + x.calls, 0);
    const allHits = stats.slots.reduce((a, x) => a + x.cacheHits, 0);
    return {
      mode,
      requests,
      queries,
      decisions,
      seconds,
      requestsPerSec: requests / seconds,
      all: all.summary(),
      cold: cold.summary(),
      warm: warm.summary(),
      coldAllSeven: coldAllSeven.summary(),
      decisionLatency: stats.decisions.latency,
      hitRate: stats.hitRate,
      queryHitRate: queryLookups === 0 ? 0 : queryHits / queryLookups,
      decodeHitRate: allLookups - queryLookups <= 0 ? 0 : (allHits - queryHits) / (allLookups - queryLookups),
      queriesFullyCached: queries === 0 ? 0 : fullyCached / queries,
      slots: stats.slots.map((x) => ({ id: x.id, calls: x.calls, hitRate: x.hitRate })),
      admissionRejected: (stats.admission.rejected.decode ?? 0) + (stats.admission.rejected.background ?? 0),
    };
  } finally {
    await engine.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function benchEngine(options: EngineBenchOptions = {}): Promise<EngineBenchResult> {
  const o: Required<EngineBenchOptions> = {
    bars: options.bars ?? 120,
    questionsPerBar: options.questionsPerBar ?? 8,
    repeats: options.repeats ?? 4,
    seed: options.seed ?? 7,
  };
  const traditional = await runMode('traditional', o);
  const cached = await runMode('cached', o);
  const speedup = cached.requestsPerSec / traditional.requestsPerSec;
  return {
    bars: o.bars,
    questionsPerBar: o.questionsPerBar,
    repeats: o.repeats,
    traditional,
    cached,
    speedup,
    targets: {
      speedup20x: speedup >= 20,
      hitRate90: cached.hitRate >= 0.9,
      warmP99Under1ms: cached.warm.p99Us < 1000,
      coldAllSevenP99Under10ms: cached.coldAllSeven.p99Us < 10_000,
    },
    node: process.version,
    cpus: os.cpus().length,
  };
}

export function formatEngineBench(r: EngineBenchResult): string {
  const ms = (us: number) => (us / 1000).toFixed(3);
  const row = (label: string, t: string, c: string) => `| ${label} | ${t} | ${c} |`;
  const t = r.traditional;
  const c = r.cached;
  const yes = (b: boolean) => (b ? 'met' : 'NOT met');
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return [
    `Workload: ${r.bars} bars of 5 symbols; ${r.questionsPerBar} questions per bar, each asked ${r.repeats} times; a decision per symbol per bar.`,
    '',
    '| | traditional (no cache) | cached engine |',
    '|---|---:|---:|',
    row('requests (queries + decisions)', `${t.requests}`, `${c.requests}`),
    row('seconds', t.seconds.toFixed(2), c.seconds.toFixed(2)),
    row('throughput, requests/s', t.requestsPerSec.toFixed(0), c.requestsPerSec.toFixed(0)),
    row('query p50, ms', ms(t.all.p50Us), ms(c.all.p50Us)),
    row('query p99, ms', ms(t.all.p99Us), ms(c.all.p99Us)),
    row('warm (repeat) p99, ms', ms(t.warm.p99Us), ms(c.warm.p99Us)),
    row('cold (first in bar) p99, ms', ms(t.cold.p99Us), ms(c.cold.p99Us)),
    row('cold all-seven p99, ms', ms(t.coldAllSeven.p99Us), ms(c.coldAllSeven.p99Us)),
    row('decision latency p99, ms', ms(t.decisionLatency.p99Us), ms(c.decisionLatency.p99Us)),
    row('slot hit rate, all requests', pct(t.hitRate), pct(c.hitRate)),
    row('slot hit rate, questions', pct(t.queryHitRate), pct(c.queryHitRate)),
    row('slot hit rate, per-bar decisions', pct(t.decodeHitRate), pct(c.decodeHitRate)),
    row('questions answered wholly from the cache', pct(t.queriesFullyCached), pct(c.queriesFullyCached)),
    '',
    `Cached engine, hit rate per slot: ${c.slots
      .filter((x) => x.calls > 0)
      .map((x) => `${x.id} ${pct(x.hitRate)} of ${x.calls}`)
      .join(', ')}.`,
    '',
    `Speedup (throughput ratio): ${r.speedup.toFixed(1)}×`,
    `Targets: ≥20× throughput ${yes(r.targets.speedup20x)}; hit rate ≥90% ${yes(r.targets.hitRate90)}; warm p99 <1 ms ${yes(r.targets.warmP99Under1ms)}; cold all-seven p99 <10 ms ${yes(r.targets.coldAllSevenP99Under10ms)}.`,
  ].join('\n');
}

if (require.main === module) {
  const bars = Number(process.argv[2] ?? 120);
  benchEngine({ bars }).then(
    (r) => {
      console.log(formatEngineBench(r));
      const out = path.join(__dirname, 'results');
      fs.mkdirSync(out, { recursive: true });
      fs.writeFileSync(
        path.join(out, 'engine.json'),
        `${JSON.stringify({ ...r, at: new Date().toISOString() }, null, 2)}\n`,
      );
      console.log('wrote bench/results/engine.json');
    },
    (e) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
