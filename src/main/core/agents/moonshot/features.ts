/**
 * Per-bar measurements the pattern detectors share, computed once per call in O(n): candle anatomy, a Wilder ATR
 * that every size threshold is scaled by (so that "a long body" means the same on a $2 stock and a $2 000 one, and
 * on 1-minute and daily bars), the average volume, and a trend score for reversal patterns' context.
 */
import type { Bar } from '../../../../shared/domain/market';

export interface Features {
  n: number;
  o: Float64Array;
  h: Float64Array;
  l: Float64Array;
  c: Float64Array;
  v: Float64Array;
  /** |close − open|. */
  body: Float64Array;
  /** high − low. */
  range: Float64Array;
  /** high − max(open, close). */
  upper: Float64Array;
  /** min(open, close) − low. */
  lower: Float64Array;
  /** Wilder ATR including bar i; before `atrPeriod` bars, the mean true range so far. Never 0 for real bars. */
  atr: Float64Array;
  /** Mean volume of the `volumePeriod` bars before bar i (0 when there are none). */
  avgVolume: Float64Array;
  /** Net close move over the `trendBars` bars ending at bar i, in ATRs of bar i (0 without enough history). */
  trendMove: Float64Array;
  /**
   * t-statistic of the least-squares slope of those closes: how clearly they trend rather than jump around. On
   * sideways noise |t| ≥ 2 is rare (about 5% of bars for 7 closes); a real decline scores well beyond it.
   */
  trendT: Float64Array;
}

export function computeFeatures(bars: readonly Bar[], atrPeriod = 14, trendBars = 7, volumePeriod = 20): Features {
  const n = bars.length;
  const f: Features = {
    n,
    o: new Float64Array(n),
    h: new Float64Array(n),
    l: new Float64Array(n),
    c: new Float64Array(n),
    v: new Float64Array(n),
    body: new Float64Array(n),
    range: new Float64Array(n),
    upper: new Float64Array(n),
    lower: new Float64Array(n),
    atr: new Float64Array(n),
    avgVolume: new Float64Array(n),
    trendMove: new Float64Array(n),
    trendT: new Float64Array(n),
  };
  let atr = 0;
  let volSum = 0;
  for (let i = 0; i < n; i++) {
    const b = bars[i] as Bar;
    f.o[i] = b.o;
    f.h[i] = b.h;
    f.l[i] = b.l;
    f.c[i] = b.c;
    f.v[i] = b.v;
    const top = Math.max(b.o, b.c);
    const bottom = Math.min(b.o, b.c);
    f.body[i] = top - bottom;
    f.range[i] = b.h - b.l;
    f.upper[i] = Math.max(0, b.h - top);
    f.lower[i] = Math.max(0, bottom - b.l);
    const prevClose = i > 0 ? (bars[i - 1] as Bar).c : b.c;
    const tr = Math.max(b.h - b.l, Math.abs(b.h - prevClose), Math.abs(b.l - prevClose));
    atr = i < atrPeriod ? (atr * i + tr) / (i + 1) : (atr * (atrPeriod - 1) + tr) / atrPeriod;
    // A run of identical bars has no range; a floor keeps ratios finite without inventing volatility.
    f.atr[i] = atr > 0 ? atr : Math.max(b.c * 1e-6, 1e-12);
    f.avgVolume[i] = i === 0 ? 0 : volSum / Math.min(i, volumePeriod);
    volSum += b.v;
    if (i >= volumePeriod) volSum -= (bars[i - volumePeriod] as Bar).v;
  }
  fillTrend(f, Math.max(3, trendBars));
  return f;
}

function fillTrend(f: Features, m: number): void {
  // x = 0..m−1 over the m closes ending at bar i.
  const sx = (m * (m - 1)) / 2;
  const sxx = ((m - 1) * m * (2 * m - 1)) / 6;
  const denom = m * sxx - sx * sx;
  for (let i = m - 1; i < f.n; i++) {
    let sy = 0;
    let sxy = 0;
    let syy = 0;
    const base = f.c[i - m + 1] as number;
    for (let k = 0; k < m; k++) {
      const y = (f.c[i - m + 1 + k] as number) - base;
      sy += y;
      sxy += k * y;
      syy += y * y;
    }
    const slope = (m * sxy - sx * sy) / denom;
    const intercept = (sy - slope * sx) / m;
    const ssr = Math.max(0, syy - intercept * sy - slope * sxy);
    const se = Math.sqrt(ssr / (m - 2) / (sxx - (sx * sx) / m));
    f.trendMove[i] = ((f.c[i] as number) - base) / (f.atr[i] as number);
    // A perfectly straight run has no residual: cap the statistic instead of dividing by zero.
    f.trendT[i] = se > 0 ? Math.max(-100, Math.min(100, slope / se)) : slope > 0 ? 100 : slope < 0 ? -100 : 0;
  }
}

/**
 * Strength in [0, 1] of the trend that ends at bar `end` in `direction` (−1 down, 1 up): 0 unless the closes moved
 * at least `minAtr` ATRs that way with a slope t-statistic of at least 2, rising to 1 for a clean move of three
 * ATRs more with |t| ≥ 5. Sideways noise scores 0 on almost every bar.
 */
export function trendStrength(f: Features, end: number, direction: 1 | -1, minAtr: number): number {
  if (end < 0) return 0;
  const move = direction * (f.trendMove[end] as number);
  const t = direction * (f.trendT[end] as number);
  if (move < minAtr || t < 2) return 0;
  return Math.max(0.05, Math.min(clamp01((move - minAtr) / 3), clamp01((t - 2) / 3)));
}

/** Mean of `values` over [from, to] inclusive (clamped to the array). */
export function meanOver(values: Float64Array, from: number, to: number): number {
  const a = Math.max(0, from);
  const b = Math.min(values.length - 1, to);
  if (b < a) return 0;
  let s = 0;
  for (let i = a; i <= b; i++) s += values[i] as number;
  return s / (b - a + 1);
}

export function clamp01(x: number): number {
  return Math.min(Math.max(x, 0), 1);
}
