/**
 * A {@link BarReader} over bars held in memory: for tests of replay and backtests without a database, and for
 * series computed on the fly. Same contract as the SQLite bar store.
 */
import type { Bar, MarketSource, SeriesInfo, Timeframe } from '../../../../shared/domain/market';
import type { BarReader } from '../types';

/** Series kept in arrays; `put` replaces a series and bumps its version like a re-import. */
export class MemoryBarReader implements BarReader {
  private readonly series_ = new Map<string, { info: SeriesInfo; bars: Bar[] }>();

  /** Stores (or replaces) a series; bars are sorted by time and must have distinct times. */
  put(symbol: string, timeframe: Timeframe, bars: readonly Bar[], source: MarketSource = 'imported'): void {
    const sorted = [...bars].sort((a, b) => a.t - b.t);
    for (let i = 1; i < sorted.length; i++) {
      if ((sorted[i] as Bar).t === (sorted[i - 1] as Bar).t) throw new Error(`Duplicate bar time in ${symbol}`);
    }
    const key = `${symbol}|${timeframe}`;
    const version = (this.series_.get(key)?.info.version ?? 0) + 1;
    this.series_.set(key, {
      bars: sorted,
      info: {
        symbol,
        timeframe,
        source,
        rows: sorted.length,
        firstT: sorted[0]?.t ?? null,
        lastT: sorted.at(-1)?.t ?? null,
        version,
      },
    });
  }

  listSeries(): SeriesInfo[] {
    return [...this.series_.values()].map((s) => ({ ...s.info }));
  }

  series(symbol: string, timeframe: Timeframe): SeriesInfo | null {
    const s = this.series_.get(`${symbol}|${timeframe}`);
    return s ? { ...s.info } : null;
  }

  bars(symbol: string, timeframe: Timeframe, fromT?: number, toT?: number, limit?: number): Bar[] {
    const all = this.series_.get(`${symbol}|${timeframe}`)?.bars ?? [];
    const start = lowerBound(all, fromT ?? Number.NEGATIVE_INFINITY);
    const out: Bar[] = [];
    for (let i = start; i < all.length; i++) {
      const bar = all[i] as Bar;
      if (toT !== undefined && bar.t > toT) break;
      if (limit !== undefined && out.length >= limit) break;
      out.push({ ...bar });
    }
    return out;
  }

  barsBefore(symbol: string, timeframe: Timeframe, t: number, count: number): Bar[] {
    const all = this.series_.get(`${symbol}|${timeframe}`)?.bars ?? [];
    const end = lowerBound(all, t + 1);
    return all.slice(Math.max(0, end - count), end).map((b) => ({ ...b }));
  }
}

/** Index of the first bar with `t >= time`. */
function lowerBound(bars: readonly Bar[], time: number): number {
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((bars[mid] as Bar).t < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
