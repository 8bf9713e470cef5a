/**
 * A bar feed is what the replay clock plays: a market (synthetic or stored) as a sequence of steps in market time.
 * One step is one bar of the feed's base timeframe, for every symbol that traded in it, with the trade ticks inside.
 */
import type { Bar, MarketSource, Tick, Timeframe } from '../../../../shared/domain/market';
import type { MarketCalendar } from '../sessions';

/** One symbol's bar in a step. */
export interface SymbolBar {
  symbol: string;
  bar: Bar;
}

/** One step of a feed: one base-timeframe bar per symbol that traded, and the ticks inside it. */
export interface FeedStep {
  /** Market time the step begins (the bars' open time, or the first tick when later). */
  startT: number;
  /**
   * Market time the step's bars are complete (their close time). No tick of the step is at or after it. For daily
   * bars of US stocks it is the session close, not midnight.
   */
  endT: number;
  /** The completed bars, in the feed's symbol order. Consumers must not look at them before `endT`. */
  bars: SymbolBar[];
  /** Trade ticks inside the step, in time order across symbols (ties in symbol order). */
  ticks: Tick[];
}

/** A market to replay. Implementations: {@link SyntheticFeed}, {@link StoredFeed}. */
export interface BarFeed {
  readonly source: MarketSource;
  readonly symbols: readonly string[];
  /** The base timeframe of its steps. */
  readonly timeframe: Timeframe;
  readonly calendar: MarketCalendar;
  /** Earliest market time the feed can play from. */
  readonly firstT: number;
  /** Latest bar's end, or null for a feed without end (the synthetic market). */
  readonly lastT: number | null;
  /** The next step without consuming it, or null at the end of data. */
  peek(): FeedStep | null;
  /** The next step (consumed), or null at the end of data. */
  next(): FeedStep | null;
  /**
   * Positions the feed at the first step that ends after `t` (the step in progress at `t`, or the next one).
   * Throws an AppError for a time the feed cannot reach.
   */
  seek(t: number): void;
  /**
   * Chart history: for each symbol (in {@link symbols} order), its last `count` base bars that are complete at `t`
   * (end at or before it), ascending.
   */
  history(t: number, count: number): Bar[][];
}
