import type { Performance, PolicyCostModel } from '../../../shared/domain/policy';
import { type BarSeries, barAt } from './bar-series';
import { barToE4 } from './cost-model';
import { measurePerformance } from './performance';
import { TradingAccount } from './trading-account';
import type { BarRange } from './walk-forward';

/** Picks an action index (0 short, 1 flat, 2 long) at bar `t` holding position index `position`. */
export type ActionChooser = (t: number, position: number) => number;

export interface SimulationOptions {
  startingCashE4: number;
  costModel: PolicyCostModel;
}

export interface SimulationResult {
  /** Equity at each bar's close over the range, E4. */
  equityE4: Float64Array;
  /** Bar open times over the range. */
  times: Float64Array;
  /** Action taken at each bar (the last bar takes none: -1). */
  actions: Int8Array;
  performance: Performance;
}

/**
 * Runs a policy over a period the way it would trade live: the decision at bar t sees bar t's close, the order
 * fills at bar t+1's open with the broker's costs, and equity is marked at each close. The account starts flat
 * with `startingCashE4`.
 */
export function simulatePeriod(
  series: BarSeries,
  range: BarRange,
  choose: ActionChooser,
  options: SimulationOptions,
): SimulationResult {
  const n = range.to - range.from;
  const equity = new Float64Array(n);
  const actions = new Int8Array(n).fill(-1);
  const account = new TradingAccount(options.startingCashE4, options.costModel);
  for (let t = range.from; t < range.to; t++) {
    equity[t - range.from] = account.equityE4(series.c[t] as number);
    if (t + 1 >= range.to) break;
    const action = choose(t, account.direction + 1);
    actions[t - range.from] = action;
    account.moveTo((action - 1) as -1 | 0 | 1, series.c[t] as number, barToE4(barAt(series, t + 1)));
  }
  return {
    equityE4: equity,
    times: series.t.slice(range.from, range.to),
    actions,
    performance: measurePerformance(equity, series.timeframe, account),
  };
}
