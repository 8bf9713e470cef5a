import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type AnomalyKind, type IndicatorSnapshot, indicatorSnapshotSchema } from '../../../../shared/domain/analysis';
import type { Bar } from '../../../../shared/domain/market';
import { AppError } from '../../../../shared/result';
import {
  computeIndicators,
  createStreamState,
  extendStream,
  MODEL_VERSION,
  resolveStreamParams,
  restoreState,
  snapshotState,
  updateStream,
} from './stream';
import { AAPL_DAILY, readBarsCsv } from './test-support/read-csv';
import { syntheticBars } from './test-support/synthetic';

function expectBadInput(fn: () => unknown, message: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('BAD_INPUT');
    expect((e as AppError).message).toMatch(message);
    return;
  }
  expect.fail('expected a BAD_INPUT AppError');
}

const kinds = (s: IndicatorSnapshot): AnomalyKind[] => s.anomalies.map((a) => a.kind);

/** A quiet daily series: closes oscillate ±0.2% around 100, volumes alternate 1000/1100. */
function quietBars(count: number, t0 = Date.UTC(2021, 0, 4)): Bar[] {
  return Array.from({ length: count }, (_, i) => {
    const c = 100 * (1 + (i % 2 === 0 ? 0.002 : -0.002));
    const o = 100;
    return { t: t0 + i * 86_400_000, o, h: Math.max(o, c) + 0.1, l: Math.min(o, c) - 0.1, c, v: i % 2 ? 1100 : 1000 };
  });
}

describe('stream parameters', () => {
  it('fills defaults and refuses inconsistent or duplicate periods with BAD_INPUT', () => {
    const p = resolveStreamParams();
    expect(p.smaPeriods).toEqual([20, 50, 200]);
    expect(p.rsiPeriod).toBe(14);
    expectBadInput(() => resolveStreamParams({ macdFast: 26, macdSlow: 12 }), /macdFast/);
    expectBadInput(() => resolveStreamParams({ smaPeriods: [20, 20] }), /smaPeriods lists a period twice/);
    expectBadInput(() => resolveStreamParams({ rsiPeriod: 0 }), /rsiPeriod/);
    expectBadInput(() => createStreamState({ bbPeriod: 1.5 }), /bbPeriod/);
  });
});

describe('warm-up', () => {
  it('reports null until each indicator is defined, then a number', () => {
    const p = {
      smaPeriods: [3],
      emaPeriods: [4],
      rsiPeriod: 5,
      macdFast: 3,
      macdSlow: 6,
      macdSignal: 4,
      atrPeriod: 5,
      bbPeriod: 4,
      vwapPeriod: 3,
      rvPeriod: 4,
      rvShortPeriod: 3,
      rvLongPeriod: 7,
      volumePeriod: 5,
    };
    const snaps = computeIndicators(syntheticBars(20), p).snapshots;
    const firstDefined = (pick: (s: IndicatorSnapshot) => unknown) => snaps.findIndex((s) => pick(s) !== null);
    expect(firstDefined((s) => s.sma['3'])).toBe(2);
    expect(firstDefined((s) => s.ema['4'])).toBe(3);
    expect(firstDefined((s) => s.rsi)).toBe(5);
    expect(firstDefined((s) => s.atr)).toBe(5);
    expect(firstDefined((s) => s.macd)).toBe(5);
    expect(firstDefined((s) => s.macd?.signal ?? null)).toBe(8);
    expect(firstDefined((s) => s.bollinger)).toBe(3);
    expect(firstDefined((s) => s.rollingVwap)).toBe(2);
    expect(firstDefined((s) => s.realizedVol)).toBe(4);
    expect(firstDefined((s) => s.realizedVolLong)).toBe(7);
    expect(firstDefined((s) => s.volumeZ)).toBe(5);
    expect(firstDefined((s) => s.gapPct)).toBe(1);
    expect(snaps[0]?.vwap).not.toBeNull();
    expect(snaps.map((s) => s.index)).toEqual(snaps.map((_, i) => i));
  });

  it('gives RSI 50, zero volatility and no %B on a perfectly flat series', () => {
    const bars = Array.from({ length: 80 }, (_, i) => ({ t: i * 60_000, o: 10, h: 10, l: 10, c: 10, v: 5 }));
    const last = computeIndicators(bars, { timeframe: '1m' }).snapshots.at(-1) as IndicatorSnapshot;
    expect(last.rsi).toBe(50);
    expect(last.atr).toBe(0);
    expect(last.realizedVol).toBe(0);
    expect(last.bollinger?.percentB).toBeNull();
    expect(last.bollinger?.upper).toBe(10);
    expect(last.anomalies).toEqual([]);
  });
});

describe('bad bars', () => {
  it('refuses an out-of-order, duplicate or malformed bar and leaves the state as it was', () => {
    const bars = syntheticBars(30);
    const { state } = computeIndicators(bars);
    const before = JSON.stringify(state);
    const last = bars.at(-1) as Bar;
    expectBadInput(() => updateStream(state, { ...last }), /not after the previous bar/);
    expectBadInput(() => updateStream(state, { ...last, t: last.t - 1 }), /not after/);
    expectBadInput(() => updateStream(state, { ...last, t: last.t + 1, c: Number.NaN }), /non-finite/);
    expectBadInput(() => updateStream(state, { ...last, t: last.t + 1, o: -1 }), /non-positive/);
    expectBadInput(() => updateStream(state, { ...last, t: last.t + 1, h: 1, l: 2 }), /high 1 below low 2/);
    expect(JSON.stringify(state)).toBe(before);
  });
});

describe('snapshot and restore', () => {
  const bars = syntheticBars(3000, { seed: 11 });
  const straight = computeIndicators(bars);
  const straightJson = straight.snapshots.map((s) => JSON.stringify(s));

  it.each([0, 1, 14, 199, 200, 1777, 2999])('restoring after %i bars continues bit for bit', (k) => {
    const first = computeIndicators(bars.slice(0, k));
    // Through JSON text, as the cache stores it.
    const blob = JSON.stringify(snapshotState(first.state));
    const resumed = restoreState(JSON.parse(blob));
    const rest = extendStream(resumed, bars.slice(k));
    expect(rest.map((s) => JSON.stringify(s))).toEqual(straightJson.slice(k));
    expect(resumed).toStrictEqual(straight.state);
  });

  it('chained restores at every 64-bar block boundary equal one uninterrupted run', () => {
    let state = createStreamState();
    const out: string[] = [];
    for (let start = 0; start < bars.length; start += 64) {
      for (const s of extendStream(state, bars.slice(start, start + 64))) out.push(JSON.stringify(s));
      state = restoreState(JSON.parse(JSON.stringify(snapshotState(state))));
    }
    expect(out).toEqual(straightJson);
  });

  it('is a copy: updating the restored stream does not change the stored snapshot', () => {
    const { state } = computeIndicators(bars.slice(0, 100));
    const snap = snapshotState(state);
    const text = JSON.stringify(snap);
    const resumed = restoreState(snap);
    updateStream(resumed, bars[100] as Bar);
    expect(JSON.stringify(snap)).toBe(text);
  });

  it('refuses a blob that is not a stream state, is from another version, or contradicts its parameters', () => {
    const snap = snapshotState(computeIndicators(bars.slice(0, 300)).state);
    expectBadInput(() => restoreState({ hello: 1 }), /Not an InternLM2 stream state/);
    expectBadInput(() => restoreState({ ...snap, modelVersion: 'internlm2-stream-0.0.1' }), /recompute/);
    expect(snap.modelVersion).toBe(MODEL_VERSION);
    const shortRing = structuredClone(snap);
    shortRing.closes.buf.pop();
    expectBadInput(() => restoreState(shortRing), /ring closes/);
    const otherParams = structuredClone(snap);
    otherParams.params.bbPeriod = 30;
    expectBadInput(() => restoreState(otherParams), /window bb/);
    const nan = JSON.parse(JSON.stringify(snap).replace('"count":300', '"count":-1'));
    expectBadInput(() => restoreState(nan), /count/);
  });
});

describe('O(1) state', () => {
  it('does not grow with the number of bars consumed', () => {
    const state = createStreamState();
    const sizes: number[] = [];
    const bars = syntheticBars(100_000, { seed: 5, vol: 0.002 });
    bars.forEach((bar, i) => {
      updateStream(state, bar);
      if (i + 1 === 1_000 || i + 1 === 10_000 || i + 1 === 100_000) sizes.push(JSON.stringify(state).length);
    });
    // Every buffer is capped by its period (the longest is the 200-bar SMA).
    expect(state.closes.buf.length).toBe(200);
    expect(state.returns.buf.length).toBe(60);
    expect(state.count).toBe(100_000);
    // The serialised size only changes with the number of digits of the values, not with the bar count.
    const [a, b, c] = sizes as [number, number, number];
    expect(Math.abs(c - a) / a).toBeLessThan(0.05);
    expect(Math.abs(c - b) / b).toBeLessThan(0.05);
  });
});

describe('anomaly flags', () => {
  it('flags a volume spike against the previous bars only', () => {
    const bars = quietBars(30);
    const last = bars.at(-1) as Bar;
    const spike = { ...last, t: last.t + 86_400_000, v: 5000 };
    const snaps = computeIndicators([...bars, spike]).snapshots;
    expect(snaps.slice(0, 30).every((s) => !kinds(s).includes('volume_spike'))).toBe(true);
    const flag = snaps[30]?.anomalies.find((a) => a.kind === 'volume_spike');
    expect(flag?.value).toBeGreaterThan(3);
    expect(flag?.message).toMatch(/above its 20-bar average/);
    // A higher-than-usual but ordinary bar is not a spike.
    const mild = computeIndicators([...bars, { ...spike, v: 1150 }]).snapshots[30] as IndicatorSnapshot;
    expect(kinds(mild)).not.toContain('volume_spike');
  });

  it('flags gaps beyond the percent threshold or the ATR multiple, and ignores tick-sized gaps', () => {
    const bars = quietBars(30);
    const last = bars.at(-1) as Bar;
    const next = (o: number): Bar => ({ t: last.t + 86_400_000, o, h: o + 0.1, l: o - 0.1, c: o, v: 1000 });
    const at = (o: number) => computeIndicators([...bars, next(o)]).snapshots[30] as IndicatorSnapshot;
    const prev = last.c;
    expect(kinds(at(prev * 1.05))).toContain('gap_up');
    expect(kinds(at(prev * 0.95))).toContain('gap_down');
    // 1% is under the 2% threshold, but the quiet series' ATR is about 0.4, so 1% (≈ 1) is over 2 ATRs.
    const atrGap = at(prev * 1.01);
    expect(kinds(atrGap)).toContain('gap_up');
    expect(atrGap.anomalies[0]?.message).toMatch(/ATR/);
    // 0.3% is below the minimum gap whatever the ATR.
    expect(kinds(at(prev * 1.003))).toEqual([]);
    expect(at(prev * 1.05).gapPct).toBeCloseTo(0.05, 12);
  });

  it('flags a volatility burst when short realised volatility outruns the long one', () => {
    const calm = syntheticBars(100, { seed: 3, vol: 0.002 });
    const storm = syntheticBars(12, {
      seed: 4,
      vol: 0.03,
      start: calm.at(-1)?.c,
      t0: (calm.at(-1) as Bar).t + 86_400_000,
    });
    const snaps = computeIndicators([...calm, ...storm]).snapshots;
    expect(snaps.slice(0, 100).some((s) => kinds(s).includes('volatility_burst'))).toBe(false);
    const burst = snaps.slice(100).find((s) => kinds(s).includes('volatility_burst'));
    expect(burst).toBeDefined();
    const flag = burst?.anomalies.find((a) => a.kind === 'volatility_burst');
    expect(flag?.value).toBeGreaterThanOrEqual(2);
  });
});

describe('session VWAP and annualisation', () => {
  it('resets at the session boundary, which sessionOffsetMs moves', () => {
    const t0 = Date.UTC(2024, 4, 9, 22, 0);
    const bars: Bar[] = Array.from({ length: 240 }, (_, i) => {
      const c = 100 + (i % 7);
      return { t: t0 + i * 60_000, o: c, h: c + 1, l: c - 1, c, v: 100 + i };
    });
    const midnight = (Date.UTC(2024, 4, 10) - t0) / 60_000; // bar index of 00:00 UTC
    const utc = computeIndicators(bars, { timeframe: '1m' }).snapshots;
    const typical = (b: Bar) => (b.h + b.l + b.c) / 3;
    expect(utc[midnight]?.vwap).toBe(typical(bars[midnight] as Bar));
    expect(utc[midnight - 1]?.vwap).not.toBe(typical(bars[midnight - 1] as Bar));
    // A session that starts at 23:00 UTC (offset +1 h) resets an hour earlier.
    const shifted = computeIndicators(bars, { timeframe: '1m', sessionOffsetMs: 3_600_000 }).snapshots;
    expect(shifted[midnight - 60]?.vwap).toBe(typical(bars[midnight - 60] as Bar));
    expect(shifted[midnight]?.vwap).not.toBe(typical(bars[midnight] as Bar));
  });

  it('annualises with the timeframe default or the periodsPerYear override', () => {
    const bars = syntheticBars(40, { seed: 9 });
    const daily = computeIndicators(bars).snapshots.at(-1)?.realizedVol as number;
    const crypto = computeIndicators(bars, { periodsPerYear: 365 }).snapshots.at(-1)?.realizedVol as number;
    expect(crypto / daily).toBeCloseTo(Math.sqrt(365 / 252), 12);
  });
});

describe.skipIf(!fs.existsSync(AAPL_DAILY))('real data', () => {
  it('flags a plausible number of anomalies on AAPL 2004–2018', () => {
    const snaps = computeIndicators(readBarsCsv(AAPL_DAILY)).snapshots;
    // Every snapshot is what the API schema promises (finite numbers or null, never NaN).
    for (const s of snaps) expect(indicatorSnapshotSchema.parse(s)).toEqual(s);
    const counts: Record<string, number> = {};
    for (const s of snaps) for (const a of s.anomalies) counts[a.kind] = (counts[a.kind] ?? 0) + 1;
    console.log('AAPL daily anomaly counts', counts);
    // Rare events, not every other bar.
    for (const kind of ['volume_spike', 'gap_up', 'gap_down'] as const) {
      expect(counts[kind] ?? 0).toBeGreaterThan(10);
      expect(counts[kind] ?? 0).toBeLessThan(snaps.length * 0.1);
    }
    // Apple's 2008 crash: October 2008 opened with gaps down.
    const oct2008 = snaps.filter((s) => s.t >= Date.UTC(2008, 9, 1) && s.t < Date.UTC(2008, 10, 1));
    expect(oct2008.some((s) => kinds(s).includes('gap_down'))).toBe(true);
  });
});
