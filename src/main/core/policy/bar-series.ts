import { createHash } from 'node:crypto';
import type { Bar, Timeframe } from '../../../shared/domain/market';

/**
 * One symbol's bars as columns of typed arrays: compact, fast to index in the training loop, and
 * structured-cloneable, so a whole data set crosses into the training worker without conversion.
 */
export interface BarSeries {
  symbol: string;
  timeframe: Timeframe;
  t: Float64Array;
  o: Float64Array;
  h: Float64Array;
  l: Float64Array;
  c: Float64Array;
  v: Float64Array;
}

/** Columns from bars in ascending time; refuses unsorted or non-positive prices. */
export function toBarSeries(symbol: string, timeframe: Timeframe, bars: readonly Bar[]): BarSeries {
  const n = bars.length;
  const s: BarSeries = {
    symbol,
    timeframe,
    t: new Float64Array(n),
    o: new Float64Array(n),
    h: new Float64Array(n),
    l: new Float64Array(n),
    c: new Float64Array(n),
    v: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const b = bars[i] as Bar;
    if (i > 0 && b.t <= (s.t[i - 1] as number)) {
      throw new RangeError(`${symbol}: bars must be in strictly ascending time (bar ${i})`);
    }
    if (!(b.o > 0 && b.h > 0 && b.l > 0 && b.c > 0))
      throw new RangeError(`${symbol}: bar ${i} has a non-positive price`);
    s.t[i] = b.t;
    s.o[i] = b.o;
    s.h[i] = b.h;
    s.l[i] = b.l;
    s.c[i] = b.c;
    s.v[i] = b.v;
  }
  return s;
}

/** The bar at index `i` as an object. */
export function barAt(s: BarSeries, i: number): Bar {
  return {
    t: s.t[i] as number,
    o: s.o[i] as number,
    h: s.h[i] as number,
    l: s.l[i] as number,
    c: s.c[i] as number,
    v: s.v[i] as number,
  };
}

/** A contiguous slice [from, to) of a series (views, no copy). */
export function sliceSeries(s: BarSeries, from: number, to: number): BarSeries {
  return {
    symbol: s.symbol,
    timeframe: s.timeframe,
    t: s.t.subarray(from, to),
    o: s.o.subarray(from, to),
    h: s.h.subarray(from, to),
    l: s.l.subarray(from, to),
    c: s.c.subarray(from, to),
    v: s.v.subarray(from, to),
  };
}

/**
 * sha256 over a data set: each series' symbol, timeframe and every bar's six numbers as float64 (little-endian, as
 * typed arrays are on every platform Node ships for). A model's metadata carries it, so two models can be told apart
 * by what they were trained on.
 */
export function hashBarSeries(series: readonly BarSeries[]): string {
  const hash = createHash('sha256');
  for (const s of series) {
    hash.update(`${s.symbol}\u0000${s.timeframe}\u0000${s.t.length}\u0000`);
    const n = s.t.length;
    const row = new Float64Array(6);
    for (let i = 0; i < n; i++) {
      row[0] = s.t[i] as number;
      row[1] = s.o[i] as number;
      row[2] = s.h[i] as number;
      row[3] = s.l[i] as number;
      row[4] = s.c[i] as number;
      row[5] = s.v[i] as number;
      hash.update(new Uint8Array(row.buffer));
    }
  }
  return hash.digest('hex');
}
