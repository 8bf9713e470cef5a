/**
 * The stream checked against two established libraries on real AAPL data (3 379 daily bars, 2004–2018) and a real
 * AAPL 1-minute file. Where the libraries define an indicator like we do, values agree to 1e-6 relative from the
 * first defined bar. Known definitional differences, tested on the part where they agree:
 * - trading-signals seeds its EMA with the first price (we, TA-Lib and technicalindicators seed with the SMA of the
 *   first n): the seed's weight decays as (1−α)^k, so after 30·n bars the two agree to 1e-6.
 * - trading-signals' ATR counts the first bar's high−low as a true range (we start at bar 1, as Wilder and
 *   technicalindicators do): again the seeds differ and the Wilder smoothing forgets them.
 * - technicalindicators rounds RSI to 2 decimals: we match it to ±0.005 and trading-signals exactly.
 * - Both libraries' VWAP never resets; ours resets each session, so it is compared with a fresh library VWAP per day.
 */
import fs from 'node:fs';
import * as ti from 'technicalindicators';
import * as ts from 'trading-signals';
import { describe, expect, it } from 'vitest';
import type { IndicatorSnapshot } from '../../../../shared/domain/analysis';
import type { Bar } from '../../../../shared/domain/market';
import { computeIndicators } from './stream';
import { AAPL_1MIN, AAPL_DAILY, readBarsCsv } from './test-support/read-csv';

const REL = 1e-6;

/** |a − b| within `rel` of the larger of |b| and `scale` (MACD and histograms hover around zero). */
function expectClose(actual: number | null | undefined, expected: number, scale = 0, what = ''): void {
  expect(actual, what).not.toBeNull();
  expect(actual, what).not.toBeUndefined();
  const tol = REL * Math.max(Math.abs(expected), scale);
  if (Math.abs((actual as number) - expected) > tol) {
    expect.fail(`${what}: ${actual} differs from ${expected} by more than ${tol}`);
  }
}

/** Checks the warm-up boundary: null before `first`, a number from `first` on. */
function expectWarmup(values: (number | null)[], first: number, what: string): void {
  expect(
    values.slice(0, first).every((v) => v === null),
    `${what} null during warm-up`,
  ).toBe(true);
  expect(values[first], `${what} defined at bar ${first}`).not.toBeNull();
}

describe.skipIf(!fs.existsSync(AAPL_DAILY))(
  'InternLM2 stream vs technicalindicators and trading-signals (AAPL daily)',
  () => {
    const bars = fs.existsSync(AAPL_DAILY) ? readBarsCsv(AAPL_DAILY) : [];
    const params = { smaPeriods: [20, 50, 200], emaPeriods: [9, 21, 50] };
    const snaps: IndicatorSnapshot[] = bars.length > 0 ? computeIndicators(bars, params).snapshots : [];
    const closes = bars.map((b) => b.c);
    const scale = 1; // MACD tolerance floor: 1e-6 of a dollar

    it('reads the whole file', () => {
      expect(bars.length).toBe(3379);
    });

    it('SMA 20/50/200 equal both libraries from the first defined bar', () => {
      for (const n of [20, 50, 200]) {
        const series = snaps.map((s) => s.sma[String(n)] ?? null);
        expectWarmup(series, n - 1, `SMA ${n}`);
        const lib = ti.SMA.calculate({ period: n, values: closes });
        expect(lib.length).toBe(bars.length - n + 1);
        const tsSma = new ts.SMA(n);
        bars.forEach((b, i) => {
          const theirs = tsSma.update(b.c, false);
          if (i >= n - 1) {
            expectClose(series[i], lib[i - n + 1] as number, 0, `SMA ${n} #${i} vs technicalindicators`);
            expectClose(series[i], theirs as number, 0, `SMA ${n} #${i} vs trading-signals`);
          }
        });
      }
    });

    it('EMA equals technicalindicators exactly (SMA seed) and trading-signals once its first-price seed has decayed', () => {
      for (const n of [9, 21, 50]) {
        const series = snaps.map((s) => s.ema[String(n)] ?? null);
        expectWarmup(series, n - 1, `EMA ${n}`);
        const lib = ti.EMA.calculate({ period: n, values: closes });
        const tsEma = new ts.EMA(n);
        bars.forEach((b, i) => {
          const theirs = tsEma.update(b.c, false);
          if (i >= n - 1) expectClose(series[i], lib[i - n + 1] as number, 0, `EMA ${n} #${i} vs technicalindicators`);
          if (i >= 30 * n) expectClose(series[i], theirs, 0, `EMA ${n} #${i} vs trading-signals`);
        });
        // The seeds really differ: early on the libraries disagree with each other, which is why only the tail is
        // compared with trading-signals.
        const early = new ts.EMA(n);
        const earlyValues = closes.slice(0, n).map((c) => early.update(c, false));
        expect(Math.abs((earlyValues[n - 1] as number) - (series[n - 1] as number))).toBeGreaterThan(1e-9);
      }
    });

    it('RSI 14 equals trading-signals exactly and technicalindicators to its 2-decimal rounding', () => {
      const series = snaps.map((s) => s.rsi);
      expectWarmup(series, 14, 'RSI');
      const lib = ti.RSI.calculate({ period: 14, values: closes });
      expect(lib.length).toBe(bars.length - 14);
      const tsRsi = new ts.RSI(14);
      bars.forEach((b, i) => {
        const theirs = tsRsi.update(b.c, false);
        if (i < 14) {
          expect(theirs).toBeNull();
          return;
        }
        expectClose(series[i], theirs as number, 0, `RSI #${i} vs trading-signals`);
        expect(Math.abs((series[i] as number) - (lib[i - 14] as number))).toBeLessThanOrEqual(0.005 + 1e-9);
      });
    });

    it('ATR 14 equals technicalindicators (Wilder, true range from bar 1) and trading-signals after its seed decays', () => {
      const series = snaps.map((s) => s.atr);
      expectWarmup(series, 14, 'ATR');
      const lib = ti.ATR.calculate({
        period: 14,
        high: bars.map((b) => b.h),
        low: bars.map((b) => b.l),
        close: closes,
      });
      expect(lib.length).toBe(bars.length - 14);
      const tsAtr = new ts.ATR(14);
      bars.forEach((b, i) => {
        const theirs = tsAtr.update({ high: b.h, low: b.l, close: b.c }, false);
        if (i >= 14) expectClose(series[i], lib[i - 14] as number, 0, `ATR #${i} vs technicalindicators`);
        if (i >= 400) expectClose(series[i], theirs as number, 0, `ATR #${i} vs trading-signals`);
      });
    });

    it('MACD 12/26/9 line, signal and histogram equal technicalindicators with EMA oscillator and signal', () => {
      const lib = ti.MACD.calculate({
        values: closes,
        fastPeriod: 12,
        slowPeriod: 26,
        signalPeriod: 9,
        SimpleMAOscillator: false,
        SimpleMASignal: false,
      });
      expect(lib.length).toBe(bars.length - 25);
      expect(snaps[24]?.macd).toBeNull();
      expect(snaps[25]?.macd?.signal).toBeNull();
      expect(snaps[33]?.macd?.signal).not.toBeNull();
      lib.forEach((m, k) => {
        const i = k + 25;
        const ours = snaps[i]?.macd;
        expectClose(ours?.macd, m.MACD as number, scale, `MACD #${i}`);
        if (m.signal === undefined) expect(ours?.signal, `signal #${i}`).toBeNull();
        else {
          expectClose(ours?.signal, m.signal, scale, `signal #${i}`);
          expectClose(ours?.histogram, m.histogram as number, scale, `histogram #${i}`);
        }
      });
    });

    it('Bollinger 20/2 equals both libraries (population standard deviation)', () => {
      const lib = ti.BollingerBands.calculate({ period: 20, values: closes, stdDev: 2 });
      const tsBb = new ts.BollingerBands(20, 2);
      bars.forEach((b, i) => {
        const theirs = tsBb.update(b.c, false);
        const ours = snaps[i]?.bollinger ?? null;
        if (i < 19) {
          expect(ours).toBeNull();
          return;
        }
        const ref = lib[i - 19] as { upper: number; middle: number; lower: number; pb: number };
        expectClose(ours?.upper, ref.upper, 0, `upper #${i}`);
        expectClose(ours?.middle, ref.middle, 0, `middle #${i}`);
        expectClose(ours?.lower, ref.lower, 0, `lower #${i}`);
        expectClose(ours?.percentB, ref.pb, 1, `%B #${i}`);
        expectClose(ours?.upper, theirs?.upper as number, 0, `upper #${i} vs trading-signals`);
        expectClose(ours?.lower, theirs?.lower as number, 0, `lower #${i} vs trading-signals`);
      });
    });

    it('realised volatility and rolling VWAP equal a two-pass computation over each window', () => {
      const logReturns = closes.map((c, i) => (i === 0 ? 0 : Math.log(c / (closes[i - 1] as number))));
      const twoPassVol = (end: number, n: number) => {
        const xs = logReturns.slice(end - n + 1, end + 1);
        const mean = xs.reduce((a, b) => a + b, 0) / n;
        const ss = xs.reduce((a, x) => a + (x - mean) ** 2, 0);
        return Math.sqrt(ss / (n - 1)) * Math.sqrt(252);
      };
      for (let i = 0; i < bars.length; i++) {
        const s = snaps[i] as IndicatorSnapshot;
        if (i < 20) expect(s.realizedVol).toBeNull();
        else expectClose(s.realizedVol, twoPassVol(i, 20), 0, `rv #${i}`);
        if (i < 60) expect(s.realizedVolLong).toBeNull();
        else expectClose(s.realizedVolLong, twoPassVol(i, 60), 0, `rv long #${i}`);
        if (i < 19) expect(s.rollingVwap).toBeNull();
        else {
          const w = bars.slice(i - 19, i + 1);
          const pv = w.reduce((a, b) => a + ((b.h + b.l + b.c) / 3) * b.v, 0);
          const v = w.reduce((a, b) => a + b.v, 0);
          expectClose(s.rollingVwap, pv / v, 0, `rolling VWAP #${i}`);
        }
      }
    });
  },
);

describe.skipIf(!fs.existsSync(AAPL_1MIN))('InternLM2 session VWAP vs trading-signals (AAPL 1-minute)', () => {
  it('resets at each UTC day and equals a fresh library VWAP per session', () => {
    const bars = readBarsCsv(AAPL_1MIN);
    const snaps = computeIndicators(bars, { timeframe: '1m' }).snapshots;
    const byDay = new Map<number, Bar[]>();
    for (const b of bars) {
      const day = Math.floor(b.t / 86_400_000);
      byDay.set(day, [...(byDay.get(day) ?? []), b]);
    }
    expect(byDay.size).toBeGreaterThan(3);
    let i = 0;
    for (const dayBars of byDay.values()) {
      const lib = new ts.VWAP();
      // The session's first bar: VWAP is that bar's typical price, whatever came the day before.
      const first = dayBars[0] as Bar;
      expectClose(snaps[i]?.vwap, (first.h + first.l + first.c) / 3, 0, 'first bar of session');
      for (const b of dayBars) {
        const theirs = lib.update({ high: b.h, low: b.l, close: b.c, volume: b.v }, false);
        if (theirs !== null) expectClose(snaps[i]?.vwap, theirs, 0, `VWAP #${i}`);
        i++;
      }
    }
    expect(i).toBe(bars.length);
  });
});
