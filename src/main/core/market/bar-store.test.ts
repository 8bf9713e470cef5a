import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Bar } from '../../../shared/domain/market';
import { type Db, openDatabase } from '../db/database';
import { cleanupTempDirs, makeTempDir } from '../testing/fixtures';
import { BarStore, type SeriesWrite } from './bar-store';

afterEach(cleanupTempDirs);

const MIN = 60_000;

function makeBars(count: number, startT = Date.UTC(2024, 0, 2, 14, 30)): Bar[] {
  return Array.from({ length: count }, (_, i) => ({
    t: startT + i * MIN,
    o: 10 + i,
    h: 11 + i,
    l: 9 + i,
    c: 10.5 + i,
    v: i,
  }));
}

function write(symbol: string, bars: Bar[], timeframe: SeriesWrite['timeframe'] = '1m'): SeriesWrite {
  return {
    symbol,
    timeframe,
    source: 'imported',
    n: bars.length,
    t: bars.map((b) => b.t),
    o: bars.map((b) => b.o),
    h: bars.map((b) => b.h),
    l: bars.map((b) => b.l),
    c: bars.map((b) => b.c),
    v: bars.map((b) => b.v),
  };
}

function setup(): { db: Db; store: BarStore } {
  const db = openDatabase(path.join(makeTempDir(), 'swaggy.db'));
  return { db, store: new BarStore(db) };
}

describe('BarStore', () => {
  it('writes a series (across insert batches) and reads ranges, limits, the latest bars and bars before a time', () => {
    const { db, store } = setup();
    const bars = makeBars(300); // more than two 128-row batches plus a remainder
    const progress: number[] = [];
    const result = store.writeSeries(write('aapl', bars), {
      importId: null,
      atMs: 5,
      onProgress: (n) => progress.push(n),
      progressEvery: 100,
    });
    expect(result).toMatchObject({ replaced: false, previousRows: 0 });
    expect(progress.at(-1)).toBe(300);
    expect(progress.length).toBeGreaterThan(1);

    expect(store.bars('AAPL', '1m')).toEqual(bars);
    expect(store.bars('aapl', '1m', bars[10]?.t, bars[19]?.t)).toEqual(bars.slice(10, 20));
    expect(store.bars('AAPL', '1m', bars[10]?.t, undefined, 3)).toEqual(bars.slice(10, 13));
    expect(store.latestBars('AAPL', '1m', 3)).toEqual(bars.slice(297));
    expect(store.latestBars('AAPL', '1m', 3, undefined, bars[99]?.t)).toEqual(bars.slice(97, 100));
    expect(store.barsBefore('AAPL', '1m', (bars[50]?.t ?? 0) + 1, 4)).toEqual(bars.slice(47, 51));
    expect(store.barsBefore('AAPL', '1m', (bars[0]?.t ?? 0) - 1, 4)).toEqual([]);
    expect(store.bars('AAPL', '1d')).toEqual([]);
    expect(store.bars('MSFT', '1m')).toEqual([]);

    expect(store.series('AAPL', '1m')).toEqual({
      symbol: 'AAPL',
      timeframe: '1m',
      source: 'imported',
      rows: 300,
      firstT: bars[0]?.t,
      lastT: bars[299]?.t,
      version: result.version,
    });
    expect(store.seriesVersion('AAPL', '1m')).toBe(result.version);
    expect(store.seriesVersion('AAPL', '1d')).toBeNull();
    db.close();
  });

  it('lists series by symbol and timeframe, replaces with a new version and deletes', () => {
    const { db, store } = setup();
    const a = store.writeSeries(write('MSFT', makeBars(5)), { importId: null, atMs: 1 });
    const b = store.writeSeries(write('AAPL', makeBars(3), '1d'), { importId: null, atMs: 1 });
    store.writeSeries(write('AAPL', makeBars(4)), { importId: null, atMs: 1 });
    expect(store.listSeries().map((s) => `${s.symbol} ${s.timeframe} ${s.rows}`)).toEqual([
      'AAPL 1d 3',
      'AAPL 1m 4',
      'MSFT 1m 5',
    ]);
    expect(store.listSeriesOf('aapl').map((s) => s.timeframe)).toEqual(['1d', '1m']);
    expect(b.version).toBeGreaterThan(a.version);

    const replaced = store.writeSeries(write('MSFT', makeBars(2, Date.UTC(2025, 0, 2))), { importId: null, atMs: 2 });
    expect(replaced).toMatchObject({ replaced: true, previousRows: 5 });
    expect(replaced.version).toBeGreaterThan(b.version);
    expect(store.bars('MSFT', '1m').map((x) => x.t)).toEqual([Date.UTC(2025, 0, 2), Date.UTC(2025, 0, 2) + MIN]);

    expect(store.deleteSeries('msft', '1m')).toEqual({ deleted: true, rows: 2 });
    expect(store.deleteSeries('MSFT', '1m')).toEqual({ deleted: false, rows: 0 });
    expect(store.series('MSFT', '1m')).toBeNull();
    expect(db.prepare("SELECT COUNT(*) FROM symbols WHERE symbol = 'MSFT'").pluck().get()).toBe(1);
    db.close();
  });

  it('lets a reader on another connection keep reading while a write is in progress (WAL)', () => {
    const { db, store } = setup();
    store.writeSeries(write('AAPL', makeBars(10)), { importId: null, atMs: 1 });
    const other = openDatabase(db.name);
    const otherStore = new BarStore(other);
    other.transaction(() => {
      otherStore.writeSeries(write('AAPL', makeBars(20)), { importId: null, atMs: 2 });
      // the engine's connection still sees the committed series, not the half-done replacement
      expect(store.bars('AAPL', '1m')).toHaveLength(10);
    })();
    expect(store.bars('AAPL', '1m')).toHaveLength(20);
    other.close();
    db.close();
  });
});
