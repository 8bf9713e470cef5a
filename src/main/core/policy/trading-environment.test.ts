import { describe, expect, it } from 'vitest';
import { barAt } from './bar-series';
import { barToE4, DEFAULT_COST_MODEL } from './cost-model';
import { buildState, computeFeatures } from './features';
import { randomWalkSeries } from './testing/random-walk';
import { TradingAccount } from './trading-account';
import { TradingEnvironment } from './trading-environment';

const START = 100_000 * 10_000;

describe('TradingEnvironment', () => {
  const series = randomWalkSeries({ bars: 200, seed: 12 });
  const features = computeFeatures(series);
  const env = new TradingEnvironment([series], [features], {
    startingCashE4: START,
    costModel: DEFAULT_COST_MODEL,
    rewardScale: 100,
  });

  it('rewards the change in account value net of costs, trading at the next open', () => {
    const t = features.firstState + 5;
    env.reset(0, t);
    const step = env.step(2);
    const account = new TradingAccount(START, DEFAULT_COST_MODEL);
    const before = account.equityE4(series.c[t] as number);
    account.moveTo(1, series.c[t] as number, barToE4(barAt(series, t + 1)));
    const after = account.equityE4(series.c[t + 1] as number);
    expect(step.reward).toBeCloseTo((100 * (after - before)) / before, 12);
    expect(step.position).toBe(2);
    expect(step.t).toBe(t + 1);
    // Flat → flat earns exactly nothing.
    env.reset(0, t);
    expect(env.step(1).reward).toBe(0);
  });

  it('builds its state from the feature window and its own position', () => {
    const t = features.firstState + 9;
    env.reset(0, t);
    expect(env.state()).toEqual(buildState(features, t, 1));
    env.step(0);
    expect(env.state()).toEqual(buildState(features, t + 1, 0));
  });
});
