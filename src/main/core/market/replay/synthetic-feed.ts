/**
 * The synthetic market as a replay feed: one step per regular-session minute, every symbol's 1m bar and prints.
 */
import type { Bar, Tick } from '../../../../shared/domain/market';
import type { MinuteArrays, SyntheticMarket } from '../synthetic/synthetic-market';
import type { BarFeed, FeedStep, SymbolBar } from './feed';

const MINUTE_MS = 60_000;

/** A {@link SyntheticMarket} as a {@link BarFeed}: 1m steps, no end of data, any date since the epoch. */
export class SyntheticFeed implements BarFeed {
  readonly source = 'synthetic' as const;
  readonly timeframe = '1m' as const;
  readonly symbols: readonly string[];
  readonly calendar;
  readonly lastT = null;
  private dayIndex = 0;
  private minute = 0;
  private pending: FeedStep | null = null;

  constructor(
    readonly market: SyntheticMarket,
    startT?: number,
  ) {
    this.symbols = market.symbols;
    this.calendar = market.calendar;
    if (startT !== undefined) this.seek(startT);
  }

  get firstT(): number {
    return this.market.startT;
  }

  peek(): FeedStep | null {
    if (!this.pending) this.pending = this.build();
    return this.pending;
  }

  next(): FeedStep | null {
    const step = this.peek();
    this.pending = null;
    const day = this.market.day(this.dayIndex);
    this.minute++;
    if (this.minute >= day.minutes) {
      this.dayIndex++;
      this.minute = 0;
    }
    return step;
  }

  seek(t: number): void {
    this.dayIndex = this.market.sessionIndexAtOrAfter(t);
    const session = this.market.session(this.dayIndex);
    this.minute = t <= session.open ? 0 : Math.floor((t - session.open) / MINUTE_MS);
    this.pending = null;
  }

  history(t: number, count: number): Bar[][] {
    const out: Bar[][][] = this.symbols.map(() => []);
    if (count <= 0 || t <= this.market.startT) return out.map(() => []);
    let collected = 0;
    // Walk back one session at a time; every symbol has a bar in every minute, so they fill up together.
    for (let i = this.market.sessionIndexAtOrAfter(t); i >= 0 && collected < count; i--) {
      const session = this.market.session(i);
      if (session.open >= t) continue;
      const day = this.market.dayBars(i);
      const minutes = Math.min((day[0] as MinuteArrays).o.length, Math.floor((t - session.open) / MINUTE_MS));
      const take = Math.min(minutes, count - collected);
      day.forEach((sd, s) => {
        const bars: Bar[] = [];
        for (let m = minutes - take; m < minutes; m++) bars.push(minuteBar(sd, m, session.open + m * MINUTE_MS));
        (out[s] as Bar[][]).push(bars);
      });
      collected += take;
    }
    return out.map((chunks) => chunks.reverse().flat());
  }

  private build(): FeedStep {
    const day = this.market.day(this.dayIndex);
    const m = this.minute;
    const startT = day.session.open + m * MINUTE_MS;
    const bars: SymbolBar[] = [];
    const ticks: Tick[] = [];
    for (const sd of day.symbols) {
      bars.push({ symbol: sd.symbol, bar: minuteBar(sd, m, startT) });
      const end = sd.tickStart[m + 1] as number;
      for (let j = sd.tickStart[m] as number; j < end; j++) {
        ticks.push({
          symbol: sd.symbol,
          t: sd.tickT[j] as number,
          price: sd.tickPrice[j] as number,
          size: sd.tickSize[j] as number,
        });
      }
    }
    // Stable sort: prints at the same millisecond stay in symbol order.
    ticks.sort((a, b) => a.t - b.t);
    return { startT, endT: startT + MINUTE_MS, bars, ticks };
  }
}

function minuteBar(sd: MinuteArrays, m: number, t: number): Bar {
  return {
    t,
    o: sd.o[m] as number,
    h: sd.h[m] as number,
    l: sd.l[m] as number,
    c: sd.c[m] as number,
    v: sd.v[m] as number,
  };
}
