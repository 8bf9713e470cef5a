import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../../shared/domain/market';
import { type ParsedSeries, type ParseOptions, parseMarketCsv } from './parse-file';

const HEADER = 'Date,Open,High,Low,Close,Adj Close,Volume';

function parse(text: string, fileName = 'ACME.csv', options: ParseOptions = {}) {
  return parseMarketCsv(Buffer.from(text, 'utf8'), fileName, options);
}

function barsOf(series: ParsedSeries): Bar[] {
  return Array.from({ length: series.n }, (_, i) => ({
    t: series.t[i] as number,
    o: series.o[i] as number,
    h: series.h[i] as number,
    l: series.l[i] as number,
    c: series.c[i] as number,
    v: series.v[i] as number,
  }));
}

function refusal(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error('expected a refusal');
}

const iso = (t: number | undefined) => new Date(t ?? Number.NaN).toISOString();

describe('parseMarketCsv: rejected lines', () => {
  it('rejects each kind of bad row with its physical line number and reason', () => {
    const text = [
      HEADER, // 1
      '2020-01-02,10,11,9,10.5,10.5,1000', // 2 ok
      '2020-01-03,,11,9,10.5,10.5,1000', // 3
      '2020-01-06,null,11,9,10.5,10.5,1000', // 4
      '2020-01-07,10,11,9,abc,10.5,1000', // 5
      '2020-01-08,0,11,9,10.5,10.5,1000', // 6
      '2020-01-09,10,9,11,10,10,1000', // 7
      '2020-01-10,12,11,9,10.5,10.5,1000', // 8
      '2020-01-13,10,11,9,8,8,1000', // 9
      '2020-01-14,10,11,9,10.5,10.5,-5', // 10
      '2020-01-02,10,11,9,10.5,10.5,1000', // 11 duplicate of line 2
      'not-a-date,10,11,9,10.5,10.5,1000', // 12
      '2020-01-15,10,11,9,10.5', // 13
      '', // 14 blank: not a data line
      '2020-01-16,10,11,9,10.5,10.5,0', // 15 ok, zero volume
      '2020-01-17,"10","11","9","10.5","10.5","1,000"', // 16 ok, quoted with a thousands separator
      '2020-01-21,10,11,-9,10.5,10.5,1000', // 17
      ',10,11,9,10.5,10.5,1000', // 18
    ].join('\n');
    const parsed = parse(text);
    expect(parsed.rejected).toEqual([
      { line: 3, reason: 'missing Open' },
      { line: 4, reason: 'missing Open ("null")' },
      { line: 5, reason: 'Close is not a number: "abc"' },
      { line: 6, reason: 'Open is not positive: 0' },
      { line: 7, reason: 'High 9 is below Low 11' },
      { line: 8, reason: 'Open 12 is outside Low..High (9..11)' },
      { line: 9, reason: 'Close 8 is outside Low..High (9..11)' },
      { line: 10, reason: 'Volume is negative: -5' },
      { line: 11, reason: 'duplicate timestamp 2020-01-02 (same as line 2)' },
      { line: 12, reason: 'not a date: "not-a-date"' },
      { line: 13, reason: 'expected 7 fields, found 5' },
      { line: 17, reason: 'Low is not positive: -9' },
      { line: 18, reason: 'missing Date' },
    ]);
    expect(parsed.dataLines).toBe(16);
    const [series] = parsed.series;
    expect(series?.n).toBe(3);
    expect(barsOf(series as ParsedSeries).map((b) => [iso(b.t).slice(0, 10), b.v])).toEqual([
      ['2020-01-02', 1000],
      ['2020-01-16', 0],
      ['2020-01-17', 1000],
    ]);
    expect(parsed.warnings).toContain('ACME: 1 bar with zero volume (kept), the first on 2020-01-16');
  });

  it('counts physical lines through quoted newlines and CRLF', () => {
    const text = [
      'Date,Open,High,Low,Close,Volume,Note', // 1
      '2020-01-02,10,11,9,10.5,100,"two', // 2
      'lines"', // 3
      '2020-01-03,10,11,9,10.5,100,"a ""quoted"" note"', // 4
      '2020-01-06,10,11,9,oops,100,x', // 5
    ].join('\r\n');
    const parsed = parse(text);
    expect(parsed.rejected).toEqual([{ line: 5, reason: 'Close is not a number: "oops"' }]);
    expect(parsed.series[0]?.n).toBe(2);
  });

  it('keeps the earliest line of a duplicate timestamp even when the file is newest first', () => {
    const text = [
      HEADER,
      '2020-01-06,10,11,9,10,10,1', // 2
      '2020-01-03,10,11,9,10,10,2', // 3
      '2020-01-03,10,11,9,10,10,3', // 4
      '2020-01-02,10,11,9,10,10,4', // 5
    ].join('\n');
    const parsed = parse(text);
    expect(parsed.order).toBe('descending');
    expect(parsed.rejected).toEqual([{ line: 4, reason: 'duplicate timestamp 2020-01-03 (same as line 3)' }]);
    expect(barsOf(parsed.series[0] as ParsedSeries).map((b) => b.v)).toEqual([4, 2, 1]);
  });

  it('sorts unordered rows ascending', () => {
    const text = [
      HEADER,
      '2020-01-03,10,11,9,10,10,3',
      '2020-01-02,10,11,9,10,10,2',
      '2020-01-06,10,11,9,10,10,6',
    ].join('\n');
    const parsed = parse(text);
    expect(parsed.order).toBe('unordered');
    expect(barsOf(parsed.series[0] as ParsedSeries).map((b) => b.v)).toEqual([2, 3, 6]);
  });

  it('refuses a quoted field that never closes', () => {
    const text = `${HEADER}\n2020-01-02,10,11,9,10,10,1\n"2020-01-03,10,11,9,10,10,1\n2020-01-06,10,11,9,10,10,1\n`;
    expect(refusal(() => parse(text)).message).toMatch(
      /A quoted field that starts on line 3 of ACME.csv is never closed/,
    );
  });
});

describe('parseMarketCsv: headers, columns and symbols', () => {
  it('refuses a headerless file, suggests column names, and imports it with them', () => {
    const text =
      '1568865420000,2019-09-19 03:57:00,BTC/USDT,9809.45,9814.52,9809.45,9813.44,15.387,151001.27861,21\r\n';
    const e = refusal(() => parse(text, 'Binance_BTCUSDT_minute.csv'));
    expect(e.code).toBe('REJECTED');
    expect(e.message).toMatch(/^No header row: line 1 of Binance_BTCUSDT_minute.csv looks like data/);
    expect(e.message).toContain('--columns unix,date,symbol,open,high,low,close,volume,skip,skip');
    const parsed = parse(text, 'Binance_BTCUSDT_minute.csv', {
      columns: 'unix,date,symbol,open,high,low,close,volume,skip,skip'.split(','),
      timeframe: '1m',
    });
    expect(parsed.series[0]?.symbol).toBe('BTC/USDT');
    expect(iso(parsed.series[0]?.t[0])).toBe('2019-09-19T03:57:00.000Z');
    expect(() => parse(text, 'x.csv', { columns: ['date', 'open'] })).toThrow(/2 column names were given, but line 1/);
  });

  it('replaces an existing header with the given column names', () => {
    const text = 'a,b,c,d,e,f\n2020-01-02,1,2,0.5,1.5,10\n';
    const parsed = parse(text, 'x.csv', { columns: ['date', 'open', 'high', 'low', 'close', 'volume'], symbol: 'abc' });
    expect(parsed.series[0]?.symbol).toBe('ABC');
    expect(parsed.series[0]?.n).toBe(1);
  });

  it('refuses a file without a symbol anywhere, and one with no date column', () => {
    const noSymbol = refusal(() => parse(`${HEADER}\n2020-01-02,10,11,9,10,10,1\n`, 'prices.csv'));
    expect(noSymbol.code).toBe('BAD_INPUT');
    expect(noSymbol.message).toMatch(/Cannot tell the symbol: prices.csv has no Symbol or Ticker column.*--symbol/);
    expect(parse(`${HEADER}\n2020-01-02,10,11,9,10,10,1\n`, 'prices.csv', { symbol: 'msft' }).series[0]?.symbol).toBe(
      'MSFT',
    );
    const noDate = refusal(() => parse('Name,Open,High,Low,Close\nfoo,1,2,0.5,1\n', 'X.csv'));
    expect(noDate.message).toMatch(/^No date column/);
    expect(refusal(() => parse('', 'X.csv')).message).toMatch(/X.csv is empty/);
    expect(refusal(() => parse(`${HEADER}\n\n`, 'X.csv')).message).toMatch(/has a header but no data rows/);
  });

  it('imports a multi-ticker file as one series per symbol, or only the symbol asked for', () => {
    const text = [
      'Date,Open,High,Low,Close,Volume,Ticker',
      '2020-01-03,10,11,9,10,1,AAA',
      '2020-01-02,10,11,9,10,2,AAA',
      '2020-01-03,20,21,19,20,3,bbb',
      '2020-01-02,20,21,19,20,4,BBB',
      '2020-01-06,20,21,19,20,5,',
    ].join('\n');
    const all = parse(text, 'many.csv');
    expect(all.series.map((s) => [s.symbol, s.n])).toEqual([
      ['AAA', 2],
      ['BBB', 2],
    ]);
    expect(all.rejected).toEqual([{ line: 6, reason: 'missing Ticker' }]);
    const one = parse(text, 'many.csv', { symbol: 'BBB' });
    expect(one.series.map((s) => s.symbol)).toEqual(['BBB']);
    expect(one.warnings).toContain('imported only BBB, as asked; skipped the rows of AAA');
    expect(refusal(() => parse(text, 'many.csv', { symbol: 'ZZZ' })).message).toMatch(
      /many.csv holds AAA, BBB; ZZZ is not among them/,
    );
  });

  it('reads semicolon files with decimal commas', () => {
    const parsed = parse('Date;Open;High;Low;Close;Volume\n2020-01-02;10,5;11,25;9;10;100\n', 'X.csv');
    expect(barsOf(parsed.series[0] as ParsedSeries)[0]).toMatchObject({ o: 10.5, h: 11.25 });
  });
});

describe('parseMarketCsv: dates, zones and timeframes', () => {
  const dmy = (dates: string[]) => [HEADER, ...dates.map((d, i) => `${d},10,11,9,10,10,${i}`)].join('\n');

  it('decides day-first from the whole file, and refuses when nothing tells', () => {
    const late = dmy([
      ...Array.from(
        { length: 300 },
        (_, i) => `0${(i % 9) + 1}/0${(Math.floor(i / 9) % 9) + 1}/${1990 + Math.floor(i / 81)}`,
      ),
      '25/12/2020',
    ]);
    const parsed = parse(late);
    expect(parsed.notes.some((n) => n.startsWith('dates read as DD/MM/YYYY (line 302'))).toBe(true);
    const ambiguous = refusal(() => parse(dmy(['01/02/2020', '01/03/2020'])));
    expect(ambiguous.message).toMatch(/could be day-first or month-first.*--day-first.*--month-first/);
    expect(
      iso(parse(dmy(['01/02/2020', '01/03/2020']), 'X.csv', { dayFirst: true, timeframe: '1d' }).series[0]?.t[0]),
    ).toBe('2020-02-01T00:00:00.000Z');
    expect(
      iso(parse(dmy(['01/02/2020', '01/03/2020']), 'X.csv', { dayFirst: false, timeframe: '1d' }).series[0]?.t[0]),
    ).toBe('2020-01-02T00:00:00.000Z');
    expect(refusal(() => parse(dmy(['13/01/2020', '01/13/2020']))).message).toMatch(
      /mix day-first \(line 2\) and month-first \(line 3\)/,
    );
  });

  it('reads naive intraday times as New York exchange time, or the zone asked for', () => {
    const text = [
      'Datetime,Open,High,Low,Close,Volume',
      '2024-01-09 09:30:00,10,11,9,10,1',
      '2024-01-09 09:35:00,10,11,9,10,1',
      '2024-01-09 09:40:00,10,11,9,10,1',
    ].join('\n');
    const ny = parse(text, 'SPY_5m.csv');
    expect(ny.series[0]?.timeframe).toBe('5m');
    expect(iso(ny.series[0]?.t[0])).toBe('2024-01-09T14:30:00.000Z');
    expect(ny.timeZone).toBe('America/New_York');
    expect(ny.notes.join(' ')).toMatch(/read as America\/New_York exchange time/);
    const utc = parse(text, 'SPY_5m.csv', { timeZone: 'UTC' });
    expect(iso(utc.series[0]?.t[0])).toBe('2024-01-09T09:30:00.000Z');
    expect(() => parse(text, 'SPY_5m.csv', { timeZone: 'Nowhere/Special' })).toThrow(/Unknown time zone/);
  });

  it('detects 1m, 15m, 1h and daily bars from the spacing, and refuses others', () => {
    const series = (stepMin: number, count = 20) => {
      const rows = Array.from({ length: count }, (_, i) => {
        const t = new Date(Date.UTC(2024, 0, 2, 14, 30) + i * stepMin * 60_000).toISOString();
        return `${t},10,11,9,10,1`;
      });
      return ['time,open,high,low,close,volume', ...rows].join('\n');
    };
    expect(parse(series(1), 'X.csv').series[0]?.timeframe).toBe('1m');
    expect(parse(series(15), 'X.csv').series[0]?.timeframe).toBe('15m');
    expect(parse(series(60), 'X.csv').series[0]?.timeframe).toBe('1h');
    expect(parse(series(1440), 'X.csv').series[0]?.timeframe).toBe('1d');
    expect(refusal(() => parse(series(30), 'X.csv')).message).toMatch(
      /Cannot tell the timeframe of X: the bars are 30 minutes apart; the supported timeframes are 1m, 5m, 15m, 1h, 1d/,
    );
    expect(refusal(() => parse(series(7 * 1440), 'X.csv')).message).toMatch(
      /7 days apart \(weekly or monthly bars\?\)/,
    );
    expect(refusal(() => parse(series(1, 1), 'X.csv')).message).toMatch(/only one timestamp/);
    const forced = parse(series(30), 'X.csv', { timeframe: '15m' });
    expect(forced.series[0]?.timeframe).toBe('15m');
    expect(forced.warnings.join(' ')).toMatch(/30 minutes apart.*stored as 15m, as asked/);
    // daily dates with gaps (weekends, holidays) are daily
    expect(parse(dmy(['2020-01-02', '2020-01-03', '2020-01-06', '2020-01-08']), 'X.csv').series[0]?.timeframe).toBe(
      '1d',
    );
  });

  it('keeps the calendar date of daily bars whatever their time or offset', () => {
    const text = [
      'Date,Open,High,Low,Close,Volume',
      '2020-01-02 00:00:00-05:00,1,1,1,1,1',
      '2020-01-03 00:00:00-05:00,1,1,1,1,1',
    ].join('\n');
    expect(iso(parse(text, 'X.csv').series[0]?.t[0])).toBe('2020-01-02T00:00:00.000Z');
  });
});

describe('parseMarketCsv: splits', () => {
  const raw = [
    'timestamp,open,high,low,close,volume,split_coefficient',
    '2020-01-06,25,26,24,25.5,400,1.0',
    '2020-01-03,24.8,25.2,24.5,25,400,4.0', // 4-for-1 from this day
    '2020-01-02,99,101,98,100,100,1.0',
  ].join('\n');

  it('back-adjusts raw prices and volume, and says so', () => {
    const parsed = parse(raw, 'X.csv');
    const bars = barsOf(parsed.series[0] as ParsedSeries);
    expect(bars[0]).toMatchObject({ o: 24.75, h: 25.25, l: 24.5, c: 25, v: 400 });
    expect(bars[1]).toMatchObject({ o: 24.8, c: 25 });
    expect(parsed.series[0]?.splitsApplied).toEqual([{ t: Date.UTC(2020, 0, 3), factor: 4 }]);
    expect(parsed.notes.join(' ')).toMatch(/back-adjusted for the split 4:1 on 2020-01-03/);
  });

  it('leaves prices alone when asked, or when they already carry the split', () => {
    const off = parse(raw, 'X.csv', { adjustSplits: false });
    expect(barsOf(off.series[0] as ParsedSeries)[0]).toMatchObject({ o: 99, v: 100 });
    expect(off.notes.join(' ')).toMatch(/the split 4:1 on 2020-01-03 NOT adjusted, as asked/);
    const adjusted = raw.replace('2020-01-02,99,101,98,100,100,1.0', '2020-01-02,24.75,25.25,24.5,25,400,1.0');
    const parsed = parse(adjusted, 'X.csv');
    expect(barsOf(parsed.series[0] as ParsedSeries)[0]).toMatchObject({ o: 24.75, v: 400 });
    expect(parsed.warnings.join(' ')).toMatch(/already in the prices; not adjusted again/);
  });
});

describe('parseMarketCsv: round trip', () => {
  const barArb = fc
    .tuple(
      fc.array(fc.double({ min: 0.0001, max: 1e6, noNaN: true, noDefaultInfinity: true }), {
        minLength: 4,
        maxLength: 4,
      }),
      fc.oneof(
        fc.integer({ min: 0, max: 2_000_000_000 }),
        fc.double({ min: 0, max: 1e12, noNaN: true, noDefaultInfinity: true }),
      ),
    )
    .map(([p, v]) => {
      const sorted = [...p].sort((a, b) => a - b);
      return { o: p[0] as number, h: sorted[3] as number, l: sorted[0] as number, c: p[1] as number, v };
    });

  it('reads back exactly the bars a file was written with, in several vendor layouts', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 40_000 }), { minLength: 2, maxLength: 60 }),
        fc.array(barArb, { minLength: 60, maxLength: 60 }),
        fc.constantFrom('yahoo', 'stooq', 'nasdaq', 'quoted-desc'),
        (days, ohlcv, layout) => {
          const sorted = [...days].sort((a, b) => a - b);
          const bars: Bar[] = sorted.map((d, i) => ({
            t: Date.UTC(1950, 0, 1) + d * 86_400_000,
            ...(ohlcv[i] as Omit<Bar, 't'>),
          }));
          const ymd = (t: number) => new Date(t).toISOString().slice(0, 10);
          let text: string;
          if (layout === 'yahoo') {
            text = [HEADER, ...bars.map((b) => `${ymd(b.t)},${b.o},${b.h},${b.l},${b.c},${b.c},${b.v}`)].join('\n');
          } else if (layout === 'stooq') {
            text = [
              '<TICKER>,<PER>,<DATE>,<TIME>,<OPEN>,<HIGH>,<LOW>,<CLOSE>,<VOL>,<OPENINT>',
              ...bars.map((b) => `RT.US,D,${ymd(b.t).replaceAll('-', '')},000000,${b.o},${b.h},${b.l},${b.c},${b.v},0`),
            ].join('\r\n');
          } else if (layout === 'nasdaq') {
            const mdy = (t: number) => {
              const [y, m, d] = ymd(t).split('-');
              return `${m}/${d}/${y}`;
            };
            text = [
              'Date,Close/Last,Volume,Open,High,Low',
              ...[...bars].reverse().map((b) => `${mdy(b.t)},$${b.c},${b.v},$${b.o},$${b.h},$${b.l}`),
              // one unambiguous date, so the file itself tells the order
              '12/31/1949,$1,1,$1,$1,$1',
            ].join('\r\n');
          } else {
            text = [
              '"date","close","volume","open","high","low"',
              ...[...bars]
                .reverse()
                .map((b) => `"${ymd(b.t).replaceAll('-', '/')}","${b.c}","${b.v}","${b.o}","${b.h}","${b.l}"`),
            ].join('\r\n');
          }
          const parsed = parse(text, 'RT.csv', { timeframe: '1d' });
          expect(parsed.rejected).toEqual([]);
          const got = barsOf(parsed.series[0] as ParsedSeries);
          expect(got.slice(got.length - bars.length)).toEqual(bars);
        },
      ),
      { numRuns: 200 },
    );
  });
});
