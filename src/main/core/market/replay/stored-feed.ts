/**
 * Imported bars as a replay feed: several symbols of one timeframe read through a {@link BarReader} in chunks and
 * merged by time. A step is one bar time; symbols without a bar at that time are simply absent from it.
 *
 * Imported data has no trade prints, so each bar gets a small *derived* tick path: open, then the extreme the bar
 * most likely visited first, then the other extreme, then close (O→L→H→C for an up bar, O→H→L→C for a down bar,
 * the usual conservative convention of bar backtesters), spread over the bar's time with its volume split evenly.
 * These ticks are an assumption, not data; only the bars are real.
 */
import type { Bar, Tick, Timeframe } from '../../../../shared/domain/market';
import { timeframeMs } from '../../../../shared/domain/market';
import { AppError } from '../../../../shared/result';
import {
  continuousCalendar,
  DAY_MS,
  formatDay,
  type MarketCalendar,
  newYorkToUtc,
  usEquityCalendar,
} from '../sessions';
import type { BarReader } from '../types';
import type { BarFeed, FeedStep, SymbolBar } from './feed';

const CHUNK = 2_000;

/** The market-time span a stored bar covers: its session hours for a daily bar, else its length cut at the close. */
export function storedBarSpan(
  t: number,
  timeframe: Timeframe,
  calendar: MarketCalendar,
): { startT: number; endT: number } {
  if (timeframe === '1d') {
    // Daily bars are stamped with their date (00:00 UTC, or local midnight by some importers): the UTC date is it.
    const session = calendar.session(Math.floor(t / DAY_MS) * DAY_MS);
    if (session) return { startT: session.open, endT: session.close };
    return { startT: t, endT: t + DAY_MS };
  }
  const endT = t + timeframeMs[timeframe];
  const session = calendar.session(calendar.dayOf(t));
  if (session && t >= session.open && t < session.close) return { startT: t, endT: Math.min(endT, session.close) };
  return { startT: t, endT };
}

/** The derived tick path of one bar (see the file comment). */
export function derivedTicks(symbol: string, bar: Bar, startT: number, endT: number): Tick[] {
  const path = bar.c >= bar.o ? [bar.o, bar.l, bar.h, bar.c] : [bar.o, bar.h, bar.l, bar.c];
  const span = Math.max(endT - startT - 1, 0);
  const times = [startT, startT + Math.floor(span / 3), startT + Math.floor((2 * span) / 3), startT + span];
  const ticks: Tick[] = [];
  const share = bar.v / 4;
  for (let i = 0; i < 4; i++) {
    const price = path[i] as number;
    const last = ticks.at(-1);
    if (last && last.price === price) {
      last.size += share;
      continue;
    }
    ticks.push({ symbol, t: times[i] as number, price, size: share });
  }
  return ticks;
}

interface Cursor {
  symbol: string;
  buffer: Bar[];
  index: number;
  /** Load the next chunk from this time on. */
  nextFromT: number;
  exhausted: boolean;
}

/** How a {@link StoredFeed} reads its bars. */
export interface StoredFeedOptions {
  calendar?: MarketCalendar;
  /** Start position (see {@link BarFeed.seek}); the first bar when omitted. */
  startT?: number;
}

/** Imported series of one timeframe from a {@link BarReader}, merged by time; ends with the data. */
export class StoredFeed implements BarFeed {
  readonly source = 'imported' as const;
  readonly symbols: readonly string[];
  readonly calendar: MarketCalendar;
  readonly firstT: number;
  readonly lastT: number;
  private cursors: Cursor[] = [];
  private pending: FeedStep | null = null;

  constructor(
    private readonly reader: BarReader,
    symbols: readonly string[],
    readonly timeframe: Timeframe,
    options: StoredFeedOptions = {},
  ) {
    if (symbols.length === 0) throw new AppError('BAD_INPUT', 'Choose at least one imported symbol to replay');
    if (new Set(symbols).size !== symbols.length) throw new AppError('BAD_INPUT', 'A symbol is listed twice');
    this.calendar = options.calendar ?? usEquityCalendar;
    const missing: string[] = [];
    let firstT = Number.POSITIVE_INFINITY;
    let lastT = Number.NEGATIVE_INFINITY;
    for (const symbol of symbols) {
      const info = reader.series(symbol, timeframe);
      if (!info || info.rows === 0 || info.firstT === null || info.lastT === null) {
        missing.push(symbol);
        continue;
      }
      firstT = Math.min(firstT, info.firstT);
      lastT = Math.max(lastT, storedBarSpan(info.lastT, timeframe, this.calendar).endT);
    }
    if (missing.length > 0) {
      throw new AppError(
        'NOT_FOUND',
        `No imported ${timeframe} bars for ${missing.join(', ')}. Import a CSV file for ${missing.length === 1 ? 'it' : 'them'} first.`,
        { missing },
      );
    }
    this.symbols = [...symbols];
    this.firstT = firstT;
    this.lastT = lastT;
    this.seek(options.startT ?? firstT);
  }

  peek(): FeedStep | null {
    if (!this.pending) this.pending = this.build();
    return this.pending;
  }

  next(): FeedStep | null {
    const step = this.peek();
    this.pending = null;
    return step;
  }

  seek(t: number): void {
    if (!Number.isFinite(t)) throw new AppError('BAD_INPUT', 'Not a valid time');
    if (t >= this.lastT) {
      throw new AppError('BAD_INPUT', `The imported data ends on ${formatDay(this.lastT - 1)}; choose an earlier date`);
    }
    this.pending = null;
    // A bar that began up to one bar (a day for daily bars) before t may still be in progress at t.
    const lookBack = this.timeframe === '1d' ? DAY_MS : timeframeMs[this.timeframe];
    this.cursors = this.symbols.map((symbol) => {
      const cursor: Cursor = { symbol, buffer: [], index: 0, nextFromT: t - lookBack, exhausted: false };
      for (;;) {
        const bar = this.head(cursor);
        if (!bar || storedBarSpan(bar.t, this.timeframe, this.calendar).endT > t) break;
        cursor.index++;
      }
      return cursor;
    });
  }

  history(t: number, count: number): Bar[][] {
    return this.symbols.map((symbol) => {
      if (count <= 0) return [];
      // One more than needed: the last bar at or before t may still be in progress at t.
      const bars = this.reader.barsBefore(symbol, this.timeframe, t, count + 1);
      const done = bars.filter((b) => storedBarSpan(b.t, this.timeframe, this.calendar).endT <= t);
      return done.slice(Math.max(0, done.length - count));
    });
  }

  private head(cursor: Cursor): Bar | null {
    if (cursor.index < cursor.buffer.length) return cursor.buffer[cursor.index] as Bar;
    if (cursor.exhausted) return null;
    const chunk = this.reader.bars(cursor.symbol, this.timeframe, cursor.nextFromT, undefined, CHUNK);
    if (chunk.length < CHUNK) cursor.exhausted = true;
    const last = chunk.at(-1);
    if (last) cursor.nextFromT = last.t + 1;
    cursor.buffer = chunk;
    cursor.index = 0;
    return chunk[0] ?? null;
  }

  private build(): FeedStep | null {
    let minT = Number.POSITIVE_INFINITY;
    for (const cursor of this.cursors) {
      const bar = this.head(cursor);
      if (bar && bar.t < minT) minT = bar.t;
    }
    if (minT === Number.POSITIVE_INFINITY) return null;
    const { startT, endT } = storedBarSpan(minT, this.timeframe, this.calendar);
    const bars: SymbolBar[] = [];
    const ticks: Tick[] = [];
    for (const cursor of this.cursors) {
      const bar = this.head(cursor);
      if (!bar || bar.t !== minT) continue;
      cursor.index++;
      bars.push({ symbol: cursor.symbol, bar });
      for (const tick of derivedTicks(cursor.symbol, bar, startT, endT)) ticks.push(tick);
    }
    ticks.sort((a, b) => a.t - b.t);
    return { startT, endT, bars, ticks };
  }
}

/**
 * Guesses the calendar of stored bars: continuous (crypto, FX) when a sample of the first symbol's bars trades on
 * weekends or overnight (20:00–04:00 New York, when no US stock venue is open), US equities otherwise.
 */
export function detectCalendar(reader: BarReader, symbol: string, timeframe: Timeframe): MarketCalendar {
  const bars = reader.bars(symbol, timeframe, undefined, undefined, timeframe === '1d' ? 500 : 5_000);
  let offHours = 0;
  for (const b of bars) {
    if (timeframe === '1d') {
      const dow = new Date(b.t).getUTCDay();
      if (dow === 0 || dow === 6) offHours++;
      continue;
    }
    const day = usEquityCalendar.dayOf(b.t);
    const dow = new Date(day).getUTCDay();
    const hour = Math.floor((b.t - newYorkToUtc(day, 0)) / 3_600_000);
    if (dow === 0 || dow === 6 || hour >= 20 || hour < 4) offHours++;
  }
  return offHours > bars.length / 20 ? continuousCalendar : usEquityCalendar;
}
