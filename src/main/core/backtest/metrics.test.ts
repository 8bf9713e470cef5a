import { getMaxDrawdown, getSharpeRatio } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { curveMetrics, periodInfo, sessionPeriodsPerYear, tradeMetrics } from './metrics';
import type { RoundTrip } from './round-trips';

const DAY = 86_400_000;

describe('backtest metrics', () => {
  it('measures periods per year from the data, or uses the session table for short data', () => {
    // Two calendar years of weekday bars: ~261 a year.
    const t0 = Date.UTC(2020, 0, 1);
    const p = periodInfo(t0, t0 + 730 * DAY, 522, '1d');
    expect(p.periodsSource).toBe('measured');
    expect(p.periodsPerYear).toBeCloseTo(522 / ((731 * DAY) / (365.25 * DAY)), 6);
    const short = periodInfo(t0, t0 + 10 * 60_000, 11, '1m');
    expect(short).toMatchObject({ periodsSource: 'session', periodsPerYear: sessionPeriodsPerYear['1m'] });
  });

  it('computes return, CAGR, Sharpe, Sortino and drawdown of an equity curve (trading-signals as an oracle)', () => {
    const start = 100;
    const equity = [110, 99, 121, 115, 130];
    const period = { bars: 5, years: 2, periodsPerYear: 252, periodsSource: 'measured' as const };
    const m = curveMetrics(start, equity, period);
    expect(m.totalReturn).toBeCloseTo(0.3, 12);
    expect(m.cagr).toBeCloseTo(Math.sqrt(1.3) - 1, 12);
    const returns = [0.1, -0.1, 121 / 99 - 1, 115 / 121 - 1, 130 / 115 - 1];
    // trading-signals divides by the population deviation; the annualised sample-deviation Sharpe converts exactly.
    const population = getSharpeRatio(returns);
    expect(m.sharpe).toBeCloseTo(population * Math.sqrt(4 / 5) * Math.sqrt(252), 10);
    const mean = returns.reduce((a, b) => a + b) / 5;
    const downside = Math.sqrt(returns.filter((r) => r < 0).reduce((a, r) => a + r * r, 0) / 5);
    expect(m.sortino).toBeCloseTo((mean / downside) * Math.sqrt(252), 10);
    expect(m.maxDrawdown * 100).toBeCloseTo(getMaxDrawdown([start, ...equity]), 10);
    expect(m.maxDrawdown).toBeCloseTo(0.1, 12);
    // Peak at bar 0 (110), recovered at bar 2 (121).
    expect(m.maxDrawdownBars).toBe(2);
  });

  it('has no Sharpe for a flat curve and no Sortino without losing bars', () => {
    const period = { bars: 3, years: 1, periodsPerYear: 252, periodsSource: 'measured' as const };
    expect(curveMetrics(100, [100, 100, 100], period)).toMatchObject({ sharpe: null, sortino: null, maxDrawdown: 0 });
    expect(curveMetrics(100, [101, 102, 104], period).sortino).toBeNull();
  });

  it('computes win rate and profit factor over closed round trips only', () => {
    const trip = (netPnlE4: number, closed = true): RoundTrip => ({
      symbol: 'X',
      side: 'long',
      entryT: 0,
      exitT: closed ? 1 : null,
      maxQty: 1,
      entryQty: 1,
      entryPriceE4: 1_000_000,
      exitQty: closed ? 1 : 0,
      exitPriceE4: closed ? 1_000_000 + netPnlE4 : null,
      netPnlE4,
      commissionE4: 0,
      returnPct: netPnlE4 / 10_000,
      fills: 2,
    });
    const m = tradeMetrics([trip(300_000), trip(-100_000), trip(100_000), trip(-5_000_000, false)]);
    expect(m.trades).toBe(3);
    expect(m.winRate).toBeCloseTo(2 / 3, 12);
    expect(m.profitFactor).toBeCloseTo(4, 12);
    expect(tradeMetrics([trip(1)]).profitFactor).toBeNull();
    expect(tradeMetrics([]).winRate).toBeNull();
  });
});
