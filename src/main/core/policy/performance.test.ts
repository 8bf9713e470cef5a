import { describe, expect, it } from 'vitest';
import { barsPerYear, measurePerformance } from './performance';

/** Dollars to E4 (the account's money unit). */
const e4 = (dollars: number[]) => dollars.map((d) => d * 10_000);
const noTrading = { tradedNotionalE4: 0, costsE4: 0, trades: 0 };

describe('measurePerformance', () => {
  it('measures a hand-computed curve: return, Sharpe, drawdown, turnover, costs', () => {
    // $100 → 110 → 99 → 121: bar returns +10%, −10%, +2/9.
    // mean = (2.7 − 2.7 + 6)/27 = 2/27; deviations 0.7/27, −4.7/27, 4/27; sample variance = (0.49 + 22.09 + 16)/729/2
    // = 19.29/729, so sd = √19.29/27 and Sharpe = (2/27)/(√19.29/27)·√252 = 2·√(252/19.29) ≈ 7.2288.
    const p = measurePerformance(e4([100, 110, 99, 121]), '1d', {
      tradedNotionalE4: 250 * 10_000,
      costsE4: 12_345,
      trades: 3,
    });
    expect(p.totalReturn).toBeCloseTo(0.21, 12);
    expect(p.sharpe).toBeCloseTo(2 * Math.sqrt(252 / 19.29), 10);
    expect(p.sharpe).toBeCloseTo(7.2288, 4);
    // Peak 110, trough 99: 10%. The later high (121) does not undo it.
    expect(p.maxDrawdown).toBeCloseTo(0.1, 12);
    // $250 traded on a $100 start.
    expect(p.turnover).toBe(2.5);
    expect(p.trades).toBe(3);
    expect(p.costsPaid).toBeCloseTo(1.2345, 12);
    expect(p.bars).toBe(4);
  });

  it('annualises by the timeframe: the same curve on hourly bars scales Sharpe by √6.5', () => {
    const curve = e4([100, 110, 99, 121]);
    const daily = measurePerformance(curve, '1d', noTrading).sharpe;
    const hourly = measurePerformance(curve, '1h', noTrading).sharpe;
    expect(barsPerYear['1h']).toBe(252 * 6.5);
    expect(hourly / daily).toBeCloseTo(Math.sqrt(6.5), 12);
  });

  it('takes the largest peak-to-trough fall, wherever the peak is', () => {
    // 100 → 80 is 20%; the new peak 120 → 60 is 50%; 130 ends above every peak.
    expect(measurePerformance(e4([100, 80, 120, 60, 130]), '1d', noTrading).maxDrawdown).toBeCloseTo(0.5, 12);
    // A curve that only rises has none; one that only falls loses from its first value.
    expect(measurePerformance(e4([100, 101, 105, 110]), '1d', noTrading).maxDrawdown).toBe(0);
    expect(measurePerformance(e4([100, 90, 75]), '1d', noTrading).maxDrawdown).toBeCloseTo(0.25, 12);
  });

  it('gives zero Sharpe for a flat curve (no variance) and zeros for an empty or one-point curve', () => {
    const flat = measurePerformance(e4([100, 100, 100, 100]), '1d', noTrading);
    expect(flat).toMatchObject({ totalReturn: 0, sharpe: 0, maxDrawdown: 0, turnover: 0 });
    // Constant growth has no variance either: the ratio is undefined, reported as 0, not Infinity.
    const steady = measurePerformance([10_000, 20_000, 40_000, 80_000], '1d', noTrading);
    expect(steady.totalReturn).toBe(7);
    expect(steady.sharpe).toBe(0);
    expect(measurePerformance([], '1d', noTrading)).toMatchObject({ totalReturn: 0, sharpe: 0, bars: 0 });
    expect(measurePerformance([1_000_000], '1d', noTrading)).toMatchObject({ totalReturn: 0, sharpe: 0, bars: 1 });
  });

  it('is negative for a losing curve', () => {
    const p = measurePerformance(e4([100, 95, 97, 90]), '1d', noTrading);
    expect(p.totalReturn).toBeCloseTo(-0.1, 12);
    expect(p.sharpe).toBeLessThan(0);
    // Peak 100, trough 90.
    expect(p.maxDrawdown).toBeCloseTo(0.1, 12);
  });
});
