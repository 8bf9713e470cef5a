import { SMA } from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../shared/domain/market';
import { SmaCrossover } from './sma-crossover';
import type { StrategyContext } from './strategy';

function context(bar: Bar, index: number, position: number, hasWorkingOrders = false): StrategyContext {
  return {
    symbol: 'TEST',
    bar,
    index,
    position,
    hasWorkingOrders,
    cashE4: 0,
    equityE4: 0,
    affordableQty: (fraction = 1) => Math.floor(100 * fraction),
  };
}

describe('SMA crossover', () => {
  it('keeps its running averages equal to a plain SMA (technicalindicators as the oracle)', () => {
    let x = 50;
    const closes = Array.from({ length: 300_000 }, (_, i) => {
      x = Math.max(1, x + Math.sin(i * 0.37) * 0.8 + Math.cos(i * 0.011) * 0.3);
      return x;
    });
    const strategy = new SmaCrossover({ fast: 7, slow: 30 });
    const fast = SMA.calculate({ period: 7, values: closes });
    const slow = SMA.calculate({ period: 30, values: closes });
    closes.forEach((c, i) => {
      strategy.onBar(context({ t: i, o: c, h: c, l: c, c, v: 1 }, i, 0));
      const a = strategy.averages();
      if (i < 6) expect(a.fast).toBeNaN();
      else if (i % 997 === 0 || i === closes.length - 1) expect(a.fast).toBeCloseTo(fast[i - 6] as number, 8);
      if (i < 29) expect(a.slow).toBeNaN();
      else if (i % 997 === 0 || i === closes.length - 1) expect(a.slow).toBeCloseTo(slow[i - 29] as number, 8);
    });
  });

  it('buys on a cross above and sells the position on a cross below, not while an order works', () => {
    const strategy = new SmaCrossover({ fast: 2, slow: 4, allocation: 0.5 });
    const closes = [10, 9, 8, 7, 8, 10, 12, 11, 9, 7];
    const signals: string[] = [];
    let position = 0;
    closes.forEach((c, i) => {
      const orders = strategy.onBar(context({ t: i, o: c, h: c, l: c, c, v: 1 }, i, position)) ?? [];
      for (const o of orders) {
        signals.push(`${i}:${o.side}:${o.qty}:${o.type}:${o.tif}`);
        position += o.side === 'buy' ? o.qty : -o.qty;
      }
    });
    // fast − slow: −1 at i=3, −0.5 at i=4, then +0.75 at i=5 (9 vs 8.25): a cross up; −0.5 at i=8 (10 vs 10.5): down.
    expect(signals).toEqual(['5:buy:50:market:gtc', '8:sell:50:market:gtc']);
    const busy = new SmaCrossover({ fast: 2, slow: 4 });
    const none = closes.flatMap((c, i) => busy.onBar(context({ t: i, o: c, h: c, l: c, c, v: 1 }, i, 0, true)) ?? []);
    expect(none).toEqual([]);
  });

  it('refuses parameters that cannot cross', () => {
    expect(() => new SmaCrossover({ fast: 20, slow: 20 })).toThrow(/--slow/);
    expect(() => new SmaCrossover({ fast: 0, slow: 20 })).toThrow(/--fast/);
  });
});
