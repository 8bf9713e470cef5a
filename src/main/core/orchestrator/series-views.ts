import type { Bar, MarketSource, Timeframe } from '../../../shared/domain/market';
import { fingerprintBars, seriesRangeFingerprint } from '../cache/bar-fingerprint';
import type { BarStore } from '../market/bar-store';
import type { MarketService } from '../market/market-service';

/** The bars a slot analyses for one symbol, with a fingerprint that changes whenever they do. */
export interface SeriesView {
  symbol: string;
  timeframe: Timeframe;
  source: MarketSource;
  /** Closed bars from a stable anchor (see below), oldest first. */
  bars: readonly Bar[];
  fingerprint: string;
  /** Open time of the last closed bar. */
  lastT: number;
}

/** Views keep at most this many bars; past it, the anchor jumps forward so that this many minus the slack stay. */
const MAX_BARS = 2_000;
const KEEP_AFTER_JUMP = 1_000;
/** Bars read for a symbol outside the running replay (imported data only). */
const STORED_BARS = 1_000;

interface Anchored {
  anchorT: number;
  view: SeriesView | null;
}

/**
 * Builds the series views the slots analyse, and keeps them stable: a view starts at an anchor bar that stays put
 * while the series grows, so the prefix cache's chained block hashes (which start at the first bar) keep matching
 * and a new bar costs one streaming step. When a view passes 2,000 bars the anchor jumps forward to keep 1,000:
 * one full recompute every thousand bars, instead of none ever matching. Views are memoised per last bar, so
 * repeated questions within a bar cost a map lookup.
 */
export class SeriesViews {
  private readonly anchored = new Map<string, Anchored>();

  constructor(
    private readonly market: MarketService,
    private readonly bars: BarStore,
    private readonly sessionSymbols: () => ReadonlySet<string>,
    private readonly baseTimeframe: () => Timeframe,
    private readonly marketSource: () => MarketSource,
  ) {}

  /** Forgets everything (a new session or a jump in market time). */
  reset(): void {
    this.anchored.clear();
  }

  /** A new closed bar for a symbol: its memoised view is stale. */
  invalidate(symbol: string, timeframe: Timeframe): void {
    const entry = this.anchored.get(`${symbol}|${timeframe}`);
    if (entry) entry.view = null;
  }

  /** The symbol's view in the replay's timeframe, or from imported data; null when there are no bars. */
  view(symbol: string, timeframe?: Timeframe): SeriesView | null {
    if (this.sessionSymbols().has(symbol)) return this.sessionView(symbol, timeframe ?? this.baseTimeframe());
    return this.storedView(symbol, timeframe);
  }

  private sessionView(symbol: string, timeframe: Timeframe): SeriesView | null {
    const key = `${symbol}|${timeframe}`;
    let entry = this.anchored.get(key);
    if (entry?.view) return entry.view;
    const all = this.market.bars(symbol, timeframe, MAX_BARS + 500).bars;
    if (all.length === 0) return null;
    if (!entry) {
      entry = { anchorT: (all[Math.max(0, all.length - KEEP_AFTER_JUMP)] as Bar).t, view: null };
      this.anchored.set(key, entry);
    }
    let start = lowerBound(all, entry.anchorT);
    if (start >= all.length || (all[start] as Bar).t !== entry.anchorT || all.length - start > MAX_BARS) {
      start = Math.max(0, all.length - KEEP_AFTER_JUMP);
      entry.anchorT = (all[start] as Bar).t;
    }
    const bars = start === 0 ? all : all.slice(start);
    const last = bars[bars.length - 1] as Bar;
    entry.view = {
      symbol,
      timeframe,
      source: this.marketSource(),
      bars,
      fingerprint: fingerprintBars(bars, { symbol, timeframe, version: 0 }),
      lastT: last.t,
    };
    return entry.view;
  }

  private storedView(symbol: string, timeframe?: Timeframe): SeriesView | null {
    const series = timeframe
      ? this.bars.series(symbol, timeframe)
      : (this.bars.listSeriesOf(symbol).sort((a, b) => b.rows - a.rows)[0] ?? null);
    if (!series) return null;
    const bars = this.bars.latestBars(symbol, series.timeframe, STORED_BARS);
    if (bars.length === 0) return null;
    const first = bars[0] as Bar;
    const last = bars[bars.length - 1] as Bar;
    return {
      symbol,
      timeframe: series.timeframe,
      source: 'imported',
      bars,
      // Stored bars are identified by their series version and range: no need to hash every field.
      fingerprint: seriesRangeFingerprint(
        { symbol, timeframe: series.timeframe, version: series.version },
        first.t,
        last.t,
        bars.length,
      ),
      lastT: last.t,
    };
  }
}

function lowerBound(bars: readonly Bar[], t: number): number {
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((bars[mid] as Bar).t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
