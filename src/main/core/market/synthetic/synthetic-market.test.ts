import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Bar } from '../../../../shared/domain/market';
import { aggregateBars, aggregateTicks } from '../aggregate';
import { parseDay, usEquityCalendar } from '../sessions';
import { hashKey, Prng } from './prng';
import { profileFor } from './profiles';
import { SyntheticMarket } from './synthetic-market';

const WATCHLIST = ['AAPL', 'MSFT', 'TSLA', 'NVDA', 'SPY'];

describe('prng', () => {
  it('is deterministic per seed and spreads uniformly', () => {
    const a = new Prng(7);
    const b = new Prng(7);
    const c = new Prng(8);
    const xs = Array.from({ length: 1000 }, () => a.nextUint32());
    expect(Array.from({ length: 1000 }, () => b.nextUint32())).toEqual(xs);
    expect(Array.from({ length: 1000 }, () => c.nextUint32())).not.toEqual(xs);
    const rng = new Prng(1);
    const n = 200_000;
    let sum = 0;
    let sumSq = 0;
    let sum4 = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      sum += z;
      sumSq += z * z;
      sum4 += z ** 4;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.01);
    expect(Math.abs(sumSq / n - 1)).toBeLessThan(0.02);
    expect(Math.abs(sum4 / n - 3)).toBeLessThan(0.1);
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < n; i++) buckets[Math.floor(rng.next() * 10)]++;
    for (const count of buckets) expect(Math.abs(count - n / 10)).toBeLessThan(n / 100);
  });

  it('keys streams by name', () => {
    expect(hashKey(1, 'symbol', 'AAPL')).toBe(hashKey(1, 'symbol', 'AAPL'));
    expect(hashKey(1, 'symbol', 'AAPL')).not.toBe(hashKey(2, 'symbol', 'AAPL'));
    expect(hashKey(1, 'symbol', 'AAPL')).not.toBe(hashKey(1, 'symbolA', 'APL'));
  });
});

describe('profiles', () => {
  it('gives the watchlist hand-set profiles and any other ticker a stable derived one', () => {
    expect(profileFor('SPY')).toMatchObject({ beta: 1, sector: 'index' });
    expect(profileFor('TSLA').beta).toBeGreaterThan(1.5);
    expect(profileFor('NVDA').beta).toBeGreaterThan(1.5);
    const xyz = profileFor('XYZ');
    expect(profileFor('XYZ')).toEqual(xyz);
    expect(profileFor('ABCD')).not.toEqual(xyz);
    expect(xyz.anchorPrice).toBeGreaterThan(1);
    expect(xyz.annualVol).toBeGreaterThan(0.1);
  });
});

describe('synthetic market: determinism', () => {
  const from = Date.parse('2024-03-04T14:30:00Z');
  const to = Date.parse('2024-03-08T21:00:00Z');

  it('gives identical ticks and bars for the same seed, symbols and start', () => {
    const a = new SyntheticMarket({ seed: 42, symbols: WATCHLIST });
    const b = new SyntheticMarket({ seed: 42, symbols: WATCHLIST });
    for (const symbol of WATCHLIST) {
      expect(b.minuteBars(symbol, from, to)).toEqual(a.minuteBars(symbol, from, to));
      expect(b.ticks(symbol, from, from + 3_600_000)).toEqual(a.ticks(symbol, from, from + 3_600_000));
    }
    expect(a.minuteBars('AAPL', from, to)).toHaveLength(5 * 390);
  });

  it('gives a different market for a different seed', () => {
    const a = new SyntheticMarket({ seed: 42, symbols: WATCHLIST }).minuteBars('AAPL', from, to);
    const b = new SyntheticMarket({ seed: 43, symbols: WATCHLIST }).minuteBars('AAPL', from, to);
    expect(b).not.toEqual(a);
    expect(b.map((x) => x.t)).toEqual(a.map((x) => x.t));
  });

  it('keeps a symbol’s path whatever else is simulated, and whatever day is generated first', () => {
    const alone = new SyntheticMarket({ seed: 5, symbols: ['AAPL'] });
    const crowd = new SyntheticMarket({ seed: 5, symbols: ['SPY', 'XOM', 'AAPL'] });
    // Generate a later day first in one market: days are independent given the skeleton.
    crowd.minuteBars('AAPL', Date.parse('2024-06-03T13:30:00Z'), Date.parse('2024-06-03T20:00:00Z'));
    expect(crowd.minuteBars('AAPL', from, to)).toEqual(alone.minuteBars('AAPL', from, to));
  });

  it('refuses bad seeds, duplicate symbols and dates before the epoch', () => {
    expect(() => new SyntheticMarket({ seed: -1, symbols: ['AAPL'] })).toThrow(/seed/);
    expect(() => new SyntheticMarket({ seed: 1.5, symbols: ['AAPL'] })).toThrow(/seed/);
    expect(() => new SyntheticMarket({ seed: 1, symbols: ['AAPL', 'AAPL'] })).toThrow(/twice/);
    expect(() => new SyntheticMarket({ seed: 1, symbols: [] })).toThrow(/at least one/);
    const m = new SyntheticMarket({ seed: 1, symbols: ['AAPL'] });
    expect(() => m.minuteBars('AAPL', parseDay('2009-06-01'), parseDay('2009-06-02'))).toThrow(/begins on 2010-01-04/);
    expect(() => m.minuteBars('MSFT', from, to)).toThrow(/not part/);
  });
});

describe('synthetic market: bars are aggregated ticks', () => {
  it('has 1m bars equal to the aggregation of its ticks, in regular hours only, with early closes', () => {
    const m = new SyntheticMarket({ seed: 11, symbols: ['NVDA', 'SPY'] });
    const dayAfterThanksgiving = Date.parse('2024-11-29T14:30:00Z');
    const close = Date.parse('2024-11-29T18:00:00Z');
    const ticks = m.ticks('NVDA', dayAfterThanksgiving, close);
    const bars = m.minuteBars('NVDA', dayAfterThanksgiving, close);
    expect(bars).toHaveLength(210);
    expect(aggregateTicks(ticks, '1m')).toEqual(bars);
    expect(ticks[0]?.t).toBe(dayAfterThanksgiving);
    expect(ticks.at(-1)?.t).toBeLessThan(close);
    // 5m/1h/1d through aggregation of the 1m bars.
    expect(m.bars('NVDA', '1d', parseDay('2024-11-29'), parseDay('2024-11-29'))).toEqual(
      aggregateBars(bars, '1m', '1d'),
    );
    expect(m.bars('NVDA', '1h', dayAfterThanksgiving, close)).toHaveLength(4);
  });

  it('keeps OHLCV invariants for any seed, symbol and day (property)', () => {
    const day = fc.integer({ min: 0, max: 1500 });
    const symbol = fc.oneof(fc.constantFrom(...WATCHLIST), fc.stringMatching(/^[A-Z]{1,5}$/));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff_ffff }), symbol, day, (seed, sym, dayOffset) => {
        const m = new SyntheticMarket({ seed, symbols: [sym] });
        const g = m.day(dayOffset);
        const sd = g.symbols[0];
        if (!sd) throw new Error('no symbol day');
        expect(sd.o.length).toBe(g.minutes);
        // Plain checks collected into one assertion: hundreds of thousands of expect() calls would be slow.
        const bad: string[] = [];
        for (let i = 0; i < g.minutes; i++) {
          const o = sd.o[i] as number;
          const h = sd.h[i] as number;
          const l = sd.l[i] as number;
          const c = sd.c[i] as number;
          if (!(l > 0 && l <= Math.min(o, c) && h >= Math.max(o, c))) bad.push(`ohlc ${i}: ${o} ${h} ${l} ${c}`);
          if (!((sd.v[i] as number) > 0)) bad.push(`volume ${i}`);
          const start = sd.tickStart[i] as number;
          const end = sd.tickStart[i + 1] as number;
          if (end <= start) bad.push(`no ticks in minute ${i}`);
          for (let j = start; j < end; j++) {
            const t = sd.tickT[j] as number;
            if (t < g.session.open + i * 60_000 || t >= g.session.open + (i + 1) * 60_000) bad.push(`tick ${j} time`);
            if (j > 0 && t < (sd.tickT[j - 1] as number)) bad.push(`tick ${j} order`);
            const p = sd.tickPrice[j] as number;
            if (p >= 1 && Math.abs(p * 100 - Math.round(p * 100)) > 1e-6) bad.push(`tick ${j} off the cent grid`);
            if (p < l || p > h) bad.push(`tick ${j} outside its bar`);
          }
        }
        expect(bad.slice(0, 5)).toEqual([]);
      }),
      { numRuns: 20 },
    );
  });
});

// ---- Stylised facts, measured on one simulated year of the default watchlist ----

function mean(a: readonly number[]): number {
  return a.reduce((s, x) => s + x, 0) / a.length;
}
function variance(a: readonly number[]): number {
  const m = mean(a);
  return a.reduce((s, x) => s + (x - m) ** 2, 0) / a.length;
}
function kurtosis(a: readonly number[]): number {
  const m = mean(a);
  const v = variance(a);
  return a.reduce((s, x) => s + (x - m) ** 4, 0) / a.length / (v * v);
}
function autocorrelation(a: readonly number[], lag: number): number {
  const m = mean(a);
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    den += ((a[i] as number) - m) ** 2;
    if (i >= lag) num += ((a[i] as number) - m) * ((a[i - lag] as number) - m);
  }
  return num / den;
}
function correlation(a: readonly number[], b: readonly number[]): number {
  const ma = mean(a);
  const mb = mean(b);
  let n = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < a.length; i++) {
    const x = (a[i] as number) - ma;
    const y = (b[i] as number) - mb;
    n += x * y;
    da += x * x;
    db += y * y;
  }
  return n / Math.sqrt(da * db);
}

describe('synthetic market: stylised facts over a year', () => {
  const market = new SyntheticMarket({ seed: 42, symbols: WATCHLIST });
  let first = 0;
  let last = 0;
  // Per symbol: intraday 1m log returns (by session), daily close-to-close returns, daily realised variance.
  const minute: number[][] = WATCHLIST.map(() => []);
  const minuteOfDay: number[] = [];
  const daily: number[][] = WATCHLIST.map(() => []);
  const realised: number[][] = WATCHLIST.map(() => []);
  const gaps: number[][] = WATCHLIST.map(() => []);
  const volumeByMinute = new Float64Array(390);
  const regimes: string[] = [];
  let fullDays = 0;
  let jumpDays = 0;

  beforeAll(() => {
    first = market.sessionIndexAtOrAfter(parseDay('2024-01-02'));
    last = market.sessionIndexAtOrAfter(parseDay('2024-12-31'));
    const prevClose: (number | undefined)[] = [];
    for (let i = first; i <= last; i++) {
      const day = market.day(i);
      const info = market.dayInfo(i);
      regimes.push(info.regime);
      if (info.gapJumps.length + info.intradayJumps.length > 0) jumpDays++;
      day.symbols.forEach((sd, k) => {
        let rv = 0;
        for (let m = 1; m < day.minutes; m++) {
          const r = Math.log((sd.c[m] as number) / (sd.c[m - 1] as number));
          (minute[k] as number[]).push(r);
          if (k === 0) minuteOfDay.push(m);
          rv += r * r;
        }
        (realised[k] as number[]).push(rv);
        const close = sd.c[day.minutes - 1] as number;
        const prev = prevClose[k];
        if (prev !== undefined) {
          (daily[k] as number[]).push(Math.log(close / prev));
          (gaps[k] as number[]).push(Math.log((sd.o[0] as number) / prev));
        }
        prevClose[k] = close;
        if (day.minutes === 390) {
          for (let m = 0; m < 390; m++) volumeByMinute[m] = (volumeByMinute[m] as number) + (sd.v[m] as number);
        }
      });
      if (day.minutes === 390) fullDays++;
    }
  });

  it('simulates the 2024 calendar: 252 sessions', () => {
    expect(last - first + 1).toBe(252);
    expect(market.session(first).open).toBe(Date.parse('2024-01-02T14:30:00Z'));
  });

  it('has returns that are nearly uncorrelated while their size clusters (volatility clustering)', () => {
    for (const r of minute) {
      expect(Math.abs(autocorrelation(r, 1))).toBeLessThan(0.05);
      // Divide out the intraday U-shape so clustering is not confused with the time-of-day pattern.
      const bucketVar = new Float64Array(390);
      const bucketN = new Float64Array(390);
      r.forEach((x, i) => {
        const m = minuteOfDay[i] as number;
        bucketVar[m] = (bucketVar[m] as number) + x * x;
        bucketN[m] = (bucketN[m] as number) + 1;
      });
      const deseasonalised = r.map((x, i) => {
        const m = minuteOfDay[i] as number;
        return Math.abs(x) / Math.sqrt((bucketVar[m] as number) / (bucketN[m] as number));
      });
      for (const lag of [1, 5, 30]) expect(autocorrelation(deseasonalised, lag)).toBeGreaterThan(0.03);
    }
    // Day to day: realised variance persists (GARCH and regimes), returns do not.
    for (let k = 0; k < WATCHLIST.length; k++) {
      expect(autocorrelation(realised[k] as number[], 1)).toBeGreaterThan(0.2);
      expect(Math.abs(autocorrelation(daily[k] as number[], 1))).toBeLessThan(0.2);
    }
  });

  it('has fat tails: kurtosis above 3 for minute and daily returns', () => {
    for (let k = 0; k < WATCHLIST.length; k++) {
      expect(kurtosis(minute[k] as number[])).toBeGreaterThan(3);
    }
    // Daily: pool the standardised returns of all symbols (one year per symbol is a small sample).
    const pooled = daily.flatMap((r) => {
      const sd = Math.sqrt(variance(r));
      return r.map((x) => x / sd);
    });
    expect(kurtosis(pooled)).toBeGreaterThan(3.5);
  });

  it('moves symbols together with SPY, the high-beta names more than one for one', () => {
    const spy = daily[4] as number[];
    const spyVar = variance(spy);
    for (let k = 0; k < 4; k++) expect(correlation(daily[k] as number[], spy)).toBeGreaterThan(0.35);
    const beta = (k: number) =>
      (correlation(daily[k] as number[], spy) * Math.sqrt(variance(daily[k] as number[]))) / Math.sqrt(spyVar);
    expect(beta(2)).toBeGreaterThan(1.3); // TSLA
    expect(beta(3)).toBeGreaterThan(1.3); // NVDA
    expect(beta(0)).toBeLessThan(beta(3));
    expect(correlation(minute[0] as number[], minute[4] as number[])).toBeGreaterThan(0.3);
  });

  it('trades a U-shaped volume profile: busy open and close, quiet lunch', () => {
    const avg = (a: number, b: number) => {
      let s = 0;
      for (let m = a; m < b; m++) s += volumeByMinute[m] as number;
      return s / (b - a) / fullDays;
    };
    const open = avg(0, 30);
    const lunch = avg(150, 240);
    const close = avg(360, 390);
    expect(open).toBeGreaterThan(1.8 * lunch);
    expect(close).toBeGreaterThan(1.8 * lunch);
  });

  it('has jumps, visible as outsized opening gaps', () => {
    expect(jumpDays).toBeGreaterThan(5);
    // At least one symbol gaps by more than 5 robust standard deviations of its gaps.
    let outliers = 0;
    for (const g of gaps) {
      const sorted = g.map(Math.abs).sort((a, b) => a - b);
      const mad = (sorted[Math.floor(sorted.length / 2)] as number) / 0.6745;
      outliers += g.filter((x) => Math.abs(x) > 5 * mad).length;
    }
    expect(outliers).toBeGreaterThan(0);
  });

  it('switches regimes, and the bear regime is more volatile than the calm one', () => {
    const changes = regimes.filter((r, i) => i > 0 && r !== regimes[i - 1]).length;
    expect(changes).toBeGreaterThanOrEqual(2);
    expect(new Set(regimes).size).toBeGreaterThanOrEqual(2);
    const spyRv = realised[4] as number[];
    const byRegime = (name: string) => mean(spyRv.filter((_, i) => regimes[i] === name));
    // Seed 42's 2024 has both a calm bull and a high-volatility bear stretch.
    const calm = byRegime('calm-bull');
    const bear = byRegime('high-vol-bear');
    expect(bear).toBeGreaterThan(1.5 * calm);
  });

  it('marks everything it makes as simulated', () => {
    expect(market.source).toBe('synthetic');
    expect(market.calendar).toBe(usEquityCalendar);
  });
});

describe('synthetic market: random access', () => {
  it('generates any later year without generating the days in between', () => {
    const m = new SyntheticMarket({ seed: 3, symbols: ['SPY'] });
    const bars: Bar[] = m.bars('SPY', '1d', parseDay('2030-03-01'), parseDay('2030-03-31'));
    expect(bars.length).toBeGreaterThanOrEqual(20);
    expect(bars.length).toBeLessThanOrEqual(22);
    for (const b of bars) expect(b.c).toBeGreaterThan(0);
  });
});
