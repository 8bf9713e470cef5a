/**
 * Market time on the desk. Every time from the engine is UTC epoch ms of market time (the replay clock's, never the
 * wall clock); the desk shows it in the market's own zone: New York for US sessions (the simulated market and
 * imported stocks), UTC for markets that never close (crypto pairs), as traders read them on their venues.
 */
import type { ReplayState } from '../../shared/contract/market';
import { type Timeframe, timeframeMs } from '../../shared/domain/market';

export type MarketZone = 'America/New_York' | 'UTC';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Crypto and FX pairs trade around the clock: BTC/USD, ETH-USD, BTCUSDT, EURUSD=X. */
const PAIR = /[/-](USD|USDT|USDC|EUR|BTC|ETH)$|USDT$|=X$/i;

/** The zone the replay's market times are shown in. */
export function marketZone(state: Pick<ReplayState, 'source' | 'symbols'> | null): MarketZone {
  if (!state || state.source === 'synthetic') return 'America/New_York';
  return state.symbols.length > 0 && state.symbols.every((s) => PAIR.test(s)) ? 'UTC' : 'America/New_York';
}

/** "ET" or "UTC". */
export function zoneLabel(zone: MarketZone): string {
  return zone === 'UTC' ? 'UTC' : 'ET';
}

const partsFormatters = new Map<MarketZone, Intl.DateTimeFormat>();

function partsFormatter(zone: MarketZone): Intl.DateTimeFormat {
  let f = partsFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    partsFormatters.set(zone, f);
  }
  return f;
}

interface ZonedParts {
  weekday: string;
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function zonedParts(t: number, zone: MarketZone): ZonedParts {
  const out: ZonedParts = { weekday: '', year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of partsFormatter(zone).formatToParts(t)) {
    if (p.type === 'weekday') out.weekday = p.value;
    else if (p.type === 'year') out.year = Number(p.value);
    else if (p.type === 'month') out.month = Number(p.value);
    else if (p.type === 'day') out.day = Number(p.value);
    else if (p.type === 'hour') out.hour = Number(p.value) % 24;
    else if (p.type === 'minute') out.minute = Number(p.value);
    else if (p.type === 'second') out.second = Number(p.value);
  }
  return out;
}

const offsetCache = new Map<number, number>();

/** Local time minus UTC in ms at instant `t` (New York: -5 h or -4 h). Cached per UTC hour: zones move on hours. */
export function zoneOffsetMs(t: number, zone: MarketZone): number {
  if (zone === 'UTC') return 0;
  const hour = Math.floor(t / HOUR_MS);
  const cached = offsetCache.get(hour);
  if (cached !== undefined) return cached;
  const p = zonedParts(hour * HOUR_MS, zone);
  const offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - hour * HOUR_MS;
  if (offsetCache.size > 100_000) offsetCache.clear();
  offsetCache.set(hour, offset);
  return offset;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "2025-01-02" in the market's zone. */
export function formatMarketDate(t: number, zone: MarketZone): string {
  const p = zonedParts(t, zone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** "Thu 2025-01-02 09:31:05 ET". */
export function formatMarketClock(t: number, zone: MarketZone): string {
  const p = zonedParts(t, zone);
  return `${p.weekday} ${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)} ${zoneLabel(zone)}`;
}

/** "2025-01-02 09:31" (or the date alone for daily data): for blotter rows. */
export function formatMarketTime(t: number, zone: MarketZone, dateOnly = false): string {
  const p = zonedParts(t, zone);
  const date = `${p.year}-${pad(p.month)}-${pad(p.day)}`;
  return dateOnly ? date : `${date} ${pad(p.hour)}:${pad(p.minute)}`;
}

/** "09:31" in the market's zone. */
export function formatMarketHm(t: number, zone: MarketZone): string {
  const p = zonedParts(t, zone);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

/** UTC instant of a wall time in the market's zone: `2025-01-02`, `09:30` in New York → 14:30 UTC. */
export function zonedToUtc(date: string, time: string, zone: MarketZone): number | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const tm = /^(\d{2}):(\d{2})$/.exec(time || '00:00');
  if (!d || !tm) return null;
  const year = Number(d[1]);
  const month = Number(d[2]);
  const day = Number(d[3]);
  const hour = Number(tm[1]);
  const minute = Number(tm[2]);
  if (hour > 23 || minute > 59) return null;
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  // Date.UTC rolls 2025-13-10 over into 2026: refuse what is not a real calendar date.
  const check = new Date(guess);
  if (!Number.isFinite(guess) || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  // The offset at the guess can differ from the offset at the answer around a DST change: settle it twice.
  let t = guess - zoneOffsetMs(guess, zone);
  t = guess - zoneOffsetMs(t, zone);
  return t;
}

/**
 * Open time of the chart bar that a tick at `t` belongs to, as the engine buckets them: 5m and 15m clock-aligned,
 * 1h anchored at :30 for US stocks (09:30, 10:30, …), a day keyed by 00:00 UTC of its local date. The engine's
 * completed bars stay authoritative; this only places the bar still forming between them.
 */
export function barBucket(t: number, timeframe: Timeframe, zone: MarketZone): number {
  if (timeframe === '1d') {
    const local = t + zoneOffsetMs(t, zone);
    return Math.floor(local / DAY_MS) * DAY_MS;
  }
  const ms = timeframeMs[timeframe];
  const anchor = timeframe === '1h' && zone === 'America/New_York' ? 30 * 60_000 : 0;
  return Math.floor((t - anchor) / ms) * ms + anchor;
}
