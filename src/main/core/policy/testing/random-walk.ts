import type { Timeframe } from '../../../../shared/domain/market';
import type { BarSeries } from '../bar-series';
import { Prng } from '../prng';

export interface WalkOptions {
  bars: number;
  seed: number;
  /** Per-bar return volatility. */
  sigma?: number;
  /** AR(1) coefficient of returns: 0 is a plain random walk, 0.5 a strongly predictable one. */
  momentum?: number;
  timeframe?: Timeframe;
  symbol?: string;
  startPrice?: number;
}

/**
 * A seeded random walk with optional return autocorrelation, for the policy's own tests (a learnable signal when
 * `momentum` is large). Each bar opens at the previous close.
 */
export function randomWalkSeries(options: WalkOptions): BarSeries {
  const { bars, seed, sigma = 0.01, momentum = 0, timeframe = '1d', symbol = 'WALK', startPrice = 100 } = options;
  const prng = new Prng(seed);
  const step = timeframe === '1d' ? 86_400_000 : 60_000;
  const s: BarSeries = {
    symbol,
    timeframe,
    t: new Float64Array(bars),
    o: new Float64Array(bars),
    h: new Float64Array(bars),
    l: new Float64Array(bars),
    c: new Float64Array(bars),
    v: new Float64Array(bars),
  };
  let price = startPrice;
  let r = 0;
  for (let i = 0; i < bars; i++) {
    r = momentum * r + sigma * Math.sqrt(1 - momentum * momentum) * prng.normal();
    const open = price;
    const close = open * Math.exp(r);
    const wiggle = Math.abs(prng.normal()) * sigma * 0.5;
    s.t[i] = 1_600_000_000_000 + i * step;
    s.o[i] = open;
    s.c[i] = close;
    s.h[i] = Math.max(open, close) * (1 + wiggle);
    s.l[i] = Math.min(open, close) * (1 - wiggle);
    s.v[i] = Math.round(1_000_000 * (0.5 + prng.next()));
    price = close;
  }
  return s;
}
