import type { Performance } from '../../../shared/domain/policy';
import type { BarSeries } from './bar-series';
import { buildState, FEATURE_SPEC, type FeatureMatrix } from './features';
import type { Mlp } from './mlp';
import { type ActionChooser, type SimulationOptions, simulatePeriod } from './simulate';
import type { BarRange } from './walk-forward';

/** Computes Q-values for `rows` states (row-major in `states`), returning rows × 3. */
export type QFunction = (states: Float32Array, rows: number) => Float32Array | Float64Array;

/**
 * Q-values of every state in a period for each of the three positions, in one batched pass: the position a policy
 * will hold depends on its own earlier actions, so all three are computed up front and looked up while trading.
 * Layout: ((t - from) × 3 + position) × 3 + action.
 */
export function qTable(features: FeatureMatrix, range: BarRange, q: QFunction, chunk = 1024): Float64Array {
  const D = FEATURE_SPEC.stateSize;
  const n = (range.to - range.from) * 3;
  const table = new Float64Array(n * 3);
  const buf = new Float32Array(Math.min(chunk, n) * D);
  for (let startRow = 0; startRow < n; startRow += chunk) {
    const rows = Math.min(chunk, n - startRow);
    for (let r = 0; r < rows; r++) {
      const row = startRow + r;
      buildState(features, range.from + Math.floor(row / 3), row % 3, buf, r * D);
    }
    const out = q(buf.subarray(0, rows * D), rows);
    for (let i = 0; i < rows * 3; i++) table[startRow * 3 + i] = out[i] as number;
  }
  return table;
}

/** The greedy chooser over a {@link qTable}. */
export function greedyFromTable(table: Float64Array, from: number): ActionChooser {
  return (t, position) => {
    const o = ((t - from) * 3 + position) * 3;
    const a = table[o] as number;
    const b = table[o + 1] as number;
    const c = table[o + 2] as number;
    return b > a ? (c > b ? 2 : 1) : c > a ? 2 : 0;
  };
}

/** The MLP as a {@link QFunction}. */
export function mlpQ(net: Mlp): QFunction {
  return (states, rows) => net.forward(states, rows);
}

/** The network's greedy policy over one range per series, with the broker's costs. */
export function evaluateNetwork(
  net: Mlp,
  series: readonly BarSeries[],
  features: readonly FeatureMatrix[],
  ranges: readonly BarRange[],
  options: SimulationOptions,
): Performance[] {
  return series.map((s, i) => {
    const range = ranges[i] as BarRange;
    const table = qTable(features[i] as FeatureMatrix, range, mlpQ(net));
    return simulatePeriod(s, range, greedyFromTable(table, range.from), options).performance;
  });
}

/** Mean of the ratios over series; sums of trades, costs and bars. */
export function averagePerformance(perfs: readonly Performance[]): Performance {
  const n = Math.max(1, perfs.length);
  const mean = (f: (p: Performance) => number) => perfs.reduce((a, p) => a + f(p), 0) / n;
  return {
    totalReturn: mean((p) => p.totalReturn),
    sharpe: mean((p) => p.sharpe),
    maxDrawdown: mean((p) => p.maxDrawdown),
    turnover: mean((p) => p.turnover),
    trades: perfs.reduce((a, p) => a + p.trades, 0),
    costsPaid: perfs.reduce((a, p) => a + p.costsPaid, 0),
    bars: perfs.reduce((a, p) => a + p.bars, 0),
  };
}
