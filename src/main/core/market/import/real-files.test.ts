/**
 * Every real market file in ../shared/data/market (see its PROVENANCE.md) through the real import path: the file's
 * bytes, the parser, one transaction on a real temp SQLite database, and the bar store reading the bars back.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportOptions, ImportSummary } from '../../../../shared/contract/data';
import { openDatabase } from '../../db/database';
import { cleanupTempDirs, makeTempDir, SHARED_DATA } from '../../testing/fixtures';
import { BarStore } from '../bar-store';
import { importMarketCsv } from './import-file';

const MARKET = path.join(SHARED_DATA, 'market');

afterEach(cleanupTempDirs);

function importReal(relative: string, options: ImportOptions = {}) {
  const file = path.join(MARKET, relative);
  const db = openDatabase(path.join(makeTempDir(), 'swaggy.db'));
  const summary = importMarketCsv(db, {
    bytes: fs.readFileSync(file),
    fileName: path.basename(file),
    atMs: 1_700_000_000_000,
    taskId: 'test',
    options,
  });
  return { db, store: new BarStore(db), summary };
}

const day = (t: number) => new Date(t).toISOString().slice(0, 10);

interface Expected {
  file: string;
  symbol: string;
  timeframe?: '1d' | '1m';
  rows: number;
  first: string;
  last: string;
  zeroVolume?: number;
}

const SINGLE: Expected[] = [
  {
    file: 'daily/yahoofinance-AAPL-20040819-20180120.csv',
    symbol: 'AAPL',
    rows: 3379,
    first: '2004-08-19',
    last: '2018-01-19',
  },
  { file: 'daily/daily_adjusted_AAPL.csv', symbol: 'AAPL', rows: 4664, first: '2000-01-03', last: '2018-07-17' },
  {
    file: 'daily/AAPL_tiingo_LondonPythonForTrading.csv',
    symbol: 'AAPL',
    rows: 3370,
    first: '2005-01-03',
    last: '2018-05-22',
  },
  { file: 'daily/finance-charts-apple.csv', symbol: 'AAPL', rows: 506, first: '2015-02-17', last: '2017-02-16' },
  { file: 'daily/daily_adjusted_FB.csv', symbol: 'FB', rows: 1550, first: '2012-05-18', last: '2018-07-17' },
  { file: 'daily/HistoricalData_MSFT.csv', symbol: 'MSFT', rows: 2515, first: '2015-03-19', last: '2025-03-18' },
  { file: 'daily/msft.us.txt', symbol: 'MSFT', rows: 7983, first: '1986-03-13', last: '2017-11-10', zeroVolume: 1 },
  { file: 'daily/tsla.us.txt', symbol: 'TSLA', rows: 1858, first: '2010-06-28', last: '2017-11-10', zeroVolume: 1 },
  { file: 'daily/tsla_us_d.csv', symbol: 'TSLA', rows: 3920, first: '2010-06-28', last: '2026-01-28', zeroVolume: 1 },
  { file: 'daily/tesla-stock-price.csv', symbol: 'TSLA', rows: 756, first: '2015-10-15', last: '2018-10-15' },
  { file: 'daily/amzn_us_d.csv', symbol: 'AMZN', rows: 7203, first: '1997-05-16', last: '2026-01-09', zeroVolume: 1 },
  { file: 'daily/nvda-1999-2014.txt', symbol: 'NVDA', rows: 4012, first: '1999-01-22', last: '2014-12-31' },
  { file: 'daily/GOOG_backtesting.py.csv', symbol: 'GOOG', rows: 2148, first: '2004-08-19', last: '2013-03-01' },
  { file: 'daily/spy.us.txt', symbol: 'SPY', rows: 5013, first: '2005-02-25', last: '2025-01-29' },
  { file: 'daily/SPY_D.csv', symbol: 'SPY', rows: 5241, first: '1999-11-01', last: '2020-08-28' },
  {
    file: 'intraday/AAPL_1min.csv',
    symbol: 'AAPL',
    timeframe: '1m',
    rows: 2721,
    first: '2024-05-09T13:30:00.000Z',
    last: '2024-05-17T19:59:00.000Z',
  },
];

describe.skipIf(!fs.existsSync(MARKET))('real market files (../shared/data/market)', () => {
  it('covers every file in the folder', () => {
    const files = ['daily', 'intraday'].flatMap((d) => fs.readdirSync(path.join(MARKET, d)).map((f) => `${d}/${f}`));
    const tested = [
      ...SINGLE.map((e) => e.file),
      'daily/dash-stock-ticker-demo.csv',
      'intraday/Binance_BTCUSDT_minute.csv',
    ];
    expect(files.sort()).toEqual(tested.sort());
  });

  for (const e of SINGLE) {
    it(`imports ${e.file}: ${e.symbol} ${e.timeframe ?? '1d'}, ${e.rows} rows, ${e.first} → ${e.last}`, () => {
      const { db, store, summary } = importReal(e.file);
      try {
        expect(summary.series).toHaveLength(1);
        const s = summary.series[0] as ImportSummary['series'][number];
        const iso = (t: number) => (e.timeframe === '1m' ? new Date(t).toISOString() : day(t));
        expect([s.symbol, s.timeframe, s.rows, iso(s.firstT), iso(s.lastT)]).toEqual([
          e.symbol,
          e.timeframe ?? '1d',
          e.rows,
          e.first,
          e.last,
        ]);
        expect(s.zeroVolumeBars).toBe(e.zeroVolume ?? 0);
        expect(summary.importedRows).toBe(e.rows);
        // what was stored is what the summary says
        const info = store.series(e.symbol, s.timeframe);
        expect(info).toMatchObject({
          rows: e.rows,
          firstT: s.firstT,
          lastT: s.lastT,
          version: s.version,
          source: 'imported',
        });
        const bars = store.bars(e.symbol, s.timeframe);
        expect(bars).toHaveLength(e.rows);
        const unordered = bars.filter((b, i) => i > 0 && b.t <= (bars[i - 1]?.t ?? 0));
        expect(unordered).toEqual([]);
        const impossible = bars.filter(
          (b) => !(b.l <= Math.min(b.o, b.c) && b.h >= Math.max(b.o, b.c) && b.l > 0 && b.v >= 0),
        );
        expect(impossible).toEqual([]);
      } finally {
        db.close();
      }
    });
  }

  it('keeps the exact prices of a Yahoo file (first bar 2004-08-19)', () => {
    const { db, store } = importReal('daily/yahoofinance-AAPL-20040819-20180120.csv');
    expect(store.bars('AAPL', '1d', undefined, undefined, 1)[0]).toEqual({
      t: Date.UTC(2004, 7, 19),
      o: 2.250714,
      h: 2.275714,
      l: 2.168571,
      c: 2.193571,
      v: 97_230_000,
    });
    db.close();
  });

  it('back-adjusts the raw Alpha Vantage AAPL prices for its three splits: no cliff at 2014-06-09', () => {
    const { db, store, summary } = importReal('daily/daily_adjusted_AAPL.csv');
    expect(summary.series[0]?.splitsApplied).toEqual([
      { t: Date.UTC(2000, 5, 21), factor: 2 },
      { t: Date.UTC(2005, 1, 28), factor: 2 },
      { t: Date.UTC(2014, 5, 9), factor: 7 },
    ]);
    expect(summary.notes.join(' ')).toMatch(
      /back-adjusted for the splits 2:1 on 2000-06-21, 2:1 on 2005-02-28, 7:1 on 2014-06-09/,
    );
    const [before, after] = store.bars('AAPL', '1d', Date.UTC(2014, 5, 6), Date.UTC(2014, 5, 9));
    expect(before?.c).toBeCloseTo(645.57 / 7, 10);
    expect(before?.v).toBe(12_497_800 * 7);
    expect(after).toMatchObject({ o: 92.7, c: 93.7, v: 75_414_997 });
    // the genuine -52% day on 2000-09-29 is not a split and stays
    const [d28, d29] = store.bars('AAPL', '1d', Date.UTC(2000, 8, 28), Date.UTC(2000, 8, 29));
    expect((d29?.c ?? 0) / (d28?.c ?? 1)).toBeLessThan(0.55);
    db.close();
  });

  it('reads the Tiingo file day-first and snaps its 7.000007 split factor to 7', () => {
    const { db, store, summary } = importReal('daily/AAPL_tiingo_LondonPythonForTrading.csv');
    expect(summary.notes.join(' ')).toMatch(/dates read as DD\/MM\/YYYY/);
    expect(summary.series[0]?.splitsApplied).toEqual([
      { t: Date.UTC(2005, 1, 28), factor: 2 },
      { t: Date.UTC(2014, 5, 9), factor: 7 },
    ]);
    const [before] = store.bars('AAPL', '1d', Date.UTC(2014, 5, 6), Date.UTC(2014, 5, 6));
    expect(before?.c).toBeCloseTo(645.57 / 7, 10);
    expect(summary.ignoredColumns).toEqual(['adjClose', 'adjHigh', 'adjLow', 'adjOpen', 'adjVolume', 'divCash']);
    db.close();
  });

  it('reads the Nasdaq export: $ prices, MM/DD/YYYY, newest first', () => {
    const { db, store, summary } = importReal('daily/HistoricalData_MSFT.csv');
    expect(summary.order).toBe('descending');
    expect(summary.columns.close).toBe('Close/Last');
    expect(store.bars('MSFT', '1d', undefined, undefined, 1)[0]).toEqual({
      t: Date.UTC(2015, 2, 19),
      o: 42.26,
      h: 42.59,
      l: 42.22,
      c: 42.285,
      v: 33_836_100,
    });
    db.close();
  });

  it('rejects the intraday snapshot row of the old Nasdaq TSLA export (line 2) and imports the rest', () => {
    const { db, summary } = importReal('daily/tesla-stock-price.csv');
    expect(summary.rejected).toEqual([{ line: 2, reason: 'not a date: "11:34"' }]);
    expect(summary.rejectedCount).toBe(1);
    expect(summary.dataLines).toBe(757);
    db.close();
  });

  it('keeps Stooq fractional volumes and the FB ticker, with a warning about META', () => {
    const spy = importReal('daily/spy.us.txt');
    expect(spy.store.bars('SPY', '1d', undefined, undefined, 1)[0]?.v).toBe(76_530_081.487282);
    expect(spy.summary.columns).toMatchObject({ time: '<DATE>', timeOfDay: '<TIME>', symbol: '<TICKER>' });
    spy.db.close();
    const fb = importReal('daily/daily_adjusted_FB.csv');
    expect(fb.store.bars('FB', '1d', undefined, undefined, 1)[0]?.v).toBe(573_576_400);
    expect(fb.summary.warnings.join(' ')).toMatch(/FB has traded as META since 2022/);
    fb.db.close();
  });

  it('imports the multi-ticker demo as five series in one transaction', () => {
    const { db, store, summary } = importReal('daily/dash-stock-ticker-demo.csv');
    const bySymbol = Object.fromEntries(summary.series.map((s) => [s.symbol, [s.rows, day(s.firstT), day(s.lastT)]]));
    expect(bySymbol).toEqual({
      AAPL: [753, '2015-01-02', '2017-12-29'],
      GOOGL: [754, '2015-01-02', '2017-12-29'],
      TSLA: [754, '2015-01-02', '2017-12-29'],
      COKE: [754, '2015-01-02', '2017-12-29'],
      YHOO: [619, '2015-01-02', '2017-06-16'],
    });
    expect(summary.importedRows).toBe(3634);
    expect(store.listSeries().map((s) => s.symbol)).toEqual(['AAPL', 'COKE', 'GOOGL', 'TSLA', 'YHOO']);
    // one import, one history entry
    expect(db.prepare('SELECT COUNT(*) FROM imports').pluck().get()).toBe(1);
    db.close();
  });

  it('reads yfinance 1-minute bars with their -04:00 offset as exact UTC, 390 bars on the first session', () => {
    const { db, store, summary } = importReal('intraday/AAPL_1min.csv');
    expect(summary.timeZone).toBeNull();
    const firstSession = store.bars('AAPL', '1m', Date.UTC(2024, 4, 9), Date.UTC(2024, 4, 10) - 1);
    expect(firstSession).toHaveLength(390);
    expect(firstSession[0]?.v).toBe(1_058_096);
    expect(firstSession[0]?.o).toBe(182.55999755859375);
    db.close();
  });

  it('refuses the headerless Binance file with the column names to pass, then imports it with them', () => {
    const file = 'intraday/Binance_BTCUSDT_minute.csv';
    expect(() => importReal(file)).toThrow(
      /^No header row: line 1 of Binance_BTCUSDT_minute.csv looks like data .*--columns unix,date,symbol,open,high,low,close,volume,skip,skip$/,
    );
    const { db, store, summary } = importReal(file, {
      columns: 'unix,date,symbol,open,high,low,close,volume,skip,skip'.split(','),
    });
    expect(summary.series).toHaveLength(1);
    const s = summary.series[0] as ImportSummary['series'][number];
    expect([s.symbol, s.timeframe, s.rows, s.zeroVolumeBars]).toEqual(['BTC/USDT', '1m', 15_000, 342]);
    expect(new Date(s.firstT).toISOString()).toBe('2019-09-08T17:57:00.000Z');
    expect(new Date(s.lastT).toISOString()).toBe('2019-09-19T03:57:00.000Z');
    expect(summary.order).toBe('descending');
    expect(db.prepare("SELECT kind FROM symbols WHERE symbol = 'BTC/USDT'").pluck().get()).toBe('crypto');
    expect(store.bars('BTC/USDT', '1m', undefined, undefined, 1)[0]).toEqual({
      t: Date.UTC(2019, 8, 8, 17, 57),
      o: 10_000,
      h: 10_000,
      l: 10_000,
      c: 10_000,
      v: 0.001,
    });
    db.close();
  });
});
