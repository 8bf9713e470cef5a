import { describe, expect, it } from 'vitest';
import { aggregateTicks } from '../aggregate';
import { SyntheticMarket } from '../synthetic/synthetic-market';
import { MemoryBarReader } from './memory-bar-reader';
import { RingBuffer } from './ring-buffer';
import { ManualScheduler } from './scheduler';
import { SyntheticFeed } from './synthetic-feed';

const utc = (iso: string) => Date.parse(iso);

describe('SyntheticFeed', () => {
  const market = new SyntheticMarket({ seed: 21, symbols: ['MSFT', 'TSLA', 'SPY'] });

  it('steps minute by minute through the session, then to the next open', () => {
    const feed = new SyntheticFeed(market, utc('2024-03-08T20:58:00Z'));
    const a = feed.next();
    const b = feed.next();
    const c = feed.next();
    expect([a?.startT, b?.startT, c?.startT]).toEqual([
      utc('2024-03-08T20:58:00Z'),
      utc('2024-03-08T20:59:00Z'),
      utc('2024-03-11T13:30:00Z'),
    ]);
    expect(b?.endT).toBe(utc('2024-03-08T21:00:00Z'));
    for (const step of [a, b, c]) {
      expect(step?.bars.map((x) => x.symbol)).toEqual(['MSFT', 'TSLA', 'SPY']);
      for (const sym of ['MSFT', 'TSLA', 'SPY']) {
        const ticks = step?.ticks.filter((t) => t.symbol === sym) ?? [];
        expect(aggregateTicks(ticks, '1m')).toEqual([step?.bars.find((x) => x.symbol === sym)?.bar]);
      }
      const times = step?.ticks.map((t) => t.t) ?? [];
      expect(times).toEqual([...times].sort((x, y) => x - y));
    }
    expect(c?.bars[0]?.bar).toEqual(
      market.minuteBars('MSFT', utc('2024-03-11T13:30:00Z'), utc('2024-03-11T13:30:00Z'))[0],
    );
  });

  it('peeks without consuming and seeks into the middle of a minute', () => {
    const feed = new SyntheticFeed(market);
    feed.seek(utc('2024-03-12T15:00:30Z'));
    expect(feed.peek()?.startT).toBe(utc('2024-03-12T15:00:00Z'));
    expect(feed.peek()).toBe(feed.peek());
    expect(feed.next()?.startT).toBe(utc('2024-03-12T15:00:00Z'));
    expect(feed.next()?.startT).toBe(utc('2024-03-12T15:01:00Z'));
    expect(feed.firstT).toBe(utc('2010-01-04T14:30:00Z'));
    expect(feed.lastT).toBeNull();
  });

  it('gives chart history across sessions, only bars complete at t', () => {
    const feed = new SyntheticFeed(market);
    const t = utc('2024-03-12T13:35:30Z');
    const [msft] = feed.history(t, 400);
    expect(msft).toHaveLength(400);
    expect(msft?.at(-1)?.t).toBe(utc('2024-03-12T13:34:00Z'));
    expect(msft?.at(-6)?.t).toBe(utc('2024-03-11T19:59:00Z'));
    expect(msft).toEqual(market.minuteBars('MSFT', msft?.[0]?.t ?? 0, utc('2024-03-12T13:34:00Z')));
    expect(feed.history(utc('2010-01-04T14:30:00Z'), 10)).toEqual([[], [], []]);
  });
});

describe('RingBuffer', () => {
  it('keeps the newest items up to its capacity, oldest first', () => {
    const ring = new RingBuffer<number>(3);
    expect(ring.tail()).toEqual([]);
    for (let i = 1; i <= 5; i++) ring.push(i);
    expect(ring.size).toBe(3);
    expect(ring.tail()).toEqual([3, 4, 5]);
    expect(ring.tail(2)).toEqual([4, 5]);
    expect(ring.tail(10)).toEqual([3, 4, 5]);
    expect(ring.last()).toBe(5);
    ring.clear();
    expect(ring.last()).toBeUndefined();
    expect(() => new RingBuffer(0)).toThrow();
  });
});

describe('ManualScheduler', () => {
  it('runs due timers in time order, ties in the order they were set', () => {
    const s = new ManualScheduler(100);
    const log: string[] = [];
    s.setTimeout(() => log.push('b'), 20);
    s.setTimeout(() => log.push('a'), 10);
    const c = s.setTimeout(() => log.push('c'), 10);
    s.setTimeout(() => log.push('d'), 10);
    s.clearTimeout(c);
    s.advance(15);
    expect(log).toEqual(['a', 'd']);
    expect(s.now()).toBe(115);
    s.advance(100);
    expect(log).toEqual(['a', 'd', 'b']);
    expect(s.pending).toBe(0);
  });
});

describe('MemoryBarReader', () => {
  it('answers like the bar store: ranges, limits, the last bars before a time', () => {
    const r = new MemoryBarReader();
    const bars = [5, 1, 3, 2, 4].map((i) => ({ t: i * 1000, o: i, h: i, l: i, c: i, v: i }));
    r.put('X', '1m', bars);
    expect(r.series('X', '1m')).toMatchObject({ rows: 5, firstT: 1000, lastT: 5000, version: 1 });
    expect(r.bars('X', '1m', 2000, 4000).map((b) => b.t)).toEqual([2000, 3000, 4000]);
    expect(r.bars('X', '1m', undefined, undefined, 2).map((b) => b.t)).toEqual([1000, 2000]);
    expect(r.barsBefore('X', '1m', 3500, 2).map((b) => b.t)).toEqual([2000, 3000]);
    expect(r.barsBefore('X', '1m', 3000, 2).map((b) => b.t)).toEqual([2000, 3000]);
    expect(r.series('X', '1d')).toBeNull();
    expect(() => r.put('Y', '1m', [bars[0], bars[0]] as never)).toThrow(/Duplicate/);
  });
});
