/**
 * Moonshot slot, built-in model: candlestick and chart pattern recognition over a bar series. Pure and
 * deterministic: the same bars and options always give the same hits in the same order, so results can be cached by
 * content. Work is O(n) for candlesticks and swings and O(n · window) for flags and ranges; 500 bars take about a
 * millisecond or less once warm.
 */
import {
  type CandlestickPatternKind,
  type ChartPatternKind,
  type PatternAnswer,
  type PatternHit,
  type PatternKind,
  patternKindSchema,
  patternKinds,
} from '../../../../shared/domain/analysis';
import type { Bar } from '../../../../shared/domain/market';
import { AppError } from '../../../../shared/result';
import { detectCandlesticks } from './candlesticks';
import { type ChartOptions, detectChartPatterns } from './chart-patterns';
import { computeFeatures } from './features';
import { MODEL_VERSION } from './model-version';
import { isCandlestickKind, patternInfo } from './pattern-info';

export { MODEL_VERSION };

export interface PatternOptions extends Partial<ChartOptions> {
  /** Only these kinds (default: all). */
  kinds?: readonly PatternKind[];
  /** Hits below this confidence are dropped (default 0.3). */
  minConfidence?: number;
  /** Bars over which the trend before a candlestick pattern is measured (default 7). */
  trendBars?: number;
  /** Minimum |trend| in ATRs for a reversal candlestick's context (default 1). */
  trendAtr?: number;
  atrPeriod?: number;
}

const defaults: Required<Omit<PatternOptions, 'kinds'>> = {
  minConfidence: 0.3,
  trendBars: 7,
  trendAtr: 1,
  atrPeriod: 14,
  swingAtr: 2,
  peakToleranceAtr: 1,
  poleAtr: 3,
  poleMaxBars: 15,
  flagMinBars: 3,
  flagMaxBars: 20,
  flagMaxRetrace: 0.5,
  rangeMinBars: 10,
  rangeMaxBars: 60,
  rangeAtr: 3,
  breakoutHoldBars: 2,
};

function resolve(options: PatternOptions): Required<Omit<PatternOptions, 'kinds'>> & { kinds: Set<PatternKind> } {
  const merged = { ...defaults, ...stripUndefined(options) };
  for (const [key, value] of Object.entries(merged)) {
    if (key === 'kinds') continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new AppError('BAD_INPUT', `Pattern option ${key} must be a non-negative number`);
    }
  }
  if (merged.minConfidence > 1) throw new AppError('BAD_INPUT', 'Pattern option minConfidence must be at most 1');
  for (const key of [
    'poleMaxBars',
    'flagMinBars',
    'flagMaxBars',
    'rangeMinBars',
    'rangeMaxBars',
    'trendBars',
    'atrPeriod',
    'breakoutHoldBars',
  ] as const) {
    if (!Number.isInteger(merged[key]) || merged[key] < 1) {
      throw new AppError('BAD_INPUT', `Pattern option ${key} must be a whole number of bars, at least 1`);
    }
  }
  const kinds = new Set<PatternKind>();
  for (const kind of options.kinds ?? patternKinds) {
    const parsed = patternKindSchema.safeParse(kind);
    if (!parsed.success) {
      throw new AppError('BAD_INPUT', `Unknown pattern ${String(kind)}; known: ${patternKinds.join(', ')}`);
    }
    kinds.add(parsed.data);
  }
  return { ...merged, kinds };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function checkBars(bars: readonly Bar[]): void {
  for (let i = 0; i < bars.length; i++) {
    const b = bars[i] as Bar;
    if (![b.o, b.h, b.l, b.c].every((x) => Number.isFinite(x) && x > 0) || !(b.v >= 0) || b.h < b.l) {
      throw new AppError('BAD_INPUT', `Bar ${i} (t=${b.t}) has a missing, non-positive or inconsistent price`);
    }
    if (i > 0 && b.t <= (bars[i - 1] as Bar).t) {
      throw new AppError('BAD_INPUT', `Bars must be in time order without duplicates (bar ${i}, t=${b.t})`);
    }
  }
}

/**
 * Among hits of one kind whose spans overlap by more than half of the shorter one, keeps the most confident (the
 * same double top seen from two neighbouring swing sets, a breakout confirmed on two consecutive bars).
 */
function dedupe(hits: PatternHit[]): PatternHit[] {
  const byKind = new Map<PatternKind, PatternHit[]>();
  for (const hit of hits) {
    const group = byKind.get(hit.kind);
    if (group) group.push(hit);
    else byKind.set(hit.kind, [hit]);
  }
  const kept: PatternHit[] = [];
  for (const group of byKind.values()) {
    const sorted = group.sort((a, b) => b.confidence - a.confidence || a.startIndex - b.startIndex);
    const accepted: PatternHit[] = [];
    for (const hit of sorted) {
      const clash = accepted.some((other) => {
        const overlap = Math.min(hit.endIndex, other.endIndex) - Math.max(hit.startIndex, other.startIndex) + 1;
        const shorter = Math.min(hit.endIndex - hit.startIndex, other.endIndex - other.startIndex) + 1;
        return overlap > shorter / 2;
      });
      if (!clash) accepted.push(hit);
    }
    kept.push(...accepted);
  }
  return kept;
}

/**
 * Every pattern found in `bars` (oldest first), sorted by end bar, then start bar, then kind. Indices refer to
 * `bars`. Throws `BAD_INPUT` for malformed or unordered bars or bad options.
 */
export function detectPatterns(bars: readonly Bar[], options: PatternOptions = {}): PatternHit[] {
  const o = resolve(options);
  checkBars(bars);
  if (bars.length < 3) return [];
  const f = computeFeatures(bars, o.atrPeriod, o.trendBars);
  const raw: PatternHit[] = [];
  const wantCandle = (k: CandlestickPatternKind) => o.kinds.has(k);
  const wantChart = (k: ChartPatternKind) => o.kinds.has(k);
  if ([...o.kinds].some(isCandlestickKind)) detectCandlesticks(bars, f, o, wantCandle, raw);
  if ([...o.kinds].some((k) => !isCandlestickKind(k))) detectChartPatterns(bars, f, o, wantChart, raw);
  const hits = dedupe(raw.filter((hit) => hit.confidence >= o.minConfidence));
  return hits.sort(
    (a, b) =>
      a.endIndex - b.endIndex ||
      a.startIndex - b.startIndex ||
      patternKinds.indexOf(a.kind) - patternKinds.indexOf(b.kind),
  );
}

export interface FindPatternOptions extends PatternOptions {
  /**
   * How recent the pattern must be: it must end within the last `recentBars` bars (default 3 for candlesticks,
   * 10 for chart patterns; a forming chart pattern always ends on the last bar).
   */
  recentBars?: number;
}

function day(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/** A one-line description of a hit, for the answer to "is this a …?". */
export function describeHit(hit: PatternHit): string {
  const m = hit.detail.metrics;
  const span = `bars ${hit.startIndex}–${hit.endIndex} (${day(hit.startT)} to ${day(hit.endT)})`;
  const level = hit.detail.breakoutLevel;
  const state = hit.category === 'chart' ? (hit.confirmed ? 'confirmed, broke' : 'forming, watch') : 'trigger';
  const levelText = level === null ? '' : `; ${state} ${level.toFixed(2)}`;
  const target = hit.detail.target === null ? '' : `, target ${hit.detail.target.toFixed(2)}`;
  let shape = '';
  if (hit.kind === 'bull_flag' || hit.kind === 'bear_flag') {
    shape = `, pole ${m.poleAtr?.toFixed(1)} ATR in ${m.poleBars} bars, ${m.flagBars}-bar flag retracing ${((m.retracement ?? 0) * 100).toFixed(0)}%`;
  } else if (hit.kind === 'double_top' || hit.kind === 'double_bottom') {
    shape = `, peaks ${m.peakDifferenceAtr?.toFixed(2)} ATR apart, ${m.barsBetweenPeaks} bars between them`;
  } else if (hit.kind === 'head_and_shoulders' || hit.kind === 'inverse_head_and_shoulders') {
    shape = `, head ${m.headAboveShouldersAtr?.toFixed(1)} ATR beyond the shoulders`;
  } else if (hit.kind === 'breakout_up' || hit.kind === 'breakout_down') {
    shape = `, ${m.rangeBars}-bar range ${m.rangeWidthAtr?.toFixed(1)} ATR wide, volume ${m.volumeRatio?.toFixed(1)}× the range's`;
  }
  return `${hit.name} at ${span}${shape}${levelText}${target}; confidence ${hit.confidence.toFixed(2)}`;
}

/**
 * Answers "is this a <pattern>?" about the most recent bars: found when a hit of that kind ends within the last
 * `recentBars` bars with at least `minConfidence`; the reason says what was seen, or when the last one was.
 */
export function findPattern(bars: readonly Bar[], kind: PatternKind, options: FindPatternOptions = {}): PatternAnswer {
  const parsed = patternKindSchema.safeParse(kind);
  if (!parsed.success)
    throw new AppError('BAD_INPUT', `Unknown pattern ${String(kind)}; known: ${patternKinds.join(', ')}`);
  const name = patternInfo[kind].name;
  const minBars = isCandlestickKind(kind) ? 8 : 20;
  if (bars.length < minBars) {
    return {
      kind,
      found: false,
      confidence: 0,
      hit: null,
      reason: `Too few bars (${bars.length}) to judge a ${name.toLowerCase()}: at least ${minBars} are needed`,
    };
  }
  const { recentBars, ...rest } = options;
  return answerFromHits(kind, detectPatterns(bars, { ...rest, kinds: [kind] }), bars.length, recentBars);
}

/**
 * {@link findPattern} from hits already found by a full {@link detectPatterns} scan of the same bars (hits of one
 * kind do not depend on the other kinds), so a question is answered from a cached scan without scanning again.
 */
export function answerFromHits(
  kind: PatternKind,
  allHits: readonly PatternHit[],
  barCount: number,
  recentBars?: number,
): PatternAnswer {
  const name = patternInfo[kind].name;
  const minBars = isCandlestickKind(kind) ? 8 : 20;
  if (barCount < minBars) {
    return {
      kind,
      found: false,
      confidence: 0,
      hit: null,
      reason: `Too few bars (${barCount}) to judge a ${name.toLowerCase()}: at least ${minBars} are needed`,
    };
  }
  const recent = recentBars ?? (isCandlestickKind(kind) ? 3 : 10);
  const hits = allHits.filter((h) => h.kind === kind);
  const last = barCount - 1;
  const current = hits.filter((h) => h.endIndex >= last - recent + 1);
  const best = [...current].sort((a, b) => b.confidence - a.confidence || b.endIndex - a.endIndex)[0];
  if (best) return { kind, found: true, confidence: best.confidence, hit: best, reason: describeHit(best) };
  const previous = hits.at(-1);
  const reason = previous
    ? `No ${name.toLowerCase()} in the last ${recent} bars; the latest ended ${last - previous.endIndex} bars ago (${describeHit(previous)})`
    : `No ${name.toLowerCase()} anywhere in the ${barCount} bars analysed`;
  return { kind, found: false, confidence: 0, hit: null, reason };
}
