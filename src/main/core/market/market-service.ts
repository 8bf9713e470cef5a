/**
 * The market service owns the active replay session: the seeded synthetic market for the watchlist by default, or
 * imported series chosen by the user. It keeps what the desk shows (per-symbol quotes with day change, recent bars
 * per timeframe and the bar still forming) and pushes what happens:
 *
 * - to the desk, batched on the wall clock (about every 50 ms): `onTicks` (decimated when a batch is too large to be
 *   useful on screen), `onBars` and `onReplayState`, through the `emit` callback the engine provides;
 * - to in-process consumers (the paper broker, the model slots), synchronously and complete: every tick and every
 *   completed bar of every timeframe, in market-time order, through {@link MarketService.subscribe}.
 *
 * Coarser timeframes are aggregated live from the replay's base bars, so a 5m bar completes with its last minute.
 */
import type {
  MarketEventName,
  MarketEventPayload,
  Quote,
  ReplayLoadInput,
  ReplayState,
} from '../../../shared/contract/market';
import type { Bar, MarketSource, Tick, Timeframe } from '../../../shared/domain/market';
import { timeframeMs, timeframes } from '../../../shared/domain/market';
import { AppError } from '../../../shared/result';
import type { Logger } from '../config';
import { BarAggregator, bucketStart, timeframeRank } from './aggregate';
import type { BarFeed, FeedStep } from './replay/feed';
import {
  type ClockSink,
  type ClockState,
  ReplayClock,
  type ReplayClockOptions,
  type ReplaySpeed,
} from './replay/replay-clock';
import { RingBuffer } from './replay/ring-buffer';
import { type Scheduler, systemScheduler } from './replay/scheduler';
import { detectCalendar, StoredFeed } from './replay/stored-feed';
import { SyntheticFeed } from './replay/synthetic-feed';
import { continuousCalendar, DAY_MS, type MarketCalendar, usEquityCalendar } from './sessions';
import { SyntheticMarket } from './synthetic/synthetic-market';
import type { BarEvent, BarReader } from './types';

/** Seed of the synthetic market when no setting says otherwise. */
export const DEFAULT_SYNTHETIC_SEED = 42;
/**
 * Where the synthetic market starts by default: a fixed recent open (2025-01-02 09:30 New York). Never "now": the
 * same seed must give the same session on every launch.
 */
export const DEFAULT_SYNTHETIC_START = Date.parse('2025-01-02T14:30:00Z');

const DEFAULT_RING_CAPACITY: Record<Timeframe, number> = {
  '1m': 5_000,
  '5m': 3_000,
  '15m': 2_000,
  '1h': 2_000,
  '1d': 2_000,
};

/** In-process consumer of the market. Calls are synchronous, complete and in market-time order. */
export interface MarketListener {
  /** Every trade tick (imported data: the derived ticks of each bar). */
  onTick?(tick: Tick, source: MarketSource): void;
  /**
   * Every completed bar of every timeframe: the base bars of a step first (symbol order), then the coarser bars they
   * complete (timeframe order). Never a bar before its end in market time.
   */
  onBar?(event: BarEvent): void;
  /** A new session was loaded or the clock jumped: drop per-symbol streaming state; history restarts at `marketT`. */
  onReset?(info: {
    reason: 'load' | 'seek';
    marketT: number;
    source: MarketSource;
    symbols: readonly string[];
    /** The session's base timeframe (listeners must not call back into the service while it loads). */
    timeframe: Timeframe;
  }): void;
}

/** How the engine receives the desk's events. */
export type MarketEmit = <E extends MarketEventName>(event: E, payload: MarketEventPayload<E>) => void;

/** Everything the market service takes from the engine; all optional (tests pass a ManualScheduler). */
export interface MarketServiceOptions {
  /** Wall-clock timers for pacing and batching (tests pass a ManualScheduler). */
  scheduler?: Scheduler;
  /** The bar store, for replaying imported series. */
  reader?: BarReader;
  emit?: MarketEmit;
  /** The synthetic session used until `load` is called: the configured seed and the watchlist. */
  defaults?: () => { seed?: number; symbols?: readonly string[] };
  log?: Logger;
  /** Wall ms between event batches to the desk. */
  flushMs?: number;
  /** Above this many ticks in one batch, ticks are decimated (per bar: open, high, low, last). */
  maxTicksPerFlush?: number;
  /** Above this many bars in one batch, only the newest go out, flagged `truncated`. */
  maxBarsPerFlush?: number;
  /** Sessions of 1m history generated before the synthetic start (chart history). */
  historySessions?: number;
  /** Base bars of history read per imported symbol. */
  historyBars?: number;
  ringCapacity?: Partial<Record<Timeframe, number>>;
  /** Replay clock tuning (frame lengths, budgets). */
  clock?: Omit<ReplayClockOptions, 'scheduler' | 'startT' | 'onError'>;
}

interface SymbolState {
  symbol: string;
  last: number | null;
  lastT: number | null;
  prevClose: number | null;
  /** Trading day of the last trade. */
  day: number | null;
  open: number | null;
  high: number | null;
  low: number | null;
  volume: number;
  /** The base bar in progress, built from the ticks played so far. */
  forming: Bar | null;
  /** Open time of the base bar in progress (known from the step; prices only from ticks). */
  formingT: number | null;
  aggregators: Map<Timeframe, BarAggregator>;
  rings: Map<Timeframe, RingBuffer<Bar>>;
}

interface Session {
  feed: BarFeed;
  clock: ReplayClock;
  source: MarketSource;
  symbols: readonly string[];
  timeframe: Timeframe;
  seed: number | null;
  calendar: MarketCalendar;
  coarser: Timeframe[];
  states: Map<string, SymbolState>;
}

/** The active market session, its state for the desk, and its event streams. */
export class MarketService {
  private readonly scheduler: Scheduler;
  private readonly listeners = new Set<MarketListener>();
  private session: Session | null = null;
  private pendingTicks: Tick[] = [];
  private pendingBars: BarEvent[] = [];
  private changedQuotes = new Set<string>();
  private flushTimer: unknown = null;
  private closed = false;

  constructor(private readonly options: MarketServiceOptions = {}) {
    this.scheduler = options.scheduler ?? systemScheduler;
  }

  /** Replaces the session. The old one stops; nothing changes when the new one cannot be loaded. */
  load(input: ReplayLoadInput): ReplayState {
    this.checkOpen();
    let feed: BarFeed;
    let seed: number | null = null;
    let startT: number | undefined = input.start;
    if (input.source === 'synthetic') {
      const defaults = this.options.defaults?.() ?? {};
      seed = input.seed ?? defaults.seed ?? DEFAULT_SYNTHETIC_SEED;
      const symbols = input.symbols ?? defaults.symbols ?? ['AAPL', 'MSFT', 'TSLA', 'NVDA', 'SPY'];
      const market = new SyntheticMarket({ seed, symbols: symbols.map((s) => s.toUpperCase()) });
      startT ??= DEFAULT_SYNTHETIC_START;
      market.checkTime(startT);
      feed = new SyntheticFeed(market);
    } else {
      const reader = this.options.reader;
      if (!reader)
        throw new AppError('UNAVAILABLE', 'The bar store is not available, so imported data cannot be replayed');
      const first = input.symbols[0] as string;
      if (!reader.series(first, input.timeframe)) {
        throw new AppError(
          'NOT_FOUND',
          `No imported ${input.timeframe} bars for ${first}. Import a CSV file for it first.`,
          { missing: [first] },
        );
      }
      const calendar =
        input.calendar === 'continuous'
          ? continuousCalendar
          : input.calendar === 'us-equity'
            ? usEquityCalendar
            : detectCalendar(reader, first, input.timeframe);
      feed = new StoredFeed(reader, input.symbols, input.timeframe, { calendar });
      startT ??= feed.firstT;
    }
    // Validate the start before anything changes: a bad date must leave the current session playing untouched.
    feed.seek(startT);
    this.flush();
    const previous = this.session;
    const speed = previous?.clock.state().speed ?? 1;
    const session: Session = {
      feed,
      // Assigned right below: the clock's constructor already seeks and calls back into the session.
      clock: null as unknown as ReplayClock,
      source: feed.source,
      symbols: feed.symbols,
      timeframe: feed.timeframe,
      seed,
      calendar: feed.calendar,
      coarser: timeframes.filter((tf) => timeframeRank(tf) > timeframeRank(feed.timeframe)),
      states: new Map(),
    };
    let resetReason: 'load' | 'seek' = 'load';
    const sink: ClockSink = {
      stepStarted: (step) => this.onStepStarted(session, step),
      ticks: (ticks) => this.onTicks(session, ticks),
      stepCompleted: (step) => this.onStepCompleted(session, step),
      reset: (marketT) => {
        this.onReset(session, marketT, resetReason);
        resetReason = 'seek';
      },
      state: (state) => this.onClockState(session, state),
    };
    session.clock = new ReplayClock(feed, sink, {
      ...this.options.clock,
      scheduler: this.scheduler,
      startT,
      speed,
      onError: (error) => this.options.log?.error('The replay stopped: delivering market data failed', error),
    });
    previous?.clock.dispose();
    this.session = session;
    const state = this.state();
    this.emit('onReplayState', state);
    return state;
  }

  /** The replay session's state (loads the default synthetic session on first use). */
  state(): ReplayState {
    const s = this.active();
    return this.describe(s, s.clock.state());
  }

  play(): ReplayState {
    this.active().clock.play();
    return this.state();
  }

  pause(): ReplayState {
    this.active().clock.pause();
    this.flush();
    return this.state();
  }

  step(): ReplayState {
    this.active().clock.step();
    this.flush();
    return this.state();
  }

  seek(t: number): ReplayState {
    const s = this.active();
    s.clock.seek(t);
    this.flush();
    return this.state();
  }

  setSpeed(speed: ReplaySpeed): ReplayState {
    this.active().clock.setSpeed(speed);
    return this.state();
  }

  /** Quotes of every symbol of the session, in session order. */
  quotes(): { source: MarketSource; marketT: number; quotes: Quote[] } {
    const s = this.active();
    return {
      source: s.source,
      marketT: s.clock.state().marketT,
      quotes: s.symbols.map((symbol) => this.quote(s, s.states.get(symbol) as SymbolState)),
    };
  }

  /** The newest `limit` completed bars of a symbol and timeframe, oldest first, and the bar still forming. */
  bars(
    symbol: string,
    timeframe: Timeframe,
    limit = 500,
  ): { symbol: string; timeframe: Timeframe; source: MarketSource; bars: Bar[]; forming: Bar | null } {
    const s = this.active();
    const st = s.states.get(symbol.toUpperCase()) ?? s.states.get(symbol);
    if (!st) {
      throw new AppError('NOT_FOUND', `${symbol} is not in the replay session (${s.symbols.join(', ')})`);
    }
    if (timeframeRank(timeframe) < timeframeRank(s.timeframe)) {
      throw new AppError(
        'BAD_INPUT',
        `This replay plays ${s.timeframe} bars, so ${timeframe} bars are not available; choose ${s.timeframe} or coarser`,
      );
    }
    const ring = st.rings.get(timeframe) as RingBuffer<Bar>;
    return {
      symbol: st.symbol,
      timeframe,
      source: s.source,
      bars: ring.tail(limit),
      forming: this.forming(s, st, timeframe),
    };
  }

  /** Registers an in-process consumer; returns the function that removes it. */
  subscribe(listener: MarketListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Stops playback and timers. */
  close(): void {
    if (this.closed) return;
    this.session?.clock.dispose();
    this.flush();
    this.closed = true;
    this.listeners.clear();
  }

  private checkOpen(): void {
    if (this.closed) throw new AppError('UNAVAILABLE', 'The market service is shut down');
  }

  private active(): Session {
    this.checkOpen();
    if (!this.session) this.load({ source: 'synthetic' });
    return this.session as Session;
  }

  private describe(s: Session, clock: ClockState): ReplayState {
    return {
      source: s.source,
      symbols: [...s.symbols],
      timeframe: s.timeframe,
      seed: s.seed,
      playing: clock.playing,
      speed: clock.speed,
      marketT: Math.floor(clock.marketT),
      firstT: s.feed.firstT,
      lastT: s.feed.lastT,
      ended: clock.ended,
      effectiveSpeed: clock.effectiveSpeed,
    };
  }

  /** Trading day of a base bar: its UTC date for daily bars (stamped with their date), else the calendar's. */
  private barDay(s: Session, t: number): number {
    return s.timeframe === '1d' ? Math.floor(t / DAY_MS) * DAY_MS : s.calendar.dayOf(t);
  }

  private onReset(s: Session, marketT: number, reason: 'load' | 'seek'): void {
    const historyCount =
      s.source === 'synthetic' ? (this.options.historySessions ?? 30) * 390 : (this.options.historyBars ?? 20_000);
    const history = s.feed.history(marketT, historyCount);
    s.states.clear();
    s.symbols.forEach((symbol, i) => {
      const st = this.freshState(s, symbol);
      const bars = history[i] as Bar[];
      const baseRing = st.rings.get(s.timeframe) as RingBuffer<Bar>;
      for (const bar of bars) {
        baseRing.push(bar);
        for (const tf of s.coarser) {
          for (const done of (st.aggregators.get(tf) as BarAggregator).push(bar)) {
            (st.rings.get(tf) as RingBuffer<Bar>).push(done);
          }
        }
      }
      for (const tf of s.coarser) {
        for (const done of (st.aggregators.get(tf) as BarAggregator).advanceTo(marketT)) {
          (st.rings.get(tf) as RingBuffer<Bar>).push(done);
        }
      }
      this.quoteFromHistory(s, st, bars);
      s.states.set(symbol, st);
    });
    // Batched events of the old position are obsolete: the desk reloads its charts on onReplayState.
    this.pendingTicks = [];
    this.pendingBars = [];
    this.changedQuotes.clear();
    for (const listener of [...this.listeners]) {
      this.safely(() =>
        listener.onReset?.({ reason, marketT, source: s.source, symbols: s.symbols, timeframe: s.timeframe }),
      );
    }
  }

  private freshState(s: Session, symbol: string): SymbolState {
    const capacity = { ...DEFAULT_RING_CAPACITY, ...this.options.ringCapacity };
    const rings = new Map<Timeframe, RingBuffer<Bar>>();
    const aggregators = new Map<Timeframe, BarAggregator>();
    rings.set(s.timeframe, new RingBuffer(capacity[s.timeframe]));
    for (const tf of s.coarser) {
      rings.set(tf, new RingBuffer(capacity[tf]));
      aggregators.set(tf, new BarAggregator(s.timeframe, tf, s.calendar));
    }
    return {
      symbol,
      last: null,
      lastT: null,
      prevClose: null,
      day: null,
      open: null,
      high: null,
      low: null,
      volume: 0,
      forming: null,
      formingT: null,
      aggregators,
      rings,
    };
  }

  /** Quote fields as of the end of the history: the last day's stats and the close of the day before. */
  private quoteFromHistory(s: Session, st: SymbolState, bars: readonly Bar[]): void {
    const lastBar = bars.at(-1);
    if (!lastBar) return;
    const day = this.barDay(s, lastBar.t);
    st.day = day;
    st.last = lastBar.c;
    st.lastT = lastBar.t;
    st.volume = 0;
    for (let i = bars.length - 1; i >= 0; i--) {
      const bar = bars[i] as Bar;
      if (this.barDay(s, bar.t) !== day) {
        st.prevClose = bar.c;
        break;
      }
      st.open = bar.o;
      st.high = Math.max(st.high ?? bar.h, bar.h);
      st.low = Math.min(st.low ?? bar.l, bar.l);
      st.volume += bar.v;
    }
  }

  private onStepStarted(s: Session, step: FeedStep): void {
    const events: BarEvent[] = [];
    // Coarse buckets whose last base bar never came (a missing minute) complete once market time passes their end.
    for (const symbol of s.symbols) {
      const st = s.states.get(symbol) as SymbolState;
      for (const tf of s.coarser) {
        for (const bar of (st.aggregators.get(tf) as BarAggregator).advanceTo(step.startT)) {
          (st.rings.get(tf) as RingBuffer<Bar>).push(bar);
          events.push({ symbol, timeframe: tf, source: s.source, bar });
        }
      }
    }
    for (const { symbol, bar } of step.bars) {
      const st = s.states.get(symbol) as SymbolState;
      st.forming = null;
      st.formingT = bar.t;
    }
    if (events.length > 0) this.deliverBars(events);
  }

  private onTicks(s: Session, ticks: readonly Tick[]): void {
    const source = s.source;
    for (const tick of ticks) {
      const st = s.states.get(tick.symbol) as SymbolState;
      const day = s.calendar.dayOf(tick.t);
      if (st.day !== day) {
        if (st.last !== null) st.prevClose = st.last;
        st.day = day;
        st.open = tick.price;
        st.high = tick.price;
        st.low = tick.price;
        st.volume = 0;
      }
      st.last = tick.price;
      st.lastT = tick.t;
      if (tick.price > (st.high as number)) st.high = tick.price;
      if (tick.price < (st.low as number)) st.low = tick.price;
      st.volume += tick.size;
      const f = st.forming;
      if (f) {
        if (tick.price > f.h) f.h = tick.price;
        if (tick.price < f.l) f.l = tick.price;
        f.c = tick.price;
        f.v += tick.size;
      } else {
        const t = st.formingT ?? tick.t;
        st.forming = { t, o: tick.price, h: tick.price, l: tick.price, c: tick.price, v: tick.size };
      }
      this.changedQuotes.add(tick.symbol);
      for (const listener of this.listeners) {
        if (listener.onTick) this.safely(() => listener.onTick?.(tick, source));
      }
      this.pendingTicks.push(tick);
    }
    this.scheduleFlush();
  }

  private onStepCompleted(s: Session, step: FeedStep): void {
    const events: BarEvent[] = [];
    for (const { symbol, bar } of step.bars) {
      const st = s.states.get(symbol) as SymbolState;
      st.forming = null;
      st.formingT = null;
      (st.rings.get(s.timeframe) as RingBuffer<Bar>).push(bar);
      events.push({ symbol, timeframe: s.timeframe, source: s.source, bar });
    }
    for (const tf of s.coarser) {
      for (const { symbol, bar } of step.bars) {
        const st = s.states.get(symbol) as SymbolState;
        for (const done of (st.aggregators.get(tf) as BarAggregator).push(bar)) {
          (st.rings.get(tf) as RingBuffer<Bar>).push(done);
          events.push({ symbol, timeframe: tf, source: s.source, bar: done });
        }
      }
    }
    this.deliverBars(events);
  }

  private deliverBars(events: BarEvent[]): void {
    for (const event of events) {
      for (const listener of this.listeners) {
        if (listener.onBar) this.safely(() => listener.onBar?.(event));
      }
      this.pendingBars.push(event);
    }
    this.scheduleFlush();
  }

  private onClockState(s: Session, clock: ClockState): void {
    // Only the active session speaks; during load the new one becomes active right after its clock is built.
    if (this.session !== s) return;
    this.flush();
    this.emit('onReplayState', this.describe(s, clock));
  }

  private quote(s: Session, st: SymbolState): Quote {
    const change = st.last !== null && st.prevClose !== null ? st.last - st.prevClose : null;
    return {
      symbol: st.symbol,
      source: s.source,
      t: st.lastT,
      last: st.last,
      prevClose: st.prevClose,
      change,
      changePct: change !== null && st.prevClose ? (change / st.prevClose) * 100 : null,
      open: st.open,
      high: st.high,
      low: st.low,
      volume: st.volume,
    };
  }

  private forming(s: Session, st: SymbolState, timeframe: Timeframe): Bar | null {
    const base = st.forming ? { ...st.forming } : null;
    if (timeframe === s.timeframe) return base;
    const partial = (st.aggregators.get(timeframe) as BarAggregator).partial();
    if (!base) return partial;
    const bucket = bucketStart(base.t, timeframe, s.calendar);
    if (!partial || partial.t !== bucket) return { ...base, t: bucket };
    return {
      t: partial.t,
      o: partial.o,
      h: Math.max(partial.h, base.h),
      l: Math.min(partial.l, base.l),
      c: base.c,
      v: partial.v + base.v,
    };
  }

  private scheduleFlush(): void {
    if (this.flushTimer !== null || this.closed) return;
    this.flushTimer = this.scheduler.setTimeout(() => {
      this.flushTimer = null;
      this.flush();
    }, this.options.flushMs ?? 50);
  }

  /** Sends what is pending to the desk now. */
  flush(): void {
    if (this.flushTimer !== null) {
      this.scheduler.clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    const s = this.session;
    if (!s) return;
    if (this.pendingTicks.length > 0 || this.changedQuotes.size > 0) {
      const all = this.pendingTicks;
      // Grouping by base bar only needs to be consistent, not calendar-exact: plain division is enough intraday.
      const barMs = timeframeMs[s.timeframe];
      const bucketOf = s.timeframe === '1d' ? (t: number) => s.calendar.dayOf(t) : (t: number) => Math.floor(t / barMs);
      const ticks = decimateTicks(all, this.options.maxTicksPerFlush ?? 2_000, bucketOf);
      const quotes = [...this.changedQuotes].map((symbol) => this.quote(s, s.states.get(symbol) as SymbolState));
      this.pendingTicks = [];
      this.changedQuotes.clear();
      this.emit('onTicks', {
        marketT: Math.floor(s.clock.state().marketT),
        ticks,
        quotes,
        dropped: all.length - ticks.length,
      });
    }
    if (this.pendingBars.length > 0) {
      const max = this.options.maxBarsPerFlush ?? 2_000;
      const all = this.pendingBars;
      this.pendingBars = [];
      const truncated = all.length > max;
      this.emit('onBars', {
        bars: truncated ? all.slice(all.length - max) : all,
        truncated,
      });
    }
  }

  private emit<E extends MarketEventName>(event: E, payload: MarketEventPayload<E>): void {
    const emit = this.options.emit;
    if (emit) this.safely(() => emit(event, payload));
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      // One failing consumer must not stop the tape for the others (a fill, a chart).
      this.options.log?.error('A market data consumer failed', error);
    }
  }
}

/**
 * Thins a batch of ticks for the screen: when there are more than `max`, keep for each symbol and bar the ticks
 * that carry its open, high, low and last price (what a chart and a quote need); if that is still too many, keep
 * those of each symbol's newest bar only. Order is preserved.
 */
export function decimateTicks(ticks: readonly Tick[], max: number, bucketOf: (t: number) => number): Tick[] {
  if (ticks.length <= max) return ticks as Tick[];
  const keep = new Uint8Array(ticks.length);
  interface Marks {
    bucket: number;
    first: number;
    hi: number;
    lo: number;
    last: number;
  }
  const open = new Map<string, Marks>();
  const newest = new Map<string, number>();
  const mark = (m: Marks) => {
    keep[m.first] = 1;
    keep[m.hi] = 1;
    keep[m.lo] = 1;
    keep[m.last] = 1;
  };
  ticks.forEach((tick, i) => {
    const bucket = bucketOf(tick.t);
    const m = open.get(tick.symbol);
    if (!m || m.bucket !== bucket) {
      if (m) mark(m);
      open.set(tick.symbol, { bucket, first: i, hi: i, lo: i, last: i });
      newest.set(tick.symbol, bucket);
      return;
    }
    if (tick.price > (ticks[m.hi] as Tick).price) m.hi = i;
    if (tick.price < (ticks[m.lo] as Tick).price) m.lo = i;
    m.last = i;
  });
  for (const m of open.values()) mark(m);
  let kept = ticks.filter((_, i) => keep[i] === 1);
  if (kept.length > max) {
    kept = kept.filter((tick) => bucketOf(tick.t) === newest.get(tick.symbol));
  }
  return kept;
}
