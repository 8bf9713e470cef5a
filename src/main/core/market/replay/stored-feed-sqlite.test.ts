import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Bar } from '../../../../shared/domain/market';
import { openDatabase } from '../../db/database';
import { cleanupTempDirs, makeTempDir } from '../../testing/fixtures';
import { aggregateBars } from '../aggregate';
import { BarStore } from '../bar-store';
import { MarketService } from '../market-service';
import { SyntheticMarket } from '../synthetic/synthetic-market';
import type { BarEvent } from '../types';
import { ManualScheduler } from './scheduler';
import { StoredFeed } from './stored-feed';

afterEach(cleanupTempDirs);

const FROM = Date.parse('2024-05-08T13:30:00Z');
const TO = Date.parse('2024-05-10T19:59:00Z');

/** Three sessions of 1m bars of two symbols, written into a real SQLite bar store as imported series. */
function storeWithBars() {
  const db = openDatabase(path.join(makeTempDir(), 'swaggy.db'));
  const store = new BarStore(db);
  const source = new SyntheticMarket({ seed: 1234, symbols: ['AAPL', 'MSFT'] });
  const data: Record<string, Bar[]> = {};
  for (const symbol of ['AAPL', 'MSFT']) {
    // MSFT misses every 7th minute, as thin imported data does.
    const bars = source.minuteBars(symbol, FROM, TO).filter((_, i) => symbol === 'AAPL' || i % 7 !== 3);
    data[symbol] = bars;
    store.writeSeries(
      {
        symbol,
        timeframe: '1m',
        source: 'imported',
        n: bars.length,
        t: bars.map((b) => b.t),
        o: bars.map((b) => b.o),
        h: bars.map((b) => b.h),
        l: bars.map((b) => b.l),
        c: bars.map((b) => b.c),
        v: bars.map((b) => b.v),
      },
      { importId: null, atMs: 1_700_000_000_000 },
    );
  }
  return { db, store, data };
}

describe('replay over the SQLite bar store', () => {
  it('merges stored series by time, chunk by chunk, with nothing lost', () => {
    const { db, store, data } = storeWithBars();
    const feed = new StoredFeed(store, ['AAPL', 'MSFT'], '1m');
    let aapl = 0;
    let msft = 0;
    let steps = 0;
    for (let step = feed.next(); step; step = feed.next()) {
      steps++;
      for (const { symbol, bar } of step.bars) {
        const expected = symbol === 'AAPL' ? data.AAPL?.[aapl++] : data.MSFT?.[msft++];
        expect(bar).toEqual(expected);
      }
    }
    expect(steps).toBe(3 * 390);
    expect(aapl).toBe(data.AAPL?.length);
    expect(msft).toBe(data.MSFT?.length);
    db.close();
  });

  it('plays imported minutes through the market service at max speed: every bar, daily bars aggregated live', () => {
    const { db, store, data } = storeWithBars();
    const scheduler = new ManualScheduler();
    const service = new MarketService({ scheduler, reader: store });
    const events: BarEvent[] = [];
    service.subscribe({ onBar: (e) => events.push(e) });
    const state = service.load({ source: 'imported', symbols: ['AAPL', 'MSFT'], timeframe: '1m' });
    expect(state).toMatchObject({ source: 'imported', timeframe: '1m', marketT: FROM });
    service.setSpeed('max');
    service.play();
    scheduler.runUntilIdle();
    expect(service.state().ended).toBe(true);
    const minutes = events.filter((e) => e.timeframe === '1m' && e.symbol === 'MSFT').map((e) => e.bar);
    expect(minutes).toEqual(data.MSFT);
    const days = events.filter((e) => e.timeframe === '1d' && e.symbol === 'MSFT').map((e) => e.bar);
    expect(days).toEqual(aggregateBars(data.MSFT as Bar[], '1m', '1d'));
    const hours = events.filter((e) => e.timeframe === '1h' && e.symbol === 'AAPL').map((e) => e.bar);
    expect(hours).toEqual(aggregateBars(data.AAPL as Bar[], '1m', '1h'));
    expect(service.bars('AAPL', '1d').bars).toHaveLength(3);
    service.close();
    db.close();
  });
});
