/**
 * Chart patterns: double tops/bottoms and head-and-shoulders on ATR-scaled swing points, flags from a steep pole
 * and a shallow counter-trend consolidation, and breakouts from a tight range. Each detector is written once for the
 * bullish-to-bearish-reversal (or bullish-continuation) orientation and run twice: on the bars and on their mirror
 * image (prices negated), which turns a double top detector into a double bottom detector without a second copy of
 * the geometry. Every price handed out is mapped back with `sign`.
 *
 * Confidence is a weighted sum of how well the geometry fits (symmetry, depth, neckline slope, tightness), volume
 * confirmation, and whether price has already broken the confirming level: a pattern still forming scores at most
 * 0.75 (a breakout that has not yet held for `breakoutHoldBars`, at most 0.85). Reversal patterns (double tops,
 * head and shoulders) are also discounted without a clear trend before them, which keeps the equal highs of a
 * sideways range from passing as tops.
 */
import type { ChartPatternKind, PatternHit, PatternLine, PatternPoint } from '../../../../shared/domain/analysis';
import type { Bar } from '../../../../shared/domain/market';
import { clamp01, type Features, meanOver } from './features';
import { makeHit } from './pattern-info';
import { findSwings, type Swing } from './swings';

export interface ChartOptions {
  /** Zigzag reversal for swing points, in ATRs. */
  swingAtr: number;
  /** Two peaks within this many ATRs are "equal" (double top/bottom). */
  peakToleranceAtr: number;
  /** Flag: the pole must rise at least this many ATRs (of the bar where it starts)... */
  poleAtr: number;
  /** ...within this many bars. */
  poleMaxBars: number;
  flagMinBars: number;
  flagMaxBars: number;
  /** The flag may give back at most this fraction of the pole. */
  flagMaxRetrace: number;
  /** Range before a breakout: at least `rangeMinBars` bars no wider than `rangeAtr` ATRs. */
  rangeMinBars: number;
  rangeMaxBars: number;
  rangeAtr: number;
  /** A breakout must hold (no close back inside the range) for this many bars to be confirmed. */
  breakoutHoldBars: number;
}

/** One orientation of the bars: `f` as given (sign 1) or mirrored (sign −1, every price negated). */
interface Side {
  f: Features;
  sign: 1 | -1;
  swings: Swing[];
}

export function mirrorFeatures(f: Features): Features {
  const neg = (a: Float64Array) => a.map((x) => -x);
  return {
    n: f.n,
    o: neg(f.o),
    h: neg(f.l),
    l: neg(f.h),
    c: neg(f.c),
    v: f.v,
    body: f.body,
    range: f.range,
    upper: f.lower,
    lower: f.upper,
    atr: f.atr,
    avgVolume: f.avgVolume,
    trendMove: neg(f.trendMove),
    trendT: neg(f.trendT),
  };
}

type Emit = (hit: PatternHit) => void;

/** Volume around bar i (five bars), for "the second peak came on lighter volume". */
function volumeAround(f: Features, i: number): number {
  return meanOver(f.v, i - 2, i + 2);
}

function line(label: string, sign: number, i: number, p: number, j: number, q: number): PatternLine {
  return { label, startIndex: i, endIndex: j, startPrice: sign * p, endPrice: sign * q };
}

function point(label: string, sign: number, index: number, price: number): PatternPoint {
  return { label, index, price: sign * price };
}

/**
 * How clearly a reversal pattern has a trend to reverse: the rise into bar `index` from the lowest low of the
 * `lookback` bars before it, in ATRs, scored 0 at 3 ATRs (what sideways noise produces) and 1 at 7.
 */
function priorTrendScore(f: Features, index: number, price: number, lookback: number): number {
  let lowest = Infinity;
  for (let i = Math.max(0, index - lookback); i <= index; i++) lowest = Math.min(lowest, f.l[i] as number);
  return clamp01(((price - lowest) / (f.atr[index] as number) - 3) / 4);
}

/** Swings usable as pattern corners: the open last extreme only once price has pulled back an ATR from it. */
function usableSwings(f: Features, swings: Swing[]): Swing[] {
  const last = swings.at(-1);
  if (!last || last.confirmed) return swings;
  const close = f.c[f.n - 1] as number;
  const pulledBack = Math.abs(close - last.price) >= (f.atr[f.n - 1] as number);
  return pulledBack ? swings : swings.slice(0, -1);
}

/** Double top on this side (a double bottom on the mirror). */
function detectDoubleTop(bars: readonly Bar[], side: Side, o: ChartOptions, kind: ChartPatternKind, emit: Emit): void {
  const { f, sign } = side;
  const sw = usableSwings(f, side.swings);
  for (let k = 0; k + 2 < sw.length; k++) {
    const p1 = sw[k] as Swing;
    const trough = sw[k + 1] as Swing;
    const p2 = sw[k + 2] as Swing;
    if (p1.type !== 'high') continue;
    const a = f.atr[p2.index] as number;
    const span = p2.index - p1.index;
    const diff = Math.abs(p1.price - p2.price);
    if (span < 5 || span > 150 || diff > o.peakToleranceAtr * a) continue;
    const top = Math.max(p1.price, p2.price);
    const depth = Math.min(p1.price, p2.price) - trough.price;
    if (depth < 1.5 * a) continue;
    const prior = priorTrendScore(f, p1.index, p1.price, Math.max(20, span));

    const neck = trough.price;
    let end = -1;
    let confirmed = false;
    let invalid = false;
    const last = Math.min(f.n - 1, p2.index + span);
    for (let j = p2.index + 1; j <= last; j++) {
      if ((f.c[j] as number) < neck) {
        confirmed = true;
        end = j;
        break;
      }
      if ((f.h[j] as number) > top + 0.5 * a) {
        invalid = true;
        break;
      }
    }
    if (invalid) continue;
    if (!confirmed) {
      // Neither broken nor failed: still forming only if the data ends inside the window.
      if (last < f.n - 1) continue;
      end = f.n - 1;
    }
    const sym = 1 - diff / (o.peakToleranceAtr * a);
    const depthScore = clamp01((depth / a - 1.5) / 3);
    const vol = clamp01((volumeAround(f, p1.index) / Math.max(volumeAround(f, p2.index), 1e-12) - 1) / 0.5);
    // Without an advance before it, two equal highs are just the top of a range.
    const conf = (0.25 + 0.3 * sym + 0.1 * depthScore + 0.1 * vol + (confirmed ? 0.25 : 0)) * (0.55 + 0.45 * prior);
    const height = top - neck;
    emit(
      makeHit(bars, kind, p1.index, end, conf, confirmed, {
        lines: [line('neckline', sign, p1.index, neck, end, neck)],
        points: [
          point(sign > 0 ? 'first peak' : 'first trough', sign, p1.index, p1.price),
          point(sign > 0 ? 'trough' : 'peak', sign, trough.index, trough.price),
          point(sign > 0 ? 'second peak' : 'second trough', sign, p2.index, p2.price),
        ],
        breakoutLevel: sign * neck,
        target: sign * (neck - height),
        invalidation: sign * top,
        metrics: {
          peakDifferenceAtr: diff / a,
          depthAtr: depth / a,
          barsBetweenPeaks: span,
          volumeRatioFirstToSecond: volumeAround(f, p1.index) / Math.max(volumeAround(f, p2.index), 1e-12),
          priorTrend: prior,
        },
      }),
    );
  }
}

/** Head and shoulders on this side (the inverse on the mirror). */
function detectHeadAndShoulders(
  bars: readonly Bar[],
  side: Side,
  _options: ChartOptions,
  kind: ChartPatternKind,
  emit: Emit,
): void {
  const { f, sign } = side;
  const sw = usableSwings(f, side.swings);
  for (let k = 0; k + 4 < sw.length; k++) {
    const [ls, t1, head, t2, rs] = sw.slice(k, k + 5) as [Swing, Swing, Swing, Swing, Swing];
    if (ls.type !== 'high') continue;
    const a = f.atr[head.index] as number;
    const shoulderTop = Math.max(ls.price, rs.price);
    const headOver = head.price - shoulderTop;
    const shoulderDiff = Math.abs(ls.price - rs.price);
    if (headOver < 0.5 * a || shoulderDiff > 1.5 * a) continue;
    const slope = (t2.price - t1.price) / (t2.index - t1.index);
    const neckAt = (j: number) => t1.price + slope * (j - t1.index);
    const neckDrop = Math.abs(t2.price - t1.price);
    const headHeight = head.price - neckAt(head.index);
    if (neckDrop > 0.6 * headHeight) continue;
    // Shoulders must stand above the neckline where they are.
    if (ls.price <= neckAt(ls.index) + 0.5 * a || rs.price <= neckAt(rs.index) + 0.5 * a) continue;
    const left = head.index - ls.index;
    const right = rs.index - head.index;
    const timeSym = Math.min(left, right) / Math.max(left, right);
    if (timeSym < 0.33) continue;

    let end = -1;
    let confirmed = false;
    let invalid = false;
    const last = Math.min(f.n - 1, rs.index + (rs.index - ls.index));
    for (let j = rs.index + 1; j <= last; j++) {
      if ((f.c[j] as number) < neckAt(j)) {
        confirmed = true;
        end = j;
        break;
      }
      if ((f.h[j] as number) > head.price) {
        invalid = true;
        break;
      }
    }
    if (invalid) continue;
    if (!confirmed) {
      if (last < f.n - 1) continue;
      end = f.n - 1;
    }
    const prior = priorTrendScore(f, ls.index, ls.price, Math.max(20, rs.index - ls.index));
    const shoulderSym = 1 - shoulderDiff / (1.5 * a);
    const headScore = clamp01(headOver / (1.5 * a));
    const flat = 1 - neckDrop / (0.6 * headHeight);
    const volRatio = volumeAround(f, ls.index) / Math.max(volumeAround(f, rs.index), 1e-12);
    const vol = clamp01((volRatio - 1) / 0.5);
    const geometry =
      0.2 + 0.15 * shoulderSym + 0.1 * timeSym + 0.1 * headScore + 0.1 * flat + 0.1 * vol + (confirmed ? 0.25 : 0);
    const conf = geometry * (0.55 + 0.45 * prior);
    const neckEnd = neckAt(end);
    emit(
      makeHit(bars, kind, ls.index, end, conf, confirmed, {
        lines: [line('neckline', sign, t1.index, t1.price, end, neckEnd)],
        points: [
          point('left shoulder', sign, ls.index, ls.price),
          point('head', sign, head.index, head.price),
          point('right shoulder', sign, rs.index, rs.price),
          point('neckline 1', sign, t1.index, t1.price),
          point('neckline 2', sign, t2.index, t2.price),
        ],
        breakoutLevel: sign * neckEnd,
        target: sign * (neckEnd - headHeight),
        invalidation: sign * rs.price,
        metrics: {
          headAboveShouldersAtr: headOver / a,
          shoulderDifferenceAtr: shoulderDiff / a,
          timeSymmetry: timeSym,
          headHeightAtr: headHeight / a,
          volumeRatioLeftToRight: volRatio,
          priorTrend: prior,
        },
      }),
    );
  }
}

/** Least-squares slope of `values` over [from, to] per bar. */
function slopeOver(values: Float64Array, from: number, to: number): { slope: number; intercept: number } {
  const m = to - from + 1;
  if (m < 2) return { slope: 0, intercept: values[from] as number };
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let i = from; i <= to; i++) {
    const x = i - from;
    const y = values[i] as number;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  const slope = (m * sxy - sx * sy) / (m * sxx - sx * sx);
  return { slope, intercept: (sy - slope * sx) / m };
}

/** Bull flag on this side (a bear flag on the mirror). */
function detectFlag(bars: readonly Bar[], side: Side, o: ChartOptions, kind: ChartPatternKind, emit: Emit): void {
  const { f, sign } = side;
  const { h, l, c, v, atr, n } = f;
  for (let p = 1; p < n - o.flagMinBars; p++) {
    // The pole top is a local high (the first bar of a flat top).
    if ((h[p] as number) <= (h[p - 1] as number) || (h[p] as number) < (h[p + 1] as number)) continue;
    let s = -1;
    let lowest = Infinity;
    let topOk = true;
    for (let i = p - 1; i >= Math.max(0, p - o.poleMaxBars); i--) {
      if ((h[i] as number) > (h[p] as number)) {
        topOk = false;
        break;
      }
      if ((l[i] as number) < lowest) {
        lowest = l[i] as number;
        s = i;
      }
    }
    if (!topOk || s < 0) continue;
    const a = atr[Math.max(0, s - 1)] as number;
    const pole = (h[p] as number) - lowest;
    if (pole < o.poleAtr * a) continue;

    let flagHi = -Infinity;
    let flagLo = Infinity;
    let len = 0;
    let end = -1;
    let confirmed = false;
    let invalid = false;
    const last = Math.min(n - 1, p + o.flagMaxBars + 1);
    for (let j = p + 1; j <= last; j++) {
      if (len >= o.flagMinBars && (c[j] as number) > flagHi) {
        confirmed = true;
        end = j;
        break;
      }
      if ((h[j] as number) > (h[p] as number) || len >= o.flagMaxBars) {
        invalid = true;
        break;
      }
      flagHi = Math.max(flagHi, h[j] as number);
      flagLo = Math.min(flagLo, l[j] as number);
      len++;
      if ((h[p] as number) - flagLo > o.flagMaxRetrace * pole) {
        invalid = true;
        break;
      }
    }
    if (invalid) continue;
    if (!confirmed) {
      if (last < n - 1 || len < o.flagMinBars) continue;
      end = n - 1;
    }
    const flagEnd = p + len;
    const closes = slopeOver(c, p + 1, flagEnd);
    const aFlag = atr[p] as number;
    // A flag drifts against the pole or sideways; one that keeps rising is just the trend going on.
    if (closes.slope > 0.15 * aFlag) continue;
    const width = flagHi - flagLo;
    if (width > 0.6 * pole) continue;
    const retrace = ((h[p] as number) - flagLo) / pole;
    const poleVol = meanOver(v, s, p);
    const flagVol = meanOver(v, p + 1, flagEnd);
    const volDrop = poleVol > 0 ? 1 - flagVol / poleVol : 0;
    // A flagpole is a burst: steep (ATRs per bar) as well as tall.
    const steepness = pole / a / (p - s);
    const conf =
      0.15 +
      0.1 * clamp01(pole / a / 6) +
      0.1 * clamp01(steepness) +
      0.15 * clamp01(1 - retrace / o.flagMaxRetrace) +
      0.1 * clamp01(1 - (closes.slope + 0.05 * aFlag) / (0.2 * aFlag)) +
      0.1 * clamp01(volDrop / 0.4) +
      0.05 * clamp01(1 - width / (0.6 * pole)) +
      (confirmed ? 0.25 : 0);
    const highs = slopeOver(h, p + 1, flagEnd);
    const lows = slopeOver(l, p + 1, flagEnd);
    const at = (fit: { slope: number; intercept: number }, i: number) => fit.intercept + fit.slope * (i - p - 1);
    emit(
      makeHit(bars, kind, s, end, conf, confirmed, {
        lines: [
          line('flagpole', sign, s, lowest, p, h[p] as number),
          line('flag top', sign, p + 1, at(highs, p + 1), flagEnd, at(highs, flagEnd)),
          line('flag bottom', sign, p + 1, at(lows, p + 1), flagEnd, at(lows, flagEnd)),
        ],
        points: [point('pole start', sign, s, lowest), point('pole top', sign, p, h[p] as number)],
        breakoutLevel: sign * flagHi,
        target: sign * (flagHi + pole),
        invalidation: sign * flagLo,
        metrics: {
          poleAtr: pole / a,
          poleBars: p - s,
          poleAtrPerBar: steepness,
          flagBars: len,
          retracement: retrace,
          flagSlopeAtrPerBar: closes.slope / aFlag,
          flagVolumeToPole: poleVol > 0 ? flagVol / poleVol : 0,
        },
      }),
    );
  }
}

/** Breakout up from a tight range on this side (down on the mirror). */
function detectBreakout(bars: readonly Bar[], side: Side, o: ChartOptions, kind: ChartPatternKind, emit: Emit): void {
  const { f, sign } = side;
  const { h, l, c, v, atr, n } = f;
  for (let b = o.rangeMinBars; b < n; b++) {
    const a = atr[b - 1] as number;
    // The range includes the previous bar, so a close that does not clear its high cannot be a breakout.
    if ((c[b] as number) <= (h[b - 1] as number) + 0.1 * a) continue;
    const limit = o.rangeAtr * a;
    let hi = -Infinity;
    let lo = Infinity;
    let best = -1;
    let bestHi = 0;
    let bestLo = 0;
    for (let k = 1; k <= o.rangeMaxBars && b - k >= 0; k++) {
      hi = Math.max(hi, h[b - k] as number);
      lo = Math.min(lo, l[b - k] as number);
      if (hi - lo > limit) break;
      if (k >= o.rangeMinBars) {
        best = k;
        bestHi = hi;
        bestLo = lo;
      }
    }
    if (best < 0) continue;
    const close = c[b] as number;
    if (close <= bestHi + 0.1 * a) continue;
    // Follow-through: a close back inside the range within the next bars makes it a failed breakout, not a
    // breakout. Too few bars after it (the breakout is on the latest bars) leaves it unconfirmed.
    let failed = false;
    const holdEnd = Math.min(n - 1, b + o.breakoutHoldBars);
    for (let j = b + 1; j <= holdEnd; j++) if ((c[j] as number) <= bestHi) failed = true;
    if (failed) continue;
    const held = b + o.breakoutHoldBars <= n - 1;
    const start = b - best;
    let touches = 0;
    for (let i = start; i < b; i++) if ((h[i] as number) >= bestHi - 0.25 * a) touches++;
    const rangeVol = meanOver(v, start, b - 1);
    const volRatio = rangeVol > 0 ? (v[b] as number) / rangeVol : 1;
    const width = bestHi - bestLo;
    const conf =
      0.15 +
      0.15 * clamp01((best - o.rangeMinBars) / 30) +
      0.15 * clamp01(1 - width / limit) +
      0.1 * clamp01((touches - 1) / 3) +
      0.15 * clamp01((close - bestHi) / a) +
      0.15 * clamp01(volRatio - 1) +
      (held ? 0.15 : 0);
    emit(
      makeHit(bars, kind, start, b, conf, held, {
        lines: [
          line(sign > 0 ? 'resistance' : 'support', sign, start, bestHi, b, bestHi),
          line(sign > 0 ? 'support' : 'resistance', sign, start, bestLo, b, bestLo),
        ],
        points: [point('breakout close', sign, b, close)],
        breakoutLevel: sign * bestHi,
        target: sign * (bestHi + width),
        invalidation: sign * ((bestHi + bestLo) / 2),
        metrics: {
          rangeBars: best,
          rangeWidthAtr: width / a,
          breakoutAtr: (close - bestHi) / a,
          volumeRatio: volRatio,
          touches,
        },
      }),
    );
  }
}

export function detectChartPatterns(
  bars: readonly Bar[],
  f: Features,
  options: ChartOptions,
  wanted: (kind: ChartPatternKind) => boolean,
  out: PatternHit[],
): void {
  const push: Emit = (hit) => out.push(hit);
  const needSwings = ['double_top', 'double_bottom', 'head_and_shoulders', 'inverse_head_and_shoulders'].some((k) =>
    wanted(k as ChartPatternKind),
  );
  const up: Side = { f, sign: 1, swings: [] };
  const mirrored = mirrorFeatures(f);
  const down: Side = { f: mirrored, sign: -1, swings: [] };
  if (needSwings) {
    up.swings = findSwings(f, options.swingAtr);
    down.swings = findSwings(mirrored, options.swingAtr);
  }
  const pairs: [Side, ChartPatternKind, typeof detectFlag][] = [
    [up, 'double_top', detectDoubleTop],
    [down, 'double_bottom', detectDoubleTop],
    [up, 'head_and_shoulders', detectHeadAndShoulders],
    [down, 'inverse_head_and_shoulders', detectHeadAndShoulders],
    [up, 'bull_flag', detectFlag],
    [down, 'bear_flag', detectFlag],
    [up, 'breakout_up', detectBreakout],
    [down, 'breakout_down', detectBreakout],
  ];
  for (const [side, kind, detect] of pairs) if (wanted(kind)) detect(bars, side, options, kind, push);
}
