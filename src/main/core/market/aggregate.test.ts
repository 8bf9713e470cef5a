import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Bar, Tick } from '../../../shared/domain/market';
import { SHARED_DATA } from '../testing/fixtures';
import { aggregateBars, aggregateTicks, BarAggregator, bucketEnd, bucketStart } from './aggregate';
import { continuousCalendar, parseDay, usEquityCalendar } from './sessions';

const utc = (iso: string) => Date.parse(iso);
const DATA_DIR = path.join(SHARED_DATA, 'market', 'intraday');

function minuteBars(startIso: string, count: number, base = 100): Bar[] {
  const t0 = utc(startIso);
  return Array.from({ length: count }, (_, i) => {
    const o = base + i;
    return { t: t0 + i * 60_000, o, h: o + 2, l: o - 1, c: o + 1, v: 10 + i };
  });
}

describe('buckets', () => {
  it('anchors US hourly bars at :30 and cuts the last one at the close', () => {
    expect(bucketStart(utc('2024-05-09T13:45:00Z'), '1h')).toBe(utc('2024-05-09T13:30:00Z'));
    expect(bucketStart(utc('2024-05-09T19:45:00Z'), '1h')).toBe(utc('2024-05-09T19:30:00Z'));
    expect(bucketEnd(utc('2024-05-09T19:45:00Z'), '1h')).toBe(utc('2024-05-09T20:00:00Z'));
    expect(bucketStart(utc('2024-05-09T13:45:00Z'), '1h', continuousCalendar)).toBe(utc('2024-05-09T13:00:00Z'));
    expect(bucketStart(utc('2024-05-09T13:47:00Z'), '15m')).toBe(utc('2024-05-09T13:45:00Z'));
    // Early close at 13:00 New York: the 12:30 hour ends at the bell.
    expect(bucketEnd(utc('2024-11-29T17:40:00Z'), '1h')).toBe(utc('2024-11-29T18:00:00Z'));
    expect(bucketEnd(utc('2024-11-29T17:40:00Z'), '1d')).toBe(utc('2024-11-29T18:00:00Z'));
  });

  it('stamps a daily bucket with the New York trading date', () => {
    expect(bucketStart(utc('2024-05-09T19:59:00Z'), '1d')).toBe(parseDay('2024-05-09'));
  });
});

describe('aggregateBars', () => {
  it('builds 5m, 1h and daily bars from a session of 1m bars', () => {
    const bars = minuteBars('2024-05-09T13:30:00Z', 390);
    const fives = aggregateBars(bars, '1m', '5m');
    expect(fives).toHaveLength(78);
    expect(fives[0]).toEqual({ t: bars[0]?.t, o: 100, h: 106, l: 99, c: 105, v: 10 + 11 + 12 + 13 + 14 });
    const hours = aggregateBars(bars, '1m', '1h');
    expect(hours.map((b) => new Date(b.t).toISOString().slice(11, 16))).toEqual([
      '13:30',
      '14:30',
      '15:30',
      '16:30',
      '17:30',
      '18:30',
      '19:30',
    ]);
    const days = aggregateBars(bars, '1m', '1d');
    expect(days).toEqual([
      { t: parseDay('2024-05-09'), o: 100, h: 491, l: 99, c: 490, v: bars.reduce((s, b) => s + b.v, 0) },
    ]);
  });

  it('leaves pre- and post-market bars out of the daily bar but not out of intraday bars', () => {
    const bars = minuteBars('2024-05-09T13:00:00Z', 30 + 390 + 30);
    const days = aggregateBars(bars, '1m', '1d');
    expect(days).toHaveLength(1);
    expect(days[0]?.o).toBe(130);
    expect(days[0]?.c).toBe(100 + 30 + 389 + 1);
    expect(aggregateBars(bars, '1m', '1h')[0]?.t).toBe(utc('2024-05-09T12:30:00Z'));
  });

  it('completes a bucket as soon as its last bar arrives, or when market time passes its end', () => {
    const agg = new BarAggregator('1m', '5m');
    const bars = minuteBars('2024-05-09T13:30:00Z', 10);
    const done = bars.map((b) => agg.push(b).length);
    expect(done).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    // A missing last minute: the 13:40 bucket gets bars at 13:40..13:43 only.
    for (const b of minuteBars('2024-05-09T13:40:00Z', 4)) expect(agg.push(b)).toEqual([]);
    expect(agg.partial()?.t).toBe(utc('2024-05-09T13:40:00Z'));
    expect(agg.advanceTo(utc('2024-05-09T13:44:59Z'))).toEqual([]);
    expect(agg.advanceTo(utc('2024-05-09T13:45:00Z'))).toHaveLength(1);
    expect(agg.partial()).toBeNull();
  });

  it('refuses bars out of order and aggregation into a finer timeframe', () => {
    const agg = new BarAggregator('1m', '5m');
    agg.push(minuteBars('2024-05-09T13:31:00Z', 1)[0] as Bar);
    expect(() => agg.push(minuteBars('2024-05-09T13:30:00Z', 1)[0] as Bar)).toThrow(/ascending/);
    expect(() => new BarAggregator('1h', '5m')).toThrow(/finer/);
  });

  it('keeps OHLCV invariants and is the same in one or two steps (property)', () => {
    const barArb = fc
      .array(
        fc.record({
          gap: fc.integer({ min: 1, max: 200 }),
          o: fc.double({ min: 1, max: 1000, noNaN: true }),
          c: fc.double({ min: 1, max: 1000, noNaN: true }),
          up: fc.double({ min: 0, max: 50, noNaN: true }),
          down: fc.double({ min: 0, max: 0.9, noNaN: true }),
          v: fc.integer({ min: 0, max: 1_000_000 }),
        }),
        { minLength: 1, maxLength: 600 },
      )
      .map((rows) => {
        let t = utc('2024-05-09T13:00:00Z');
        return rows.map((r) => {
          t += r.gap * 60_000;
          const h = Math.max(r.o, r.c) + r.up;
          const l = Math.min(r.o, r.c) * (1 - r.down);
          return { t, o: r.o, h, l, c: r.c, v: r.v };
        });
      });
    fc.assert(
      fc.property(barArb, (bars) => {
        const total = bars.reduce((s, b) => s + b.v, 0);
        const direct = aggregateBars(bars, '1m', '1h');
        const viaFive = aggregateBars(aggregateBars(bars, '1m', '5m'), '5m', '1h');
        const viaFifteen = aggregateBars(aggregateBars(bars, '1m', '15m'), '15m', '1h');
        expect(viaFive).toEqual(direct);
        expect(viaFifteen).toEqual(direct);
        expect(direct.reduce((s, b) => s + b.v, 0)).toBe(total);
        for (let i = 0; i < direct.length; i++) {
          const b = direct[i] as Bar;
          expect(b.l).toBeLessThanOrEqual(Math.min(b.o, b.c));
          expect(b.h).toBeGreaterThanOrEqual(Math.max(b.o, b.c));
          if (i > 0) expect(b.t).toBeGreaterThan((direct[i - 1] as Bar).t);
        }
        const daily = aggregateBars(bars, '1m', '1d');
        expect(aggregateBars(direct, '1h', '1d')).toEqual(daily);
      }),
      { numRuns: 150 },
    );
  });
});

describe('aggregateTicks', () => {
  it('builds bars from trade ticks, the same as going through 1m bars', () => {
    const t0 = utc('2024-05-09T13:30:00Z');
    const ticks: Tick[] = [];
    for (let i = 0; i < 600; i++) {
      ticks.push({ symbol: 'AAPL', t: t0 + i * 7_000, price: 100 + Math.sin(i / 5) * 3, size: 1 + (i % 7) });
    }
    const oneMinute = aggregateTicks(ticks, '1m');
    expect(oneMinute[0]?.o).toBe(ticks[0]?.price);
    expect(oneMinute.reduce((s, b) => s + b.v, 0)).toBe(ticks.reduce((s, x) => s + x.size, 0));
    expect(aggregateTicks(ticks, '5m')).toEqual(aggregateBars(oneMinute, '1m', '5m'));
    expect(aggregateTicks(ticks, '1d')).toEqual(aggregateBars(oneMinute, '1m', '1d'));
    expect(() => aggregateTicks([...ticks.slice(0, 2), { symbol: 'MSFT', t: t0, price: 1, size: 1 }], '1m')).toThrow(
      /MSFT/,
    );
  });
});

/** Parses yfinance's 1m export: `2024-05-09 09:30:00-04:00,open,high,low,close,adj,volume`. */
function readYahooMinutes(file: string): Bar[] {
  const lines = fs.readFileSync(file, 'utf8').trim().split(/\r?\n/).slice(1);
  return lines.map((line) => {
    const [when, o, h, l, c, , v] = line.split(',');
    const iso = `${(when as string).replace(' ', 'T').slice(0, 19)}${(when as string).slice(19)}`;
    return { t: Date.parse(iso), o: Number(o), h: Number(h), l: Number(l), c: Number(c), v: Number(v) };
  });
}

describe.skipIf(!fs.existsSync(DATA_DIR))('real intraday data (shared/data/market/intraday)', () => {
  it('turns 7 sessions of AAPL 1m bars (with missing minutes) into 7 daily bars and 49 session-anchored hours', () => {
    const bars = readYahooMinutes(path.join(DATA_DIR, 'AAPL_1min.csv'));
    expect(bars).toHaveLength(2721);
    const days = aggregateBars(bars, '1m', '1d');
    expect(days.map((d) => new Date(d.t).toISOString().slice(0, 10))).toEqual([
      '2024-05-09',
      '2024-05-10',
      '2024-05-13',
      '2024-05-14',
      '2024-05-15',
      '2024-05-16',
      '2024-05-17',
    ]);
    expect(days[0]?.o).toBe(bars[0]?.o);
    expect(days.at(-1)?.c).toBe(bars.at(-1)?.c);
    expect(days.reduce((s, d) => s + d.v, 0)).toBe(bars.reduce((s, b) => s + b.v, 0));
    const hours = aggregateBars(bars, '1m', '1h');
    expect(hours).toHaveLength(49);
    expect(new Date(hours[0]?.t ?? 0).toISOString()).toBe('2024-05-09T13:30:00.000Z');
    expect(new Date(hours[6]?.t ?? 0).toISOString()).toBe('2024-05-09T19:30:00.000Z');
    // Streaming completes every daily bar at its 15:59 bar, not at the next morning's first bar.
    const agg = new BarAggregator('1m', '1d');
    const completedAt: number[] = [];
    for (const b of bars) if (agg.push(b).length > 0) completedAt.push(b.t);
    expect(completedAt).toHaveLength(7);
    for (const t of completedAt) expect(new Date(t).toISOString().slice(11, 16)).toBe('19:59');
  });

  it('aggregates Binance BTC/USDT minutes by UTC day with the continuous calendar', () => {
    const lines = fs
      .readFileSync(path.join(DATA_DIR, 'Binance_BTCUSDT_minute.csv'), 'utf8')
      .trim()
      .split(/\r?\n/)
      .filter((l) => /^\d/.test(l));
    const bars = lines
      .map((line) => {
        const f = line.split(',');
        return { t: Number(f[0]), o: Number(f[3]), h: Number(f[4]), l: Number(f[5]), c: Number(f[6]), v: Number(f[7]) };
      })
      .sort((a, b) => a.t - b.t);
    const days = aggregateBars(bars, '1m', '1d', continuousCalendar);
    for (const d of days) expect(d.t % 86_400_000).toBe(0);
    const first = bars.filter((b) => b.t < (days[1]?.t ?? 0));
    expect(days[0]?.h).toBe(Math.max(...first.map((b) => b.h)));
    expect(days[0]?.l).toBe(Math.min(...first.map((b) => b.l)));
    // Same bars with the US calendar: every bar counts (no regular-hours cut on weekends), grouped by NY date.
    const usDays = aggregateBars(bars, '1m', '1d', usEquityCalendar);
    expect(usDays.length).toBeGreaterThan(0);
  });
});
