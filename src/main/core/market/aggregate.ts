/**
 * Bars from bars, and bars from ticks. Used by the synthetic market (ticks → 1m → 5m/15m/1h/1d), by replay (live
 * coarser bars while 1m bars complete) and for imported intraday data.
 *
 * Buckets: 5m and 15m bars are clock-aligned; 1h bars are anchored at the calendar's hour anchor (09:30, 10:30, …
 * for US stocks, so the last hour of a session is 15:30–16:00); a daily bar is one exchange-local trading day,
 * stamped with its day key (00:00 UTC of the local date) and, when the calendar knows the day's session, built from
 * regular-hours bars only (pre- and post-market bars stay in intraday charts but not in the daily bar, as vendors do).
 * A bucket never spans a session close: the 1h bar that starts at 12:30 on a 13:00 early-close day ends at 13:00,
 * and post-market trading from 16:00 goes into a bucket that starts at 16:00.
 */
import { type Bar, type Tick, type Timeframe, timeframeMs, timeframes } from '../../../shared/domain/market';
import { AppError } from '../../../shared/result';
import { type MarketCalendar, usEquityCalendar } from './sessions';

/** Position of a timeframe from finest (0, 1m) to coarsest. */
export function timeframeRank(tf: Timeframe): number {
  return timeframes.indexOf(tf);
}

/** Open time of the `timeframe` bucket that contains `t`. */
export function bucketStart(t: number, timeframe: Timeframe, calendar: MarketCalendar = usEquityCalendar): number {
  if (timeframe === '1d') return calendar.dayOf(t);
  const ms = timeframeMs[timeframe];
  const anchor = timeframe === '1h' ? calendar.hourAnchorMs : 0;
  const start = Math.floor((t - anchor) / ms) * ms + anchor;
  // A bucket never straddles the close: post-market trading after 16:00 (or 13:00) starts a bucket of its own.
  const session = calendar.session(calendar.dayOf(t));
  if (session && t >= session.close && start < session.close) return session.close;
  return start;
}

/**
 * The instant the bucket that contains `t` is complete: its nominal end, cut at the session close when `t` is in
 * regular hours; for a daily bucket, the session close (or the local midnight on a day without a session).
 */
export function bucketEnd(t: number, timeframe: Timeframe, calendar: MarketCalendar = usEquityCalendar): number {
  const day = calendar.dayOf(t);
  const session = calendar.session(day);
  if (timeframe === '1d') return session ? session.close : calendar.dayEnd(day);
  const ms = timeframeMs[timeframe];
  const anchor = timeframe === '1h' ? calendar.hourAnchorMs : 0;
  const end = Math.floor((t - anchor) / ms) * ms + anchor + ms;
  if (session && t >= session.open && t < session.close) return Math.min(end, session.close);
  return end;
}

/**
 * Whether a bar that opens at `t` and lasts `lengthMs` (0 for a tick) belongs in a daily bar: it must overlap
 * regular hours when the day's session is known (a vendor's 09:00 hourly bar holds 09:30–10:00 trading).
 */
function inDailyBar(t: number, lengthMs: number, calendar: MarketCalendar): boolean {
  const session = calendar.session(calendar.dayOf(t));
  return !session || (t < session.close && (t >= session.open || t + lengthMs > session.open));
}

function checkTimeframes(from: Timeframe, to: Timeframe): void {
  if (timeframeRank(to) < timeframeRank(from)) {
    throw new AppError('BAD_INPUT', `Cannot aggregate ${from} bars into finer ${to} bars`);
  }
}

/**
 * Streaming aggregation of ascending bars of one symbol into a coarser timeframe. A coarse bar is returned as soon
 * as it is complete: when its last fine bar arrives (the 1m bar that ends at the bucket's end), when a bar of a
 * later bucket arrives, or when market time passes its end ({@link advanceTo}), so a missing last minute never
 * holds a daily bar back until the next morning.
 */
export class BarAggregator {
  private current: Bar | null = null;
  private currentEnd = 0;
  private lastT = Number.NEGATIVE_INFINITY;
  private readonly fromMs: number;

  constructor(
    readonly from: Timeframe,
    readonly to: Timeframe,
    private readonly calendar: MarketCalendar = usEquityCalendar,
  ) {
    checkTimeframes(from, to);
    this.fromMs = timeframeMs[from];
  }

  /** Adds the next completed fine bar; returns the coarse bars this completes (oldest first, at most two). */
  push(bar: Bar): Bar[] {
    if (bar.t <= this.lastT) {
      throw new AppError(
        'BAD_INPUT',
        `Bars must be in ascending time: ${new Date(bar.t).toISOString()} came after ${new Date(this.lastT).toISOString()}`,
      );
    }
    this.lastT = bar.t;
    if (this.from === this.to) return [{ ...bar }];
    if (this.to === '1d' && !inDailyBar(bar.t, this.fromMs, this.calendar)) return [];
    const done: Bar[] = [];
    const start = bucketStart(bar.t, this.to, this.calendar);
    if (this.current && this.current.t !== start) {
      done.push(this.current);
      this.current = null;
    }
    if (this.current) {
      const c = this.current;
      if (bar.h > c.h) c.h = bar.h;
      if (bar.l < c.l) c.l = bar.l;
      c.c = bar.c;
      c.v += bar.v;
    } else {
      this.current = { t: start, o: bar.o, h: bar.h, l: bar.l, c: bar.c, v: bar.v };
      this.currentEnd = bucketEnd(bar.t, this.to, this.calendar);
    }
    if (bar.t + this.fromMs >= this.currentEnd) {
      done.push(this.current);
      this.current = null;
    }
    return done;
  }

  /** Completes the bucket in progress when market time `t` has reached its end. */
  advanceTo(t: number): Bar[] {
    if (this.current && t >= this.currentEnd) {
      const bar = this.current;
      this.current = null;
      return [bar];
    }
    return [];
  }

  /** The coarse bar still forming (a copy), or null. */
  partial(): Bar | null {
    return this.current ? { ...this.current } : null;
  }

  /** Completes whatever is in progress (end of data). */
  flush(): Bar[] {
    if (!this.current) return [];
    const bar = this.current;
    this.current = null;
    return [bar];
  }
}

/** Aggregates ascending bars of one symbol into a coarser timeframe (the last bucket may be partial). */
export function aggregateBars(
  bars: readonly Bar[],
  from: Timeframe,
  to: Timeframe,
  calendar: MarketCalendar = usEquityCalendar,
): Bar[] {
  const aggregator = new BarAggregator(from, to, calendar);
  const out: Bar[] = [];
  for (const bar of bars) for (const done of aggregator.push(bar)) out.push(done);
  for (const done of aggregator.flush()) out.push(done);
  return out;
}

/**
 * Aggregates the trade ticks of one symbol (non-decreasing time) into bars of `timeframe`. Volume is the sum of
 * tick sizes; a bucket without ticks has no bar.
 */
export function aggregateTicks(
  ticks: readonly Tick[],
  timeframe: Timeframe,
  calendar: MarketCalendar = usEquityCalendar,
): Bar[] {
  const out: Bar[] = [];
  let current: Bar | null = null;
  let lastT = Number.NEGATIVE_INFINITY;
  const symbol = ticks[0]?.symbol;
  for (const tick of ticks) {
    if (tick.symbol !== symbol) {
      throw new AppError('BAD_INPUT', `Ticks of ${symbol} and ${tick.symbol} cannot go into one bar series`);
    }
    if (tick.t < lastT) throw new AppError('BAD_INPUT', 'Ticks must be in time order');
    lastT = tick.t;
    if (timeframe === '1d' && !inDailyBar(tick.t, 0, calendar)) continue;
    const start = bucketStart(tick.t, timeframe, calendar);
    if (current && current.t === start) {
      if (tick.price > current.h) current.h = tick.price;
      if (tick.price < current.l) current.l = tick.price;
      current.c = tick.price;
      current.v += tick.size;
    } else {
      if (current) out.push(current);
      current = { t: start, o: tick.price, h: tick.price, l: tick.price, c: tick.price, v: tick.size };
    }
  }
  if (current) out.push(current);
  return out;
}
