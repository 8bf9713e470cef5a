/**
 * InternLM2 slot, built-in model: streaming technical indicators with an O(1) update per bar.
 *
 * Definitions (the ones TA-Lib, StockCharts and `technicalindicators` use):
 * - SMA: mean of the last n closes.
 * - EMA: α = 2/(n+1), seeded with the SMA of the first n closes (first value at bar n−1).
 * - RSI: Wilder; the first average gain/loss is the mean of the first n close-to-close changes (first value at bar
 *   n), then avg = (avg·(n−1) + x)/n. Both averages zero (a flat series) gives 50.
 * - ATR: Wilder average of the true range; the true range needs a previous close, so it starts at bar 1 and the
 *   first ATR (at bar n) is the mean of n true ranges.
 * - MACD: EMA(fast) − EMA(slow) from bar slow−1; the signal is an SMA-seeded EMA of the MACD line.
 * - Bollinger: SMA ± k · population standard deviation of the same n closes.
 * - VWAP: Σ(typical price × volume)/Σ volume since the session start; the rolling VWAP does the same over n bars.
 * - Realised volatility: sample standard deviation of n log returns × √(bars per year).
 *
 * All state is plain JSON ({@link StreamState}); {@link snapshotState} and {@link restoreState} move it through the
 * cache, and a restored stream continues bit for bit as if it had never stopped.
 */
import {
  type AnomalyFlag,
  defaultPeriodsPerYear,
  type IndicatorSnapshot,
  type StreamParams,
  type StreamParamsInput,
  streamParamsSchema,
} from '../../../../shared/domain/analysis';
import type { Bar } from '../../../../shared/domain/market';
import { AppError, formatZodError } from '../../../../shared/result';
import { MODEL_VERSION } from './model-version';
import {
  createRing,
  createWindow,
  type Ring,
  ringBack,
  ringPush,
  type Window,
  windowFull,
  windowMean,
  windowPopulationVariance,
  windowPush,
  windowSampleVariance,
} from './rolling';
import { type EmaState, type StreamState, streamStateSchema, type WilderState } from './state-schema';

export { MODEL_VERSION };

const DAY_MS = 86_400_000;

/** Fills in defaults and checks the parameters; throws `BAD_INPUT` naming the bad field. */
export function resolveStreamParams(input: StreamParamsInput = {}): StreamParams {
  const parsed = streamParamsSchema.safeParse(input);
  if (!parsed.success) throw new AppError('BAD_INPUT', `Invalid stream parameters: ${formatZodError(parsed.error)}`);
  const p = parsed.data;
  for (const [name, list] of [
    ['smaPeriods', p.smaPeriods],
    ['emaPeriods', p.emaPeriods],
  ] as const) {
    if (new Set(list).size !== list.length) throw new AppError('BAD_INPUT', `${name} lists a period twice`);
  }
  return p;
}

function emaInit(period: number): EmaState {
  return { period, value: null, seedSum: 0, seedCount: 0 };
}

function wilderInit(period: number): WilderState {
  return { period, value: null, seedSum: 0, seedCount: 0 };
}

/** A fresh stream that has seen no bars. */
export function createStreamState(params?: StreamParamsInput): StreamState {
  const p = resolveStreamParams(params);
  const closeCap = Math.max(p.bbPeriod, ...p.smaPeriods);
  const returnCap = Math.max(p.rvPeriod, p.rvShortPeriod, p.rvLongPeriod);
  const volumeCap = Math.max(p.volumePeriod, p.vwapPeriod);
  return {
    kind: 'internlm2-stream',
    schema: 1,
    modelVersion: MODEL_VERSION,
    params: p,
    count: 0,
    lastT: null,
    prevClose: null,
    closes: createRing(closeCap),
    sma: p.smaPeriods.map(createWindow),
    bb: createWindow(p.bbPeriod),
    ema: p.emaPeriods.map(emaInit),
    macdFast: emaInit(p.macdFast),
    macdSlow: emaInit(p.macdSlow),
    macdSignal: emaInit(p.macdSignal),
    rsiGain: wilderInit(p.rsiPeriod),
    rsiLoss: wilderInit(p.rsiPeriod),
    atr: wilderInit(p.atrPeriod),
    session: { day: null, pv: 0, v: 0 },
    pvs: createRing(p.vwapPeriod),
    volumes: createRing(volumeCap),
    vwapPv: createWindow(p.vwapPeriod),
    vwapV: createWindow(p.vwapPeriod),
    volume: createWindow(p.volumePeriod),
    returns: createRing(returnCap),
    rv: createWindow(p.rvPeriod),
    rvShort: createWindow(p.rvShortPeriod),
    rvLong: createWindow(p.rvLongPeriod),
  };
}

function emaPush(e: EmaState, x: number): number | null {
  if (e.value === null) {
    e.seedSum += x;
    e.seedCount++;
    if (e.seedCount === e.period) e.value = e.seedSum / e.period;
    return e.value;
  }
  e.value = (x - e.value) * (2 / (e.period + 1)) + e.value;
  return e.value;
}

function wilderPush(w: WilderState, x: number): number | null {
  if (w.value === null) {
    w.seedSum += x;
    w.seedCount++;
    if (w.seedCount === w.period) w.value = w.seedSum / w.period;
    return w.value;
  }
  w.value = (w.value * (w.period - 1) + x) / w.period;
  return w.value;
}

/** Feeds `x` to a window that reads `ring`; call before pushing `x` into the ring (the window drops its oldest). */
function feed(ring: Ring, w: Window, x: number): void {
  windowPush(w, x, windowFull(w) ? ringBack(ring, w.n - 1) : undefined);
}

function checkBar(state: StreamState, bar: Bar): void {
  const { t, o, h, l, c, v } = bar;
  const pricesOk = o > 0 && h > 0 && l > 0 && c > 0 && Number.isFinite(o + h + l + c);
  if (!Number.isInteger(t) || !pricesOk || !Number.isFinite(v) || v < 0) {
    throw new AppError('BAD_INPUT', `Bar at t=${t} has a missing, non-positive or non-finite field`);
  }
  if (h < l) throw new AppError('BAD_INPUT', `Bar at t=${t} has high ${h} below low ${l}`);
  if (state.lastT !== null && t <= state.lastT) {
    throw new AppError(
      'BAD_INPUT',
      `Bar at t=${t} is not after the previous bar (t=${state.lastT}); a stream only moves forward`,
    );
  }
}

function fmt(x: number, digits = 1): string {
  return x.toFixed(digits);
}

/**
 * Consumes one bar: updates `state` in place in O(1) and returns every indicator after that bar. Throws
 * `BAD_INPUT` (and leaves the state untouched) for a malformed bar or one that is not after the previous bar.
 */
export function updateStream(state: StreamState, bar: Bar): IndicatorSnapshot {
  checkBar(state, bar);
  const p = state.params;
  const anomalies: AnomalyFlag[] = [];
  const prevClose = state.prevClose;
  const prevAtr = state.atr.value;

  // Gap and volume z-score are judged against what was known before this bar.
  let gapPct: number | null = null;
  if (prevClose !== null) {
    const gap = bar.o - prevClose;
    gapPct = gap / prevClose;
    const size = Math.abs(gapPct);
    const inAtr = prevAtr !== null && prevAtr > 0 ? Math.abs(gap) / prevAtr : null;
    if (size >= p.gapMinPct && (size >= p.gapPct || (inAtr !== null && inAtr >= p.gapAtrMultiple))) {
      const up = gap > 0;
      const atrText = inAtr === null ? '' : ` (${fmt(inAtr)} ATR)`;
      anomalies.push({
        kind: up ? 'gap_up' : 'gap_down',
        value: gapPct,
        threshold: up ? p.gapPct : -p.gapPct,
        message: `Gap ${up ? 'up' : 'down'} ${fmt(size * 100, 2)}%${atrText} from the previous close ${prevClose}`,
      });
    }
  }

  let volumeAvg: number | null = null;
  let volumeZ: number | null = null;
  if (windowFull(state.volume)) {
    volumeAvg = windowMean(state.volume);
    const sd = Math.sqrt(windowSampleVariance(state.volume));
    if (sd > 0) {
      volumeZ = (bar.v - volumeAvg) / sd;
      const ratio = volumeAvg > 0 ? bar.v / volumeAvg : 0;
      if (volumeZ >= p.volumeZThreshold && ratio >= p.volumeMinRatio) {
        anomalies.push({
          kind: 'volume_spike',
          value: volumeZ,
          threshold: p.volumeZThreshold,
          message: `Volume ${fmt(volumeZ)}σ above its ${p.volumePeriod}-bar average (${fmt(ratio)}× average)`,
        });
      }
    }
  }

  // Closes: SMAs, Bollinger, EMAs, MACD.
  for (const w of state.sma) feed(state.closes, w, bar.c);
  feed(state.closes, state.bb, bar.c);
  ringPush(state.closes, bar.c);
  const sma: Record<string, number | null> = {};
  for (const w of state.sma) sma[String(w.n)] = windowFull(w) ? windowMean(w) : null;
  const ema: Record<string, number | null> = {};
  for (const e of state.ema) ema[String(e.period)] = emaPush(e, bar.c);

  let bollinger: IndicatorSnapshot['bollinger'] = null;
  if (windowFull(state.bb)) {
    const middle = windowMean(state.bb);
    const sd = Math.sqrt(windowPopulationVariance(state.bb));
    const upper = middle + p.bbStdDev * sd;
    const lower = middle - p.bbStdDev * sd;
    bollinger = {
      upper,
      middle,
      lower,
      bandwidth: (upper - lower) / middle,
      percentB: upper > lower ? (bar.c - lower) / (upper - lower) : null,
    };
  }

  const fast = emaPush(state.macdFast, bar.c);
  const slow = emaPush(state.macdSlow, bar.c);
  let macd: IndicatorSnapshot['macd'] = null;
  if (fast !== null && slow !== null) {
    const line = fast - slow;
    const signal = emaPush(state.macdSignal, line);
    macd = { macd: line, signal, histogram: signal === null ? null : line - signal };
  }

  // Close-to-close: RSI, ATR, realised volatility.
  let rsi: number | null = null;
  let atr: number | null = null;
  let realizedVol: number | null = null;
  let realizedVolShort: number | null = null;
  let realizedVolLong: number | null = null;
  if (prevClose !== null) {
    const change = bar.c - prevClose;
    const gain = wilderPush(state.rsiGain, Math.max(change, 0));
    const loss = wilderPush(state.rsiLoss, Math.max(-change, 0));
    if (gain !== null && loss !== null) {
      rsi = loss === 0 ? (gain === 0 ? 50 : 100) : 100 - 100 / (1 + gain / loss);
    }
    const tr = Math.max(bar.h - bar.l, Math.abs(bar.h - prevClose), Math.abs(bar.l - prevClose));
    atr = wilderPush(state.atr, tr);

    const r = Math.log(bar.c / prevClose);
    feed(state.returns, state.rv, r);
    feed(state.returns, state.rvShort, r);
    feed(state.returns, state.rvLong, r);
    ringPush(state.returns, r);
    const annual = Math.sqrt(p.periodsPerYear ?? defaultPeriodsPerYear[p.timeframe]);
    const vol = (w: Window) => (windowFull(w) ? Math.sqrt(windowSampleVariance(w)) * annual : null);
    realizedVol = vol(state.rv);
    realizedVolShort = vol(state.rvShort);
    realizedVolLong = vol(state.rvLong);
    if (realizedVolShort !== null && realizedVolLong !== null && realizedVolLong > 0) {
      const ratio = realizedVolShort / realizedVolLong;
      if (ratio >= p.burstRatio) {
        anomalies.push({
          kind: 'volatility_burst',
          value: ratio,
          threshold: p.burstRatio,
          message: `Volatility burst: ${p.rvShortPeriod}-bar realised volatility ${fmt(realizedVolShort * 100)}% is ${fmt(ratio)}× the ${p.rvLongPeriod}-bar ${fmt(realizedVolLong * 100)}%`,
        });
      }
    }
  }

  // Volume: session VWAP, rolling VWAP, the volume window for the next bar's z-score.
  const typical = (bar.h + bar.l + bar.c) / 3;
  const day = Math.floor((bar.t + p.sessionOffsetMs) / DAY_MS);
  if (state.session.day !== day) state.session = { day, pv: 0, v: 0 };
  state.session.pv += typical * bar.v;
  state.session.v += bar.v;
  const vwap = state.session.v > 0 ? state.session.pv / state.session.v : null;

  feed(state.pvs, state.vwapPv, typical * bar.v);
  ringPush(state.pvs, typical * bar.v);
  feed(state.volumes, state.vwapV, bar.v);
  feed(state.volumes, state.volume, bar.v);
  ringPush(state.volumes, bar.v);
  let rollingVwap: number | null = null;
  if (windowFull(state.vwapV)) {
    const v = state.vwapV.sum + state.vwapV.comp;
    if (v > 0) rollingVwap = (state.vwapPv.sum + state.vwapPv.comp) / v;
  }

  const index = state.count;
  state.count++;
  state.lastT = bar.t;
  state.prevClose = bar.c;

  return {
    t: bar.t,
    index,
    close: bar.c,
    sma,
    ema,
    rsi,
    macd,
    atr,
    bollinger,
    vwap,
    rollingVwap,
    realizedVol,
    realizedVolShort,
    realizedVolLong,
    volumeAvg,
    volumeZ,
    gapPct,
    anomalies,
  };
}

/**
 * A JSON-safe copy of the state, to store in the cache. Going through JSON here (not at restore) means a cached
 * and a never-cached stream hold exactly the same numbers (JSON keeps every double exactly).
 */
export function snapshotState(state: StreamState): StreamState {
  return JSON.parse(JSON.stringify(state)) as StreamState;
}

function checkRing(ring: Ring, cap: number, name: string): void {
  const ok =
    ring.cap === cap &&
    ring.size <= cap &&
    ring.buf.length === ring.size &&
    ring.head < cap &&
    (ring.size === cap || ring.head === ring.size);
  if (!ok) throw new AppError('BAD_INPUT', `Stream state is inconsistent: ring ${name}`);
}

function checkWindow(w: Window, n: number, name: string): void {
  if (w.n !== n || w.count > n) throw new AppError('BAD_INPUT', `Stream state is inconsistent: window ${name}`);
}

/**
 * Rebuilds a stream from {@link snapshotState}'s output (or its JSON text parsed). Throws `BAD_INPUT` for a blob
 * that is not a stream state, comes from another model version, or does not match its own parameters.
 */
export function restoreState(snapshot: unknown): StreamState {
  const parsed = streamStateSchema.safeParse(snapshot);
  if (!parsed.success)
    throw new AppError('BAD_INPUT', `Not an InternLM2 stream state: ${formatZodError(parsed.error)}`);
  const s = parsed.data;
  if (s.modelVersion !== MODEL_VERSION) {
    throw new AppError(
      'BAD_INPUT',
      `Stream state is from model ${s.modelVersion}, this is ${MODEL_VERSION}: recompute from the bars`,
    );
  }
  const p = s.params;
  checkRing(s.closes, Math.max(p.bbPeriod, ...p.smaPeriods), 'closes');
  checkRing(s.pvs, p.vwapPeriod, 'pvs');
  checkRing(s.volumes, Math.max(p.volumePeriod, p.vwapPeriod), 'volumes');
  checkRing(s.returns, Math.max(p.rvPeriod, p.rvShortPeriod, p.rvLongPeriod), 'returns');
  if (s.sma.length !== p.smaPeriods.length || s.ema.length !== p.emaPeriods.length) {
    throw new AppError('BAD_INPUT', 'Stream state is inconsistent: moving averages do not match the parameters');
  }
  for (const [i, n] of p.smaPeriods.entries()) checkWindow(s.sma[i] as Window, n, `sma ${n}`);
  for (const [i, n] of p.emaPeriods.entries()) {
    if ((s.ema[i] as EmaState).period !== n) throw new AppError('BAD_INPUT', `Stream state is inconsistent: ema ${n}`);
  }
  checkWindow(s.bb, p.bbPeriod, 'bb');
  checkWindow(s.vwapPv, p.vwapPeriod, 'vwapPv');
  checkWindow(s.vwapV, p.vwapPeriod, 'vwapV');
  checkWindow(s.volume, p.volumePeriod, 'volume');
  checkWindow(s.rv, p.rvPeriod, 'rv');
  checkWindow(s.rvShort, p.rvShortPeriod, 'rvShort');
  checkWindow(s.rvLong, p.rvLongPeriod, 'rvLong');
  const averages: [EmaState | WilderState, number, string][] = [
    [s.macdFast, p.macdFast, 'macdFast'],
    [s.macdSlow, p.macdSlow, 'macdSlow'],
    [s.macdSignal, p.macdSignal, 'macdSignal'],
    [s.rsiGain, p.rsiPeriod, 'rsiGain'],
    [s.rsiLoss, p.rsiPeriod, 'rsiLoss'],
    [s.atr, p.atrPeriod, 'atr'],
  ];
  for (const [a, n, name] of averages) {
    if (a.period !== n) throw new AppError('BAD_INPUT', `Stream state is inconsistent: ${name}`);
  }
  // zod returns fresh objects, so the caller's blob is never mutated by later updates.
  return s;
}

/** Runs a whole series through a fresh stream (the batch "prefill" path); returns every snapshot and the state. */
export function computeIndicators(
  bars: readonly Bar[],
  params?: StreamParamsInput,
): { snapshots: IndicatorSnapshot[]; state: StreamState } {
  const state = createStreamState(params);
  const snapshots = bars.map((bar) => updateStream(state, bar));
  return { snapshots, state };
}

/** Continues `state` with more bars (the incremental "decode" path); returns one snapshot per bar. */
export function extendStream(state: StreamState, bars: readonly Bar[]): IndicatorSnapshot[] {
  return bars.map((bar) => updateStream(state, bar));
}
