import type { Bar, MarketSource, SeriesInfo, Timeframe } from '../../../shared/domain/market';

/**
 * Read access to stored bars. The SQLite bar store implements it; replay feeds, backtests, backfills and the model
 * slots read through it, so they can be tested on an in-memory implementation.
 */
export interface BarReader {
  /** Every stored series. */
  listSeries(): SeriesInfo[];
  /** One series' description, or null when nothing is stored for it. */
  series(symbol: string, timeframe: Timeframe): SeriesInfo | null;
  /**
   * Bars with `fromT <= t <= toT` in ascending time, at most `limit` of them (the earliest ones; all when omitted).
   */
  bars(symbol: string, timeframe: Timeframe, fromT?: number, toT?: number, limit?: number): Bar[];
  /** The last `count` bars at or before `t`, ascending. */
  barsBefore(symbol: string, timeframe: Timeframe, t: number, count: number): Bar[];
}

/** What every market event carries: whose bar, from which source, at which market time. */
export interface BarEvent {
  symbol: string;
  timeframe: Timeframe;
  source: MarketSource;
  bar: Bar;
}
