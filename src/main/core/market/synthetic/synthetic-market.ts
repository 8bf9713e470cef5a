/**
 * The seeded synthetic market: the desk's default when no data is imported. A seed names one market from the epoch
 * (2010-01-04) on; every symbol's path is its own random stream, so the same seed gives the same AAPL whatever else
 * is on the watchlist, and any day can be generated on its own (seeking to a date costs one day of work).
 *
 * Everything it produces is simulated, and says so: bars and ticks leave through feeds and the market service with
 * `source: 'synthetic'`.
 */
import { type Bar, type Tick, type Timeframe, timeframeMs } from '../../../../shared/domain/market';
import { AppError } from '../../../../shared/result';
import { aggregateBars } from '../aggregate';
import { formatDay, parseDay, type Session, usEquityCalendar } from '../sessions';
import { type GeneratedDay, generateDay, type SymbolDay } from './intraday';
import { profileFor, type SymbolProfile } from './profiles';
import { REGIMES, type RegimeName } from './regimes';
import { DailySkeleton, type MarketPlan, type SymbolPlan } from './skeleton';

/** First trading day of the synthetic market. */
export const SYNTHETIC_EPOCH_DAY = parseDay('2010-01-04');
/** Largest seed accepted (seeds are unsigned 32-bit integers). */
export const MAX_SEED = 0xffff_ffff;
/** Most symbols one synthetic session simulates. */
export const MAX_SYNTHETIC_SYMBOLS = 50;
/** Days of generated detail (every print) kept in memory. */
const DAY_CACHE_SIZE = 6;
/** Memory for cached 1m bars (without prints), so reading a year symbol by symbol generates each day once. */
const BAR_CACHE_BYTES = 48 * 1024 * 1024;

/** One symbol's 1m bars of a day as arrays by minute of the session. */
export type MinuteArrays = Pick<SymbolDay, 'o' | 'h' | 'l' | 'c' | 'v'>;

/** What defines a synthetic market: the seed, the symbols, and optional profile changes. */
export interface SyntheticMarketOptions {
  seed: number;
  /** Tickers to simulate, in display order (upper case). */
  symbols: readonly string[];
  /** Per-symbol changes to the built-in or derived profile (scenarios, tests). */
  profiles?: Readonly<Record<string, Partial<Omit<SymbolProfile, 'symbol'>>>>;
}

/** What happened on one simulated day, for tests and for explaining the tape. */
export interface SyntheticDayInfo {
  index: number;
  session: Session;
  regime: RegimeName;
  /** Symbols whose open gapped on a jump (earnings-like or market-wide), with the jump in log return. */
  gapJumps: { symbol: string; size: number }[];
  /** Intraday jumps: the minute of the session and the size in log return (market-wide ones under 'market'). */
  intradayJumps: { symbol: string; minute: number; size: number }[];
}

/** The seeded synthetic market over a fixed list of symbols. */
export class SyntheticMarket {
  readonly source = 'synthetic' as const;
  readonly calendar = usEquityCalendar;
  readonly seed: number;
  readonly symbols: readonly string[];
  readonly profiles: readonly SymbolProfile[];
  private readonly skeleton: DailySkeleton;
  private readonly days = new Map<number, GeneratedDay>();
  private readonly barDays = new Map<number, MinuteArrays[]>();
  private readonly barCacheDays: number;
  private readonly symbolIndex = new Map<string, number>();

  constructor(options: SyntheticMarketOptions) {
    const { seed, symbols } = options;
    if (!Number.isSafeInteger(seed) || seed < 0 || seed > MAX_SEED) {
      throw new AppError('BAD_INPUT', `The synthetic market's seed must be a whole number from 0 to ${MAX_SEED}`);
    }
    if (symbols.length === 0) throw new AppError('BAD_INPUT', 'The synthetic market needs at least one symbol');
    if (symbols.length > MAX_SYNTHETIC_SYMBOLS) {
      throw new AppError('BAD_INPUT', `The synthetic market simulates at most ${MAX_SYNTHETIC_SYMBOLS} symbols`);
    }
    const seen = new Set<string>();
    for (const symbol of symbols) {
      if (seen.has(symbol)) throw new AppError('BAD_INPUT', `${symbol} is listed twice`);
      seen.add(symbol);
    }
    this.seed = seed;
    this.symbols = [...symbols];
    this.profiles = symbols.map((symbol) => ({ ...profileFor(symbol), ...options.profiles?.[symbol], symbol }));
    this.symbols.forEach((s, i) => {
      this.symbolIndex.set(s, i);
    });
    this.skeleton = new DailySkeleton(seed, this.profiles, SYNTHETIC_EPOCH_DAY);
    // 5 arrays of 390 doubles per symbol and day.
    this.barCacheDays = Math.max(DAY_CACHE_SIZE, Math.floor(BAR_CACHE_BYTES / (symbols.length * 390 * 5 * 8)));
  }

  /** Open of the first simulated session. */
  get startT(): number {
    return this.session(0).open;
  }

  /** The i-th session since the epoch. */
  session(index: number): Session {
    this.skeleton.ensure(index + 1);
    return this.skeleton.sessions[index] as Session;
  }

  /** Index of the session in progress at `t` or the next one (the first whose close is after `t`). */
  sessionIndexAtOrAfter(t: number): number {
    this.checkTime(t);
    this.skeleton.ensureTime(t);
    const sessions = this.skeleton.sessions;
    let lo = 0;
    let hi = sessions.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((sessions[mid] as Session).close > t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Refuses a time before the epoch with a message the user can act on. */
  checkTime(t: number): void {
    if (!Number.isFinite(t)) throw new AppError('BAD_INPUT', 'Not a valid time');
    if (t < SYNTHETIC_EPOCH_DAY) {
      throw new AppError('BAD_INPUT', `The synthetic market begins on ${formatDay(SYNTHETIC_EPOCH_DAY)}`);
    }
    // Far-future dates would make the skeleton walk for a long time; a century is plenty for a desk.
    if (t > parseDay('2100-01-01')) throw new AppError('BAD_INPUT', 'The synthetic market ends in 2099');
  }

  /** Position of a symbol in {@link symbols}; throws NOT_FOUND for one that is not simulated. */
  indexOf(symbol: string): number {
    const i = this.symbolIndex.get(symbol);
    if (i === undefined) throw new AppError('NOT_FOUND', `${symbol} is not part of this synthetic market`);
    return i;
  }

  /** Every print and 1m bar of the i-th session (cached: the last few days stay in memory). */
  day(index: number): GeneratedDay {
    const cached = this.days.get(index);
    if (cached) {
      this.days.delete(index);
      this.days.set(index, cached);
      return cached;
    }
    const day = generateDay(this.seed, this.skeleton, this.profiles, index);
    this.days.set(index, day);
    if (this.days.size > DAY_CACHE_SIZE) this.days.delete(this.days.keys().next().value as number);
    this.barDays.set(
      index,
      day.symbols.map(({ o, h, l, c, v }) => ({ o, h, l, c, v })),
    );
    if (this.barDays.size > this.barCacheDays) this.barDays.delete(this.barDays.keys().next().value as number);
    return day;
  }

  /** The 1m bars (OHLCV arrays by minute) of every symbol on the i-th day; cached longer than the prints. */
  dayBars(index: number): MinuteArrays[] {
    const cached = this.barDays.get(index);
    if (cached) return cached;
    this.day(index);
    return this.barDays.get(index) as MinuteArrays[];
  }

  /** The regime, jumps and session of the i-th day. */
  dayInfo(index: number): SyntheticDayInfo {
    this.skeleton.ensure(index + 1);
    const market = this.skeleton.market[index] as MarketPlan;
    const gapJumps: SyntheticDayInfo['gapJumps'] = [];
    const intradayJumps: SyntheticDayInfo['intradayJumps'] = [];
    if (market.gapJump) gapJumps.push({ symbol: 'market', size: market.gap });
    if (market.jumpMinute >= 0) {
      intradayJumps.push({ symbol: 'market', minute: market.jumpMinute, size: market.jumpSize });
    }
    this.symbols.forEach((symbol, i) => {
      const plan = this.skeleton.symbol(i)[index] as SymbolPlan;
      if (plan.gapJump !== 0) gapJumps.push({ symbol, size: plan.gapJump });
      if (plan.jumpMinute >= 0) intradayJumps.push({ symbol, minute: plan.jumpMinute, size: plan.jumpSize });
    });
    return {
      index,
      session: this.session(index),
      regime: (REGIMES[market.regime] as (typeof REGIMES)[number]).name,
      gapJumps,
      intradayJumps,
    };
  }

  /** 1m bars of a symbol with `fromT <= t <= toT`, ascending. */
  minuteBars(symbol: string, fromT: number, toT: number): Bar[] {
    const s = this.indexOf(symbol);
    const out: Bar[] = [];
    if (toT < fromT) return out;
    for (let i = this.sessionIndexAtOrAfter(fromT); this.session(i).open <= toT; i++) {
      const session = this.session(i);
      const sd = this.dayBars(i)[s] as MinuteArrays;
      for (let m = 0; m < sd.o.length; m++) {
        const t = session.open + m * 60_000;
        if (t < fromT || t > toT) continue;
        out.push({
          t,
          o: sd.o[m] as number,
          h: sd.h[m] as number,
          l: sd.l[m] as number,
          c: sd.c[m] as number,
          v: sd.v[m] as number,
        });
      }
    }
    return out;
  }

  /** Bars of any timeframe whose bucket opens in `fromT <= t <= toT`, aggregated from the 1m bars. */
  bars(symbol: string, timeframe: Timeframe, fromT: number, toT: number): Bar[] {
    if (timeframe === '1m') return this.minuteBars(symbol, fromT, toT);
    // Whole buckets only: widen the 1m range to cover every bucket that opens in [fromT, toT].
    const widenedTo = timeframe === '1d' ? toT + 86_400_000 : toT + timeframeMs[timeframe];
    const coarse = aggregateBars(this.minuteBars(symbol, fromT, widenedTo - 1), '1m', timeframe, this.calendar);
    return coarse.filter((b) => b.t >= fromT && b.t <= toT);
  }

  /** Trade prints of a symbol with `fromT <= t <= toT`, in time order. */
  ticks(symbol: string, fromT: number, toT: number): Tick[] {
    const s = this.indexOf(symbol);
    const out: Tick[] = [];
    if (toT < fromT) return out;
    for (let i = this.sessionIndexAtOrAfter(fromT); this.session(i).open <= toT; i++) {
      const sd = this.day(i).symbols[s] as SymbolDay;
      for (let j = 0; j < sd.tickT.length; j++) {
        const t = sd.tickT[j] as number;
        if (t < fromT || t > toT) continue;
        out.push({ symbol, t, price: sd.tickPrice[j] as number, size: sd.tickSize[j] as number });
      }
    }
    return out;
  }
}
