import { describe, expect, it } from 'vitest';
import type { BarSeries } from './bar-series';
import { DEFAULT_COST_MODEL } from './cost-model';
import { evaluateSeries, type QSource } from './evaluation';
import { computeFeatures } from './features';
import { Prng } from './prng';
import { simulatePeriod } from './simulate';
import { randomWalkSeries } from './testing/random-walk';
import { walkForwardSplit } from './walk-forward';

const START_E4 = 1_000_000_000; // $100,000
const options = { costModel: DEFAULT_COST_MODEL, startingCashE4: START_E4 };

/** A policy that always wants to be flat (Q-values favour action 1), recording which states it was asked about. */
function flatPolicy(): QSource & { rows: number[] } {
  const rows: number[] = [];
  return {
    rows,
    async qValuesFlat(_states, n) {
      rows.push(n);
      const q = new Float32Array(n * 3);
      for (let i = 0; i < n; i++) q[i * 3 + 1] = 1;
      return q;
    },
  };
}

/**
 * A random walk whose test period is laid out by hand: the first test bar closes at $100, the next opens at $100,
 * and prices then climb in a straight line to a last close of $110, each bar opening at the previous close.
 */
function handLaidSeries(): { series: BarSeries; from: number; to: number } {
  const series = randomWalkSeries({ bars: 420, seed: 8 });
  const { test } = walkForwardSplit(computeFeatures(series).rows, computeFeatures(series).firstState);
  const n = test.to - test.from;
  for (let i = test.from; i < test.to; i++) {
    const close = 100 + (10 * (i - test.from)) / (n - 1);
    const open = i === test.from ? (series.o[i] as number) : (series.c[i - 1] as number);
    series.o[i] = open;
    series.c[i] = close;
    series.h[i] = Math.max(open, close) * 1.01;
    series.l[i] = Math.min(open, close) * 0.99;
  }
  return { series, from: test.from, to: test.to };
}

describe('evaluateSeries', () => {
  it('buy-and-hold earns the price return over the test period only, minus the costs of its one purchase', async () => {
    const { series, from, to } = handLaidSeries();
    // The split does not depend on prices: laying out the test period did not move it.
    const features = computeFeatures(series);
    expect(walkForwardSplit(features.rows, features.firstState).test).toEqual({ from, to });

    const policy = flatPolicy();
    const result = await evaluateSeries('hand', series, policy, options);
    const bh = result.performance.buyAndHold;
    // Sized at the $100 close moved by 2 bp (half the 2 bp spread + 1 bp slippage): $100.02 a share, so
    // floor(100,000 / 100.02) = 999 shares (+ commission still fits); filled at the next open, $100 + 2 bp =
    // $100.02; commission max($1, 999 × $0.005) = $4.995. Costs: 999 × $0.02 + $4.995 = $24.975.
    const shares = 999;
    const costs = shares * 0.02 + shares * 0.005;
    expect(bh.costsPaid).toBeCloseTo(costs, 10);
    expect(bh.trades).toBe(1);
    // The price return of the 999 shares from the $100 fill open to the $110 last close, less the costs.
    expect(bh.totalReturn).toBeCloseTo((shares * (110 - 100) - costs) / 100_000, 12);
    expect(bh.totalReturn).toBeCloseTo(0.09965025, 12);
    expect(bh.turnover).toBeCloseTo((shares * 100.02) / 100_000, 12);
    // The curve covers the test period and nothing else, starting flat at the starting cash.
    expect(Array.from(result.times)).toEqual(Array.from(series.t.slice(from, to)));
    expect(result.curves.buyAndHold).toHaveLength(to - from);
    expect(result.curves.buyAndHold[0]).toBe(100_000);
    expect(result.curves.buyAndHold[to - from - 1]).toBeCloseTo(100_000 * (1 + bh.totalReturn), 6);
    // The policy was asked about the test period's states only: 3 positions per bar.
    expect(policy.rows).toEqual([(to - from) * 3]);
    // A policy that stays flat makes and loses nothing, and its choices are counted.
    expect(result.performance.dqn).toMatchObject({ totalReturn: 0, trades: 0, costsPaid: 0, turnover: 0 });
    expect(result.actionCounts).toEqual([0, to - from - 1, 0]);
  });

  it('buy-and-hold ignores everything before the test period', async () => {
    const { series } = handLaidSeries();
    const before = await evaluateSeries('hand', series, flatPolicy(), options);
    const { from } = walkForwardSplit(computeFeatures(series).rows, computeFeatures(series).firstState).test;
    // Triple every price of the training and validation periods: a different past, the same test period.
    const other: BarSeries = {
      ...series,
      o: series.o.slice(),
      h: series.h.slice(),
      l: series.l.slice(),
      c: series.c.slice(),
    };
    for (let i = 0; i < from; i++) {
      for (const k of ['o', 'h', 'l', 'c'] as const) other[k][i] = (series[k][i] as number) * 3;
    }
    const after = await evaluateSeries('hand', other, flatPolicy(), options);
    expect(after.performance.buyAndHold).toEqual(before.performance.buyAndHold);
    expect(Array.from(after.curves.buyAndHold)).toEqual(Array.from(before.curves.buyAndHold));
  });

  it('reports the random policy as the mean of its seeded runs', async () => {
    const series = randomWalkSeries({ bars: 500, seed: 12, symbol: 'RND' });
    const runs = 5;
    const seed = 99;
    const result = await evaluateSeries('rnd', series, flatPolicy(), { ...options, randomRuns: runs, seed });

    // The runs as evaluateSeries seeds them: run k draws its actions from fork k of the seed's generator.
    const features = computeFeatures(series);
    const { test } = walkForwardSplit(features.rows, features.firstState);
    const prng = new Prng(seed);
    const sims = Array.from({ length: runs }, (_, k) => {
      const p = prng.fork(k);
      return simulatePeriod(series, test, () => p.int(3), options);
    });
    const mean = (f: (i: number) => number) => sims.reduce((a, _, i) => a + f(i), 0) / runs;
    const perf = (i: number) => (sims[i] as (typeof sims)[number]).performance;
    // The runs differ, so the mean is a mean of something.
    expect(new Set(sims.map((s) => s.performance.totalReturn)).size).toBe(runs);

    const r = result.performance.random;
    expect(r.totalReturn).toBeCloseTo(
      mean((i) => perf(i).totalReturn),
      12,
    );
    expect(r.sharpe).toBeCloseTo(
      mean((i) => perf(i).sharpe),
      12,
    );
    expect(r.maxDrawdown).toBeCloseTo(
      mean((i) => perf(i).maxDrawdown),
      12,
    );
    expect(r.turnover).toBeCloseTo(
      mean((i) => perf(i).turnover),
      12,
    );
    expect(r.costsPaid).toBeCloseTo(
      mean((i) => perf(i).costsPaid),
      8,
    );
    expect(r.trades).toBe(Math.round(mean((i) => perf(i).trades)));
    // The drawn curve is the mean equity at each bar.
    for (const j of [0, 10, test.to - test.from - 1]) {
      const equity = mean((i) => (sims[i]?.equityE4[j] as number) / 10_000);
      expect(result.curves.random[j]).toBeCloseTo(equity, 6);
    }

    // Reproducible from the seed; another seed draws other runs.
    const again = await evaluateSeries('rnd', series, flatPolicy(), { ...options, randomRuns: runs, seed });
    expect(again.performance.random).toEqual(r);
    const other = await evaluateSeries('rnd', series, flatPolicy(), { ...options, randomRuns: runs, seed: 100 });
    expect(other.performance.random.totalReturn).not.toBe(r.totalReturn);
  });
});
