import { defaultPeriodsPerYear, type IndicatorSnapshot } from '../../../shared/domain/analysis';
import type { Bar, Timeframe } from '../../../shared/domain/market';
import type { FeatureDef, FeatureSpec, PolicyAction } from '../../../shared/domain/policy';
import { policyActions } from '../../../shared/domain/policy';
import { createStreamState, updateStream } from '../agents/internlm2/stream';
import type { BarSeries } from './bar-series';

const WINDOW = 8;
const CLIP = 5;
/**
 * Bars the InternLM2 stream needs before every indicator the features read is defined: the 60-bar realised
 * volatility needs 61 closes.
 */
const WARMUP_BARS = 61;

const def = (name: string, source: string, scale: number, description: string): FeatureDef => ({
  name,
  description,
  source,
  normalisation: { kind: 'scale-clip', scale, clip: CLIP },
});

/** σ below is the stream's 20-bar realised volatility, de-annualised to one bar. */
const FEATURES: FeatureDef[] = [
  def('ret1', 'close', 1, 'log return of the last bar / σ'),
  def('ret5', 'close', 1, 'log return over 5 bars / (σ·√5)'),
  def('ret20', 'close', 1, 'log return over 20 bars / (σ·√20)'),
  def('trend', 'ema9, ema21', 2, 'log(EMA9 / EMA21) / σ'),
  def('emaGap', 'close, ema50', 3, 'log(close / EMA50) / σ'),
  def('macd', 'macd.histogram', 1, 'MACD(12,26,9) histogram / (close·σ)'),
  def('rsi', 'rsi', 0.5, '(RSI14 − 50) / 50'),
  def('bbPosition', 'bollinger.percentB', 1, '2·%B − 1: −1 at the lower Bollinger band, +1 at the upper (0 when flat)'),
  def('atrRatio', 'atr', 1, 'log(ATR14 / close / σ): intrabar range against close-to-close volatility'),
  def('volRegime', 'realizedVolShort, realizedVolLong', 1, 'log(10-bar / 60-bar realised volatility)'),
  def('volumeZ', 'volumeZ', 2, 'z-score of the volume against the 20 bars before it (0 when undefined)'),
  def('gap', 'gapPct', 1, '(open − previous close) / previous close / σ'),
  def('volLevel', 'realizedVol', 1, 'log(annualised 20-bar realised volatility / 25%): the volatility regime'),
];

/**
 * The policy's input, version 1: the last {@link WINDOW} bars of {@link FEATURES} (oldest first), then the
 * position as one-hot. Every feature comes from the InternLM2 stream's snapshot after the bar (plus the closes it
 * has seen), is scale-free (returns in units of the stream's own volatility, ratios), so one model reads minute and
 * daily bars at any price level, and is normalised by a fixed constant: no statistic of the data set is fitted,
 * because a mean or a deviation over a whole series would leak its future into its past.
 */
export const FEATURE_SPEC: FeatureSpec = {
  version: 'features-v1',
  window: WINDOW,
  features: FEATURES,
  position: 'one-hot short/flat/long',
  stateSize: WINDOW * FEATURES.length + policyActions.length,
  warmupBars: WARMUP_BARS,
};

export const FEATURE_COUNT = FEATURES.length;

/** Normalised features per bar, row-major (bar × feature); rows before `firstValid` are NaN. */
export interface FeatureMatrix {
  rows: number;
  width: number;
  values: Float32Array;
  /** First bar index with a defined row. */
  firstValid: number;
  /** First bar index at which a full state (a whole window of defined rows) exists. */
  firstState: number;
}

const norm = (x: number | null, scale: number): number => {
  if (x === null || Number.isNaN(x)) return 0;
  const y = x / scale;
  return Math.min(CLIP, Math.max(-CLIP, y));
};

/**
 * One feature row from a stream snapshot, or null while an indicator the features need is still warming up. Reads
 * the snapshot of this bar and `closeAgo(k)`, the close k bars earlier: nothing after the bar exists here.
 */
export function featureRow(
  snap: IndicatorSnapshot,
  bar: Bar,
  closeAgo: (k: number) => number,
  perBarScale: number,
  out: Float32Array,
): Float32Array | null {
  const { realizedVol, realizedVolShort, realizedVolLong, rsi, atr, macd } = snap;
  const ema9 = snap.ema['9'];
  const ema21 = snap.ema['21'];
  const ema50 = snap.ema['50'];
  if (
    snap.index + 1 < WARMUP_BARS ||
    realizedVol == null ||
    realizedVolShort == null ||
    realizedVolLong == null ||
    rsi == null ||
    atr == null ||
    macd?.histogram == null ||
    ema9 == null ||
    ema21 == null ||
    ema50 == null
  ) {
    return null;
  }
  // The floor keeps a flat stretch (a halted stock, a bogus pre-listing bar) from dividing by zero; clipping does
  // the rest.
  const sigma = Math.max(realizedVol / perBarScale, 1e-6);
  const c = bar.c;
  out[0] = norm(Math.log(c / closeAgo(1)) / sigma, 1);
  out[1] = norm(Math.log(c / closeAgo(5)) / (sigma * Math.sqrt(5)), 1);
  out[2] = norm(Math.log(c / closeAgo(20)) / (sigma * Math.sqrt(20)), 1);
  out[3] = norm(Math.log(ema9 / ema21) / sigma, 2);
  out[4] = norm(Math.log(c / ema50) / sigma, 3);
  out[5] = norm(macd.histogram / (c * sigma), 1);
  out[6] = norm((rsi - 50) / 50, 0.5);
  const b = snap.bollinger?.percentB;
  out[7] = norm(b == null ? 0 : 2 * b - 1, 1);
  out[8] = norm(Math.log(Math.max(atr, 1e-12) / c / sigma), 1);
  out[9] = norm(Math.log(Math.max(realizedVolShort, 1e-12) / Math.max(realizedVolLong, 1e-12)), 1);
  out[10] = norm(snap.volumeZ, 2);
  out[11] = norm(snap.gapPct === null ? 0 : snap.gapPct / sigma, 1);
  out[12] = norm(Math.log(Math.max(realizedVol, 1e-6) / 0.25), 1);
  return out;
}

/**
 * An incremental feature computer over the InternLM2 stream: feed bars one by one, get each bar's normalised
 * feature row (null while warming up). O(1) per bar, and causal by construction: only bars already pushed are read.
 */
export class FeatureStream {
  private readonly state;
  private readonly perBarScale: number;
  private readonly closes = new Float64Array(21);
  private seen = 0;

  constructor(timeframe: Timeframe) {
    this.state = createStreamState({ timeframe });
    this.perBarScale = Math.sqrt(defaultPeriodsPerYear[timeframe]);
  }

  push(bar: Bar, out: Float32Array = new Float32Array(FEATURES.length)): Float32Array | null {
    const snap = updateStream(this.state, bar);
    this.closes[this.seen % 21] = bar.c;
    this.seen++;
    const closes = this.closes;
    const seen = this.seen;
    return featureRow(snap, bar, (k) => closes[(seen - 1 - k) % 21] as number, this.perBarScale, out);
  }
}

/** Feature rows for a whole series, computed by streaming it bar by bar. */
export function computeFeatures(series: BarSeries): FeatureMatrix {
  const n = series.t.length;
  const width = FEATURES.length;
  const values = new Float32Array(n * width).fill(Number.NaN);
  const stream = new FeatureStream(series.timeframe);
  const row = new Float32Array(width);
  let firstValid = n;
  for (let i = 0; i < n; i++) {
    const bar: Bar = {
      t: series.t[i] as number,
      o: series.o[i] as number,
      h: series.h[i] as number,
      l: series.l[i] as number,
      c: series.c[i] as number,
      v: series.v[i] as number,
    };
    if (stream.push(bar, row)) {
      values.set(row, i * width);
      if (firstValid === n) firstValid = i;
    }
  }
  return { rows: n, width, values, firstValid, firstState: Math.min(n, firstValid + WINDOW - 1) };
}

/** Index of a position in the one-hot and in the action list. */
export function positionIndex(position: PolicyAction): number {
  return policyActions.indexOf(position);
}

/**
 * The state at bar `t` holding position index `position` (0 short, 1 flat, 2 long): rows t−window+1..t, then the
 * one-hot position. Written into `out` at `offset` (a batch buffer) or into a new array.
 */
export function buildState(
  features: FeatureMatrix,
  t: number,
  position: number,
  out: Float32Array = new Float32Array(FEATURE_SPEC.stateSize),
  offset = 0,
): Float32Array {
  if (t < features.firstState || t >= features.rows) {
    throw new RangeError(`No state at bar ${t} (states exist from ${features.firstState} to ${features.rows - 1})`);
  }
  const width = features.width;
  const start = (t - WINDOW + 1) * width;
  out.set(features.values.subarray(start, start + WINDOW * width), offset);
  const p = offset + WINDOW * width;
  out[p] = position === 0 ? 1 : 0;
  out[p + 1] = position === 1 ? 1 : 0;
  out[p + 2] = position === 2 ? 1 : 0;
  return out;
}
