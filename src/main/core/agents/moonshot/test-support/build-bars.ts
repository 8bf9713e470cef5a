/**
 * Test-only builders for hand-drawn bar sequences: a piecewise-linear close path, explicit candles, and the mirror
 * image of a series (a bullish pattern reflected is its bearish twin, with the same ATR and volumes).
 */
import type { Bar } from '../../../../../shared/domain/market';

const DAY = 86_400_000;
const T0 = Date.UTC(2022, 0, 3);

export type Candle = [o: number, h: number, l: number, c: number, v?: number];

/** Bars from explicit candles, one day apart (volume 1000 unless given). */
export function candles(list: readonly Candle[], t0 = T0): Bar[] {
  return list.map(([o, h, l, c, v], i) => ({ t: t0 + i * DAY, o, h, l, c, v: v ?? 1000 }));
}

/**
 * Bars whose closes follow straight segments through `points` ([bar index, close]); each bar opens at the previous
 * close and its wicks reach `wick` beyond the body. `volume(i)` sets each bar's volume.
 */
export function pathBars(
  points: readonly [number, number][],
  options: { wick?: number; volume?: (i: number) => number; t0?: number } = {},
): Bar[] {
  const { wick = 0.5, volume = () => 1000, t0 = T0 } = options;
  const closes: number[] = [];
  for (let k = 0; k + 1 < points.length; k++) {
    const [i0, p0] = points[k] as [number, number];
    const [i1, p1] = points[k + 1] as [number, number];
    for (let i = i0; i < i1; i++) closes[i] = p0 + ((p1 - p0) * (i - i0)) / (i1 - i0);
  }
  const [lastI, lastP] = points.at(-1) as [number, number];
  closes[lastI] = lastP;
  return closes.map((c, i) => {
    const o = i === 0 ? c : (closes[i - 1] as number);
    return { t: t0 + i * DAY, o, h: Math.max(o, c) + wick, l: Math.min(o, c) - wick, c, v: volume(i) };
  });
}

/** Reflects every price around `pivot / 2` (p → pivot − p): highs become lows, rallies become declines. */
export function mirrorBars(bars: readonly Bar[], pivot = 300): Bar[] {
  return bars.map((b) => ({ t: b.t, o: pivot - b.o, h: pivot - b.l, l: pivot - b.h, c: pivot - b.c, v: b.v }));
}

/** A steady decline of `count` bars ending at close `end`: bearish bodies of half a step, closes one step apart. */
export function declineInto(end: number, count = 12, step = 1): Candle[] {
  return Array.from({ length: count }, (_, k) => {
    const c = end + (count - 1 - k) * step;
    const o = c + 0.5 * step;
    return [o, o + 0.2 * step, c - 0.2 * step, c, 1000] as Candle;
  });
}

/** A sideways stretch around `level`: small alternating bodies, no trend. */
export function sidewaysAt(level: number, count = 12): Candle[] {
  return Array.from({ length: count }, (_, k) => {
    const o = level + (k % 2 === 0 ? -0.3 : 0.3);
    const c = level + (k % 2 === 0 ? 0.3 : -0.3);
    return [o, Math.max(o, c) + 0.3, Math.min(o, c) - 0.3, c, 1000] as Candle;
  });
}
