import type { PolicyCostModel } from '../../../shared/domain/policy';
import { type BarSeries, barAt } from './bar-series';
import { barToE4 } from './cost-model';
import { buildState, type FeatureMatrix } from './features';
import { TradingAccount } from './trading-account';

export interface EnvironmentOptions {
  startingCashE4: number;
  costModel: PolicyCostModel;
  /** Reward = rewardScale × relative change of account value over the step (100: percent). */
  rewardScale: number;
}

/** What one step returned. */
export interface StepResult {
  reward: number;
  /** Position index (0 short, 1 flat, 2 long) after the step's order. */
  position: number;
  /** Bar index of the new state. */
  t: number;
}

/**
 * The trading environment over prepared series. The state at bar t is the feature window ending at t plus the
 * position; an action is a target position, ordered at bar t's close and filled at bar t+1's open through
 * {@link TradingAccount} (the paper broker's rules and costs; a reversal closes first and opens on the next bar);
 * the reward is the change in account value from close t to close t+1, net of those costs.
 */
export class TradingEnvironment {
  private account: TradingAccount;
  private seriesIndex = 0;
  private bar = 0;

  constructor(
    readonly series: readonly BarSeries[],
    readonly features: readonly FeatureMatrix[],
    readonly options: EnvironmentOptions,
  ) {
    if (series.length !== features.length) throw new RangeError('One feature matrix per series');
    this.account = new TradingAccount(options.startingCashE4, options.costModel);
  }

  /** Starts an episode on series `seriesIndex` at bar `t`, flat, with fresh starting cash. */
  reset(seriesIndex: number, t: number): void {
    const f = this.features[seriesIndex];
    if (!f) throw new RangeError(`No series ${seriesIndex}`);
    if (t < f.firstState || t + 1 >= f.rows) throw new RangeError(`Cannot start at bar ${t}`);
    this.seriesIndex = seriesIndex;
    this.bar = t;
    this.account = new TradingAccount(this.options.startingCashE4, this.options.costModel);
  }

  get t(): number {
    return this.bar;
  }

  get currentSeries(): number {
    return this.seriesIndex;
  }

  /** Position index held now (0 short, 1 flat, 2 long). */
  get position(): number {
    return this.account.direction + 1;
  }

  /** The current state vector. */
  state(out?: Float32Array, offset = 0): Float32Array {
    return buildState(this.features[this.seriesIndex] as FeatureMatrix, this.bar, this.position, out, offset);
  }

  /** Takes `action` at the current bar and advances one bar. */
  step(action: number): StepResult {
    const s = this.series[this.seriesIndex] as BarSeries;
    const t = this.bar;
    if (t + 1 >= s.t.length) throw new RangeError('The episode ran past the end of the series');
    const before = this.account.equityE4(s.c[t] as number);
    this.account.moveTo((action - 1) as -1 | 0 | 1, s.c[t] as number, barToE4(barAt(s, t + 1)));
    const after = this.account.equityE4(s.c[t + 1] as number);
    this.bar = t + 1;
    const reward = before > 0 ? (this.options.rewardScale * (after - before)) / before : 0;
    return { reward, position: this.position, t: this.bar };
  }
}
