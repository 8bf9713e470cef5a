/**
 * Trading calendars: which days a market trades and when its regular session opens and closes, in UTC epoch ms.
 *
 * The US equity calendar follows NYSE rules: 09:30–16:00 America/New_York, 13:00 early closes, weekends and
 * exchange holidays closed, US daylight-saving dates by the rules in force each year. New York time is computed
 * from those rules rather than from `Intl` so that it is fast (called per bar) and identical on every machine.
 *
 * A trading day is named by its *day key*: 00:00 UTC of the exchange-local calendar date. A daily bar's `t` is its
 * day key, which is also how daily bars from CSV files (dates without a time) are stored.
 */

/** One calendar day in milliseconds. */
export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** One regular trading session. */
export interface Session {
  /** Day key: 00:00 UTC of the exchange-local date. */
  day: number;
  /** Opening bell, UTC epoch ms. */
  open: number;
  /** Closing bell, UTC epoch ms (exclusive: the last 1m bar opens at `close - 60_000`). */
  close: number;
  /** A shortened session (13:00 close in New York). */
  early: boolean;
}

/** What aggregation, the synthetic market and replay need to know about a market's trading hours. */
export interface MarketCalendar {
  readonly id: 'us-equity' | 'continuous';
  /** The day key of the exchange-local date that contains `t`. */
  dayOf(t: number): number;
  /** UTC instant at which the local date `day` ends (the next local midnight). */
  dayEnd(day: number): number;
  /** The regular session of a day key, or null when the market is closed that day. */
  session(day: number): Session | null;
  /**
   * Origin of 1h buckets, as an offset from a UTC whole hour: bars of US stocks start at :30 (09:30, 10:30, …,
   * 15:30, the last one half an hour long), as traders see them on every US charting platform.
   */
  readonly hourAnchorMs: number;
}

// Special closures NYSE announced outside the holiday rules (national mourning, 9/11, Hurricane Sandy).
const SPECIAL_CLOSURES = new Set(
  [
    '1994-04-27',
    '2001-09-11',
    '2001-09-12',
    '2001-09-13',
    '2001-09-14',
    '2004-06-11',
    '2007-01-02',
    '2012-10-29',
    '2012-10-30',
    '2018-12-05',
    '2025-01-09',
  ].map(parseDay),
);

/** Day key of an ISO date `YYYY-MM-DD`. */
export function parseDay(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new RangeError(`Not a date: ${iso}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

/** `YYYY-MM-DD` of a day key (or of the UTC date of any instant). */
export function formatDay(day: number): string {
  return new Date(Math.floor(day / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

/** Day key of the n-th (1-based) `weekday` (0 = Sunday) of a month (0-based). */
function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  const first = Date.UTC(year, month, 1);
  const firstWeekday = new Date(first).getUTCDay();
  const offset = (weekday - firstWeekday + 7) % 7;
  return first + (offset + (n - 1) * 7) * DAY_MS;
}

/** Day key of the last `weekday` of a month (0-based). */
function lastWeekday(year: number, month: number, weekday: number): number {
  const last = Date.UTC(year, month + 1, 0);
  const lastDow = new Date(last).getUTCDay();
  return last - ((lastDow - weekday + 7) % 7) * DAY_MS;
}

const dstCache = new Map<number, readonly [number, number]>();

/**
 * The UTC instants at which New York enters and leaves daylight saving time in a year. Rules: since 2007 the second
 * Sunday of March to the first Sunday of November; 1987–2006 the first Sunday of April to the last Sunday of
 * October; before 1987 the last Sunday of April to the last Sunday of October (the 1974–75 emergency year-round
 * DST is not modelled). The switch happens at 02:00 local: 07:00 UTC in spring, 06:00 UTC in autumn.
 */
export function newYorkDstBounds(year: number): readonly [number, number] {
  const cached = dstCache.get(year);
  if (cached) return cached;
  let start: number;
  let end: number;
  if (year >= 2007) {
    start = nthWeekday(year, 2, 0, 2);
    end = nthWeekday(year, 10, 0, 1);
  } else if (year >= 1987) {
    start = nthWeekday(year, 3, 0, 1);
    end = lastWeekday(year, 9, 0);
  } else {
    start = lastWeekday(year, 3, 0);
    end = lastWeekday(year, 9, 0);
  }
  const bounds = [start + 7 * HOUR_MS, end + 6 * HOUR_MS] as const;
  dstCache.set(year, bounds);
  return bounds;
}

// The year last asked about: offsets are looked up per tick, so the common case must not allocate a Date.
let cachedYearStart = 0;
let cachedYearEnd = 0;
let cachedBounds: readonly [number, number] = [0, 0];

/** New York's offset from UTC at instant `t`, in minutes: -240 (EDT) or -300 (EST). */
export function newYorkOffsetMinutes(t: number): number {
  if (!(t >= cachedYearStart && t < cachedYearEnd)) {
    const year = new Date(t).getUTCFullYear();
    cachedYearStart = Date.UTC(year, 0, 1);
    cachedYearEnd = Date.UTC(year + 1, 0, 1);
    cachedBounds = newYorkDstBounds(year);
  }
  return t >= cachedBounds[0] && t < cachedBounds[1] ? -240 : -300;
}

/**
 * The UTC instant of a New York wall-clock time, given as ms since the local date's midnight on `day`. Meant for
 * trading hours; in the skipped or repeated hour of a DST switch (02:00–03:00 local) it picks standard time.
 */
export function newYorkToUtc(day: number, localMsOfDay: number): number {
  const local = day + localMsOfDay;
  const asStandard = local + 300 * MINUTE_MS;
  return newYorkOffsetMinutes(asStandard) === -240 ? local + 240 * MINUTE_MS : asStandard;
}

interface YearHolidays {
  closed: Set<number>;
  early: Set<number>;
}

const holidayCache = new Map<number, YearHolidays>();

/** Saturday holidays move to Friday, Sunday ones to Monday. */
function observed(day: number): number {
  const dow = new Date(day).getUTCDay();
  if (dow === 6) return day - DAY_MS;
  if (dow === 0) return day + DAY_MS;
  return day;
}

/** Gregorian Easter Sunday (anonymous Gregorian algorithm). */
function easter(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const dayOfMonth = ((h + l - 7 * m + 114) % 31) + 1;
  return Date.UTC(year, month - 1, dayOfMonth);
}

/** NYSE full-day holidays and 13:00 early closes of one year. */
function nyseHolidays(year: number): YearHolidays {
  const cached = holidayCache.get(year);
  if (cached) return cached;
  const closed = new Set<number>();
  const early = new Set<number>();
  // New Year's Day: a Saturday one is not observed (NYSE trades on Dec 31), a Sunday one moves to Monday.
  const newYear = Date.UTC(year, 0, 1);
  if (new Date(newYear).getUTCDay() !== 6) closed.add(observed(newYear));
  if (year >= 1998) closed.add(nthWeekday(year, 0, 1, 3)); // Martin Luther King Jr. Day
  closed.add(nthWeekday(year, 1, 1, 3)); // Washington's Birthday
  closed.add(easter(year) - 2 * DAY_MS); // Good Friday
  closed.add(lastWeekday(year, 4, 1)); // Memorial Day
  if (year >= 2022) closed.add(observed(Date.UTC(year, 5, 19))); // Juneteenth
  const july4 = Date.UTC(year, 6, 4);
  closed.add(observed(july4));
  closed.add(nthWeekday(year, 8, 1, 1)); // Labor Day
  const thanksgiving = nthWeekday(year, 10, 4, 4);
  closed.add(thanksgiving);
  const christmas = Date.UTC(year, 11, 25);
  closed.add(observed(christmas));
  for (const day of SPECIAL_CLOSURES) if (new Date(day).getUTCFullYear() === year) closed.add(day);

  // Early closes: July 3 and Christmas Eve when they fall Monday to Thursday, and the day after Thanksgiving.
  const july3 = Date.UTC(year, 6, 3);
  const july3Dow = new Date(july3).getUTCDay();
  if (july3Dow >= 1 && july3Dow <= 4) early.add(july3);
  early.add(thanksgiving + DAY_MS);
  const christmasEve = Date.UTC(year, 11, 24);
  const eveDow = new Date(christmasEve).getUTCDay();
  if (eveDow >= 1 && eveDow <= 4) early.add(christmasEve);
  for (const day of closed) early.delete(day);

  const result = { closed, early };
  holidayCache.set(year, result);
  return result;
}

/** True when NYSE is closed all day on this day key by its holiday rules (weekends not included). */
export function isUsMarketHoliday(day: number): boolean {
  return nyseHolidays(new Date(day).getUTCFullYear()).closed.has(day);
}

const OPEN_MS = 9.5 * HOUR_MS;
const CLOSE_MS = 16 * HOUR_MS;
const EARLY_CLOSE_MS = 13 * HOUR_MS;

const usSessionCache = new Map<number, Session | null>();

/**
 * US equities (NYSE/Nasdaq regular session). Holidays follow the NYSE rules since 1998 plus the special closures
 * listed above; earlier one-off closures are not all listed.
 */
export const usEquityCalendar: MarketCalendar = {
  id: 'us-equity',
  hourAnchorMs: 30 * MINUTE_MS,
  dayOf(t) {
    const local = t + newYorkOffsetMinutes(t) * MINUTE_MS;
    return Math.floor(local / DAY_MS) * DAY_MS;
  },
  dayEnd(day) {
    return newYorkToUtc(day + DAY_MS, 0);
  },
  session(day) {
    const key = Math.floor(day / DAY_MS) * DAY_MS;
    const cached = usSessionCache.get(key);
    if (cached !== undefined) return cached;
    let session: Session | null = null;
    const dow = new Date(key).getUTCDay();
    if (dow !== 0 && dow !== 6) {
      const year = new Date(key).getUTCFullYear();
      const { closed, early } = nyseHolidays(year);
      if (!closed.has(key)) {
        const isEarly = early.has(key);
        session = {
          day: key,
          open: newYorkToUtc(key, OPEN_MS),
          close: newYorkToUtc(key, isEarly ? EARLY_CLOSE_MS : CLOSE_MS),
          early: isEarly,
        };
      }
    }
    if (usSessionCache.size > 50_000) usSessionCache.clear();
    usSessionCache.set(key, session);
    return session;
  },
};

/** A market that never closes (crypto, or data with no known calendar): UTC days, every day a full session. */
export const continuousCalendar: MarketCalendar = {
  id: 'continuous',
  hourAnchorMs: 0,
  dayOf(t) {
    return Math.floor(t / DAY_MS) * DAY_MS;
  },
  dayEnd(day) {
    return day + DAY_MS;
  },
  session(day) {
    const key = Math.floor(day / DAY_MS) * DAY_MS;
    return { day: key, open: key, close: key + DAY_MS, early: false };
  },
};

/** The first session whose close is after `t` (the session in progress at `t`, or the next one). */
export function sessionAtOrAfter(calendar: MarketCalendar, t: number): Session {
  let day = calendar.dayOf(t);
  // Markets are never closed for more than a few days in a row; a bounded scan keeps a bad calendar from hanging.
  for (let i = 0; i < 30; i++, day += DAY_MS) {
    const session = calendar.session(day);
    if (session && session.close > t) return session;
  }
  throw new RangeError(`No trading session within 30 days after ${new Date(t).toISOString()}`);
}

/** The last session whose open is before `t`. */
export function sessionBefore(calendar: MarketCalendar, t: number): Session {
  let day = calendar.dayOf(t);
  for (let i = 0; i < 30; i++, day -= DAY_MS) {
    const session = calendar.session(day);
    if (session && session.open < t) return session;
  }
  throw new RangeError(`No trading session within 30 days before ${new Date(t).toISOString()}`);
}

/** The session in progress at `t`, or null outside regular hours. */
export function sessionContaining(calendar: MarketCalendar, t: number): Session | null {
  const session = calendar.session(calendar.dayOf(t));
  return session && t >= session.open && t < session.close ? session : null;
}
