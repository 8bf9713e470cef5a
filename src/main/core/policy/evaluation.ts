import type { EvaluationRow, Performance, PolicyCostModel } from '../../../shared/domain/policy';
import type { BarSeries } from './bar-series';
import { buildState, computeFeatures, FEATURE_SPEC } from './features';
import { measurePerformance } from './performance';
import { Prng } from './prng';
import { type ActionChooser, type SimulationResult, simulatePeriod } from './simulate';
import { DEFAULT_SPLIT, type SplitFractions, walkForwardSplit } from './walk-forward';

/** Anything that maps a batch of states to Q-values: the ONNX runtime, or the training-time network. */
export interface QSource {
  qValuesFlat(states: Float32Array, rows: number): Promise<Float32Array | Float64Array>;
}

export interface EvaluationOptions {
  costModel: PolicyCostModel;
  startingCashE4: number;
  split?: SplitFractions;
  /** Random-policy runs averaged per data set. */
  randomRuns?: number;
  seed?: number;
}

/** One data set's held-out period and the three policies' equity on it. */
export interface EvaluatedSeries {
  dataset: string;
  symbol: string;
  timeframe: string;
  /** Bar open times of the test period. */
  times: Float64Array;
  /** Equity curves in dollars. `random` is the mean over the random runs. */
  curves: { dqn: Float64Array; buyAndHold: Float64Array; random: Float64Array };
  performance: { dqn: Performance; buyAndHold: Performance; random: Performance };
  /** Actions the policy took: counts of short, flat, long. */
  actionCounts: [number, number, number];
}

/**
 * The policy against buy-and-hold and a random policy on each series' held-out test period (the last part of the
 * walk-forward split, never seen by training or early stopping), all trading through the same account with the
 * broker's costs: decisions at each close, fills at the next open. Features are computed over the whole series so
 * the indicators are warm when the test period starts; they are causal, so nothing after a bar is used.
 */
export async function evaluateSeries(
  dataset: string,
  series: BarSeries,
  policy: QSource,
  options: EvaluationOptions,
): Promise<EvaluatedSeries> {
  const features = computeFeatures(series);
  const split = walkForwardSplit(features.rows, features.firstState, options.split ?? DEFAULT_SPLIT);
  const range = split.test;
  const D = FEATURE_SPEC.stateSize;
  const rows = (range.to - range.from) * 3;
  const states = new Float32Array(rows * D);
  for (let r = 0; r < rows; r++) buildState(features, range.from + Math.floor(r / 3), r % 3, states, r * D);
  const q = await policy.qValuesFlat(states, rows);
  const sim = { startingCashE4: options.startingCashE4, costModel: options.costModel };

  const counts: [number, number, number] = [0, 0, 0];
  const dqnChooser: ActionChooser = (t, position) => {
    const o = ((t - range.from) * 3 + position) * 3;
    const a = q[o] as number;
    const b = q[o + 1] as number;
    const c = q[o + 2] as number;
    const action = b > a ? (c > b ? 2 : 1) : c > a ? 2 : 0;
    counts[action]++;
    return action;
  };
  const dqn = simulatePeriod(series, range, dqnChooser, sim);
  const buyAndHold = simulatePeriod(series, range, () => 2, sim);

  const runs = options.randomRuns ?? 20;
  const prng = new Prng(options.seed ?? 2024);
  const randomRuns: SimulationResult[] = [];
  for (let k = 0; k < runs; k++) {
    const p = prng.fork(k);
    randomRuns.push(simulatePeriod(series, range, () => p.int(3), sim));
  }
  const n = range.to - range.from;
  const meanEquity = new Float64Array(n);
  for (const run of randomRuns)
    for (let i = 0; i < n; i++) meanEquity[i] = (meanEquity[i] as number) + (run.equityE4[i] as number) / runs;
  const mean = (f: (p: Performance) => number) => randomRuns.reduce((a, r) => a + f(r.performance), 0) / runs;
  // The random row reports each measure averaged over the runs (not the measure of the averaged curve).
  const randomPerformance: Performance = {
    ...measurePerformance(meanEquity, series.timeframe, { tradedNotionalE4: 0, costsE4: 0, trades: 0 }),
    totalReturn: mean((p) => p.totalReturn),
    sharpe: mean((p) => p.sharpe),
    maxDrawdown: mean((p) => p.maxDrawdown),
    turnover: mean((p) => p.turnover),
    trades: Math.round(mean((p) => p.trades)),
    costsPaid: mean((p) => p.costsPaid),
  };
  const dollars = (e: Float64Array) => Float64Array.from(e, (x) => x / 10_000);
  return {
    dataset,
    symbol: series.symbol,
    timeframe: series.timeframe,
    times: dqn.times,
    curves: { dqn: dollars(dqn.equityE4), buyAndHold: dollars(buyAndHold.equityE4), random: dollars(meanEquity) },
    performance: { dqn: dqn.performance, buyAndHold: buyAndHold.performance, random: randomPerformance },
    actionCounts: counts,
  };
}

/** The evaluation table's rows for evaluated series: DQN, buy-and-hold, random for each. */
export function evaluationRows(results: readonly EvaluatedSeries[]): EvaluationRow[] {
  return results.flatMap((r) => [
    { dataset: r.dataset, policy: 'dqn' as const, performance: r.performance.dqn },
    { dataset: r.dataset, policy: 'buy-and-hold' as const, performance: r.performance.buyAndHold },
    { dataset: r.dataset, policy: 'random' as const, performance: r.performance.random },
  ]);
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The table as Markdown: one line per data set and policy. */
export function evaluationMarkdown(results: readonly EvaluatedSeries[]): string {
  const lines = [
    '| data set (test period) | policy | total return | Sharpe | max drawdown | turnover | trades | costs |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of results) {
    const from = new Date(r.times[0] as number).toISOString().slice(0, 10);
    const to = new Date(r.times[r.times.length - 1] as number).toISOString().slice(0, 10);
    const name = `${r.dataset} (${from}..${to}, ${r.times.length} bars)`;
    for (const [policy, p] of [
      ['DQN', r.performance.dqn],
      ['buy & hold', r.performance.buyAndHold],
      ['random (mean of runs)', r.performance.random],
    ] as const) {
      lines.push(
        `| ${name} | ${policy} | ${pct(p.totalReturn)} | ${p.sharpe.toFixed(2)} | ${pct(p.maxDrawdown)} | ` +
          `${p.turnover.toFixed(1)}× | ${p.trades} | $${p.costsPaid.toFixed(0)} |`,
      );
    }
  }
  return lines.join('\n');
}
