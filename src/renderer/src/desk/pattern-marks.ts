/**
 * Turns Moonshot's pattern scan (`PatternHit[]`, the Moonshot slot's value in a pattern or comprehensive answer)
 * into what the chart draws. The scan's lines and points are indexed into the window of bars it analysed, which the
 * desk never sees; they are placed in time by finding a hit's last bar (`endT`) among the same series' bars and
 * counting from there, so that session gaps and weekends cannot shift them (times are never extrapolated).
 */
import type { PatternHit } from '../../../shared/domain/analysis';

export interface PatternMarkLine {
  label: string;
  startT: number;
  endT: number;
  startPrice: number;
  endPrice: number;
}

export interface PatternMarkPoint {
  label: string;
  t: number;
  price: number;
}

/** One recent pattern as the chart and its legend show it. Times are bar open times (UTC ms, market time). */
export interface PatternMark {
  /** `kind@endT`: the same pattern keeps its id while the scan moves on. */
  id: string;
  kind: PatternHit['kind'];
  name: string;
  category: PatternHit['category'];
  direction: PatternHit['direction'];
  confidence: number;
  confirmed: boolean;
  startT: number;
  endT: number;
  /** Completed bars of the series after the pattern's last bar (0: it ended on the newest bar). */
  barsAgo: number;
  lines: PatternMarkLine[];
  points: PatternMarkPoint[];
  breakoutLevel: number | null;
  target: number | null;
  invalidation: number | null;
}

/** How recent a pattern must be to be marked: chart patterns span many bars and stay relevant longer. */
export const RECENT_CHART_PATTERN_BARS = 120;
export const RECENT_CANDLESTICK_BARS = 10;
/** Most patterns marked at once: the chart stays readable. */
export const MAX_PATTERN_MARKS = 6;

/** Index of the bar that opened exactly at `t`, or -1. */
function exactIndex(bars: readonly { t: number }[], t: number): number {
  let lo = 0;
  let hi = bars.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const mt = (bars[mid] as { t: number }).t;
    if (mt === t) return mid;
    if (mt < t) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Bars that opened after `t`. */
function barsAfter(bars: readonly { t: number }[], t: number): number {
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((bars[mid] as { t: number }).t <= t) lo = mid + 1;
    else hi = mid;
  }
  return bars.length - lo;
}

/**
 * Where window index 0 sits in `bars`: found from a hit whose first and last bars both match, or null when the
 * scan's bars are not among `bars` (another series, or history the desk did not load).
 */
function windowOffset(hits: readonly PatternHit[], bars: readonly { t: number }[]): number | null {
  const byEnd = [...hits].sort((a, b) => b.endIndex - a.endIndex);
  for (const hit of byEnd) {
    const end = exactIndex(bars, hit.endT);
    if (end < 0) continue;
    const offset = end - hit.endIndex;
    if (offset < 0) continue;
    if (bars[offset + hit.startIndex]?.t === hit.startT) return offset;
  }
  return null;
}

/**
 * The recent patterns of a scan, newest first (ties: the more confident first), placed in time on `bars` (the
 * completed bars of the scanned series and timeframe, ascending). Lines and points whose bars cannot be placed are
 * left out; the pattern itself is still listed.
 */
export function selectRecentPatterns(
  hits: readonly PatternHit[],
  bars: readonly { t: number }[],
  limits: { chartBars?: number; candleBars?: number; max?: number } = {},
): PatternMark[] {
  if (hits.length === 0 || bars.length === 0) return [];
  const chartBars = limits.chartBars ?? RECENT_CHART_PATTERN_BARS;
  const candleBars = limits.candleBars ?? RECENT_CANDLESTICK_BARS;
  const max = limits.max ?? MAX_PATTERN_MARKS;
  const offset = windowOffset(hits, bars);
  const timeAt = (index: number): number | null => (offset === null ? null : (bars[offset + index]?.t ?? null));

  const recent = hits
    .map((hit) => ({ hit, barsAgo: barsAfter(bars, hit.endT) }))
    .filter(({ hit, barsAgo }) => barsAgo < (hit.category === 'chart' ? chartBars : candleBars))
    .sort((a, b) => b.hit.endT - a.hit.endT || b.hit.confidence - a.hit.confidence);

  const seen = new Set<string>();
  const marks: PatternMark[] = [];
  for (const { hit, barsAgo } of recent) {
    const id = `${hit.kind}@${hit.endT}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const lines: PatternMarkLine[] = [];
    for (const line of hit.detail.lines) {
      const startT = timeAt(line.startIndex);
      const endT = timeAt(line.endIndex);
      if (startT === null || endT === null) continue;
      lines.push({ label: line.label, startT, endT, startPrice: line.startPrice, endPrice: line.endPrice });
    }
    const points: PatternMarkPoint[] = [];
    for (const point of hit.detail.points) {
      const t = timeAt(point.index);
      if (t !== null) points.push({ label: point.label, t, price: point.price });
    }
    marks.push({
      id,
      kind: hit.kind,
      name: hit.name,
      category: hit.category,
      direction: hit.direction,
      confidence: hit.confidence,
      confirmed: hit.confirmed,
      startT: hit.startT,
      endT: hit.endT,
      barsAgo,
      lines,
      points,
      breakoutLevel: hit.detail.breakoutLevel,
      target: hit.detail.target,
      invalidation: hit.detail.invalidation,
    });
    if (marks.length >= max) break;
  }
  return marks;
}
