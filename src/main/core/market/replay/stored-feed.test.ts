import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../../shared/domain/market';
import { SHARED_DATA } from '../../testing/fixtures';
import { aggregateTicks } from '../aggregate';
import { continuousCalendar, parseDay, usEquityCalendar } from '../sessions';
import type { FeedStep } from './feed';
import { MemoryBarReader } from './memory-bar-reader';
import { derivedTicks, detectCalendar, StoredFeed, storedBarSpan } from './stored-feed';

const utc = (iso: string) => Date.parse(iso);

function bar(t: number, o: number, h: number, l: number, c: number, v = 100): Bar {
  return { t, o, h, l, c, v };
}

function drain(feed: StoredFeed, max = 100_000): FeedStep[] {
  const steps: FeedStep[] = [];
  for (let step = feed.next(); step && steps.length < max; step = feed.next()) steps.push(step);
  return steps;
}

describe('derived ticks', () => {
  it('walks O→L→H→C for an up bar and O→H→L→C for a down bar, inside the bar’s time', () => {
    const up = derivedTicks('X', bar(0, 10, 12, 9, 11, 400), 1000, 61_000);
    expect(up.map((t) => t.price)).toEqual([10, 9, 12, 11]);
    expect(up.map((t) => t.t)).toEqual([1000, 20_999, 40_999, 60_999]);
    expect(up.reduce((s, t) => s + t.size, 0)).toBe(400);
    const down = derivedTicks('X', bar(0, 10, 12, 9, 9.5), 0, 60_000);
    expect(down.map((t) => t.price)).toEqual([10, 12, 9, 9.5]);
    // A flat bar is one print.
    expect(derivedTicks('X', bar(0, 5, 5, 5, 5, 8), 0, 60_000)).toEqual([{ symbol: 'X', t: 0, price: 5, size: 8 }]);
  });

  it('aggregate back into the very bar they came from (property)', () => {
    const arb = fc
      .record({
        o: fc.double({ min: 1, max: 500, noNaN: true }),
        c: fc.double({ min: 1, max: 500, noNaN: true }),
        up: fc.double({ min: 0, max: 20, noNaN: true }),
        down: fc.double({ min: 0, max: 0.9, noNaN: true }),
        v: fc.integer({ min: 0, max: 10_000_000 }),
        minute: fc.integer({ min: 0, max: 389 }),
      })
      .map((r) => {
        const t = utc('2024-05-09T13:30:00Z') + r.minute * 60_000;
        return bar(t, r.o, Math.max(r.o, r.c) + r.up, Math.min(r.o, r.c) * (1 - r.down), r.c, r.v);
      });
    fc.assert(
      fc.property(arb, (b) => {
        const ticks = derivedTicks('X', b, b.t, b.t + 60_000);
        const [back] = aggregateTicks(ticks, '1m');
        expect(back?.t).toBe(b.t);
        expect(back?.o).toBe(b.o);
        expect(back?.h).toBe(b.h);
        expect(back?.l).toBe(b.l);
        expect(back?.c).toBe(b.c);
        expect(back?.v).toBeCloseTo(b.v, 6);
      }),
    );
  });
});

describe('StoredFeed', () => {
  it('merges symbols by time; a symbol without a bar at a time is absent from that step', () => {
    const reader = new MemoryBarReader();
    const t0 = utc('2024-05-09T13:30:00Z');
    reader.put(
      'AAPL',
      '1m',
      [0, 1, 2, 3, 4].map((i) => bar(t0 + i * 60_000, 100 + i, 101 + i, 99 + i, 100.5 + i)),
    );
    reader.put(
      'MSFT',
      '1m',
      [1, 3, 5].map((i) => bar(t0 + i * 60_000, 400 + i, 401 + i, 399 + i, 400 + i)),
    );
    const feed = new StoredFeed(reader, ['AAPL', 'MSFT'], '1m');
    expect(feed.firstT).toBe(t0);
    expect(feed.lastT).toBe(t0 + 6 * 60_000);
    const steps = drain(feed);
    expect(steps.map((s) => s.bars.map((b) => b.symbol).join('+'))).toEqual([
      'AAPL',
      'AAPL+MSFT',
      'AAPL',
      'AAPL+MSFT',
      'AAPL',
      'MSFT',
    ]);
    for (const step of steps) {
      expect(step.endT).toBe(step.startT + 60_000);
      for (let i = 1; i < step.ticks.length; i++) {
        expect(step.ticks[i]?.t).toBeGreaterThanOrEqual(step.ticks[i - 1]?.t ?? 0);
      }
      for (const tick of step.ticks) {
        expect(tick.t).toBeGreaterThanOrEqual(step.startT);
        expect(tick.t).toBeLessThan(step.endT);
      }
    }
    expect(feed.next()).toBeNull();
  });

  it('reads long series in chunks without losing or repeating a bar', () => {
    const reader = new MemoryBarReader();
    const t0 = utc('2024-01-02T00:00:00Z');
    const bars = Array.from({ length: 4_500 }, (_, i) => bar(t0 + i * 60_000, 10, 11, 9, 10.5));
    reader.put('BTCUSDT', '1m', bars);
    reader.put(
      'ETHUSDT',
      '1m',
      bars.filter((_, i) => i % 3 === 0),
    );
    const feed = new StoredFeed(reader, ['BTCUSDT', 'ETHUSDT'], '1m', { calendar: continuousCalendar });
    const steps = drain(feed);
    expect(steps).toHaveLength(4_500);
    expect(steps.map((s) => s.bars[0]?.bar.t)).toEqual(bars.map((b) => b.t));
    expect(steps.reduce((n, s) => n + s.bars.length, 0)).toBe(4_500 + 1_500);
  });

  it('plays daily bars over their session hours and seeks by date', () => {
    const reader = new MemoryBarReader();
    const days = ['2024-07-01', '2024-07-02', '2024-07-03', '2024-07-05', '2024-07-08'];
    reader.put(
      'SPY',
      '1d',
      days.map((d, i) => bar(parseDay(d), 540 + i, 545 + i, 538 + i, 543 + i, 1e6)),
    );
    const feed = new StoredFeed(reader, ['SPY'], '1d');
    const first = feed.peek();
    expect(first?.startT).toBe(utc('2024-07-01T13:30:00Z'));
    expect(first?.endT).toBe(utc('2024-07-01T20:00:00Z'));
    // July 3 is an early close.
    feed.seek(utc('2024-07-03T15:00:00Z'));
    expect(feed.peek()?.bars[0]?.bar.t).toBe(parseDay('2024-07-03'));
    expect(feed.peek()?.endT).toBe(utc('2024-07-03T17:00:00Z'));
    // After the close of July 3, the next bar is July 5 (July 4 closed).
    feed.seek(utc('2024-07-03T17:00:00Z'));
    expect(feed.next()?.bars[0]?.bar.t).toBe(parseDay('2024-07-05'));
    expect(feed.history(utc('2024-07-05T20:00:00Z'), 3).map((h) => h.map((b) => b.t))).toEqual([
      [parseDay('2024-07-02'), parseDay('2024-07-03'), parseDay('2024-07-05')],
    ]);
    // A bar still in progress at t is not history.
    expect(feed.history(utc('2024-07-05T19:00:00Z'), 3)[0]?.at(-1)?.t).toBe(parseDay('2024-07-03'));
    expect(() => feed.seek(utc('2024-07-09T00:00:00Z'))).toThrow(/ends on 2024-07-08/);
  });

  it('refuses a symbol with nothing imported, naming it', () => {
    const reader = new MemoryBarReader();
    reader.put('AAPL', '1d', [bar(parseDay('2024-07-01'), 1, 2, 0.5, 1.5)]);
    expect(() => new StoredFeed(reader, ['AAPL', 'ZZZ'], '1d')).toThrow(/No imported 1d bars for ZZZ/);
    expect(() => new StoredFeed(reader, ['AAPL'], '1m')).toThrow(/AAPL/);
    expect(() => new StoredFeed(reader, [], '1d')).toThrow(/at least one/);
  });

  it('tells a 24-hour market from US stock hours', () => {
    const reader = new MemoryBarReader();
    const t0 = utc('2024-05-09T13:30:00Z');
    reader.put(
      'AAPL',
      '1m',
      Array.from({ length: 390 }, (_, i) => bar(t0 + i * 60_000, 1, 2, 0.5, 1.5)),
    );
    reader.put(
      'BTC',
      '1m',
      Array.from({ length: 2000 }, (_, i) => bar(t0 + i * 60_000, 1, 2, 0.5, 1.5)),
    );
    expect(detectCalendar(reader, 'AAPL', '1m')).toBe(usEquityCalendar);
    expect(detectCalendar(reader, 'BTC', '1m')).toBe(continuousCalendar);
  });

  it('cuts an intraday bar’s span at the session close', () => {
    expect(storedBarSpan(utc('2024-11-29T17:30:00Z'), '1h', usEquityCalendar)).toEqual({
      startT: utc('2024-11-29T17:30:00Z'),
      endT: utc('2024-11-29T18:00:00Z'),
    });
  });
});

const AAPL_1M = path.join(SHARED_DATA, 'market', 'intraday', 'AAPL_1min.csv');

describe.skipIf(!fs.existsSync(AAPL_1M))('StoredFeed on real AAPL 1m bars (shared/data)', () => {
  it('replays 7 sessions of yfinance minutes with their gaps, and history agrees with the reader', () => {
    const lines = fs.readFileSync(AAPL_1M, 'utf8').trim().split(/\r?\n/).slice(1);
    const bars = lines.map((line) => {
      const [when, o, h, l, c, , v] = line.split(',');
      const iso = `${(when as string).slice(0, 10)}T${(when as string).slice(11)}`;
      return bar(Date.parse(iso), Number(o), Number(h), Number(l), Number(c), Number(v));
    });
    const reader = new MemoryBarReader();
    reader.put('AAPL', '1m', bars);
    expect(detectCalendar(reader, 'AAPL', '1m')).toBe(usEquityCalendar);
    const feed = new StoredFeed(reader, ['AAPL'], '1m');
    const steps = drain(feed);
    expect(steps).toHaveLength(2721);
    expect(steps.map((s) => s.bars[0]?.bar)).toEqual(bars);
    const last = steps.at(-1) as FeedStep;
    expect(last.endT).toBe(utc('2024-05-17T20:00:00Z'));
    const history = feed.history(utc('2024-05-13T13:30:00Z'), 10)[0] as Bar[];
    expect(history.at(-1)?.t).toBe(utc('2024-05-10T19:59:00Z'));
  });
});
