import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/result';
import { SHARED_DATA } from '../../testing/fixtures';
import { parseNewsFile, parseTimeMs } from './news-parser';

const NEWS_DIR = path.join(SHARED_DATA, 'news');
const ANALYST_FILE = path.join(NEWS_DIR, 'analyst_ratings_processed.csv');

describe('parseTimeMs', () => {
  it('reads ISO times with and without offsets, RFC 2822 and epoch seconds or milliseconds', () => {
    expect(parseTimeMs('2020-06-05 10:30:00-04:00')).toBe(Date.UTC(2020, 5, 5, 14, 30));
    expect(parseTimeMs('2020-06-05T10:30:00.250Z')).toBe(Date.UTC(2020, 5, 5, 10, 30, 0, 250));
    expect(parseTimeMs('2020-06-05T10:30+0530')).toBe(Date.UTC(2020, 5, 5, 5, 0));
    expect(parseTimeMs('2020-06-05 10:30')).toBe(Date.UTC(2020, 5, 5, 10, 30));
    expect(parseTimeMs('2020-06-05')).toBe(Date.UTC(2020, 5, 5));
    expect(parseTimeMs('Fri, 05 Jun 2020 14:30:00 GMT')).toBe(Date.UTC(2020, 5, 5, 14, 30));
    expect(parseTimeMs(1591367400)).toBe(1591367400000);
    expect(parseTimeMs('1591367400000')).toBe(1591367400000);
  });

  it('refuses impossible dates, ambiguous formats and out-of-range years', () => {
    expect(parseTimeMs('2020-02-30')).toBeNull();
    expect(parseTimeMs('2020-13-01')).toBeNull();
    expect(parseTimeMs('06/05/2020')).toBeNull();
    expect(parseTimeMs('tomorrow')).toBeNull();
    expect(parseTimeMs('1850-01-01')).toBeNull();
    expect(parseTimeMs(12345)).toBeNull();
  });
});

describe('parseNewsFile', () => {
  it('finds columns by name, in any order and case, and ignores an unnamed index column', () => {
    const csv = ',Headline,Ticker,Published At\n0,Apple beats estimates,aapl,2024-05-02T20:30:00Z\n';
    const r = parseNewsFile('feed.csv', csv);
    expect(r.items).toEqual([
      { line: 2, tMs: Date.UTC(2024, 4, 2, 20, 30), symbol: 'AAPL', text: 'Apple beats estimates' },
    ]);
  });

  it('takes symbols from $cashtags when there is no symbol column, one item per symbol', () => {
    const r = parseNewsFile(
      'posts.csv',
      'time,text\n2024-05-02,"$TSLA and $nvda ripping 🚀"\n2024-05-02,no tag here\n',
    );
    expect(r.items.map((i) => i.symbol)).toEqual(['TSLA', 'NVDA']);
    expect(r.rejected).toEqual([
      {
        line: 3,
        reason: 'no symbol: the symbol is empty and the text has no $cashtag',
        excerpt: '2024-05-02,no tag here',
      },
    ]);
  });

  it('splits a symbol list and rejects invalid symbols, bad times, empty texts and wrong field counts', () => {
    const csv = [
      'date,symbol,title',
      '2024-05-01,"AAPL, MSFT",Tech rallies',
      '2024-05-01,AA PL!,Odd symbol',
      'yesterday,AAPL,Bad time',
      '2024-05-01,AAPL,',
      '2024-05-01,AAPL,extra,field',
      '2024-05-01,AAPL,"never closed',
    ].join('\n');
    const r = parseNewsFile('news.csv', csv);
    expect(r.items.map((i) => i.symbol)).toEqual(['AAPL', 'MSFT']);
    expect(r.rejected.map((x) => [x.line, x.reason])).toEqual([
      [3, 'invalid symbol "PL!"'],
      [4, 'unrecognised time "yesterday"'],
      [5, 'the text is empty'],
      [6, 'expected 3 fields as in the header, found 4'],
      [7, 'a quoted field is never closed (the file ends inside it)'],
    ]);
  });

  it('rejects a file without a text or time column, saying which names it accepts', () => {
    expect(() => parseNewsFile('a.csv', 'when,symbol,title\n1,2,3\n')).toThrow(/No time column.*"when"/);
    expect(() => parseNewsFile('a.csv', 'date,symbol\n2024-01-01,AAPL\n')).toThrow(AppError);
    expect(() => parseNewsFile('a.csv', '')).toThrow(/empty/);
  });

  it('reads JSON arrays, wrapped arrays and NDJSON, with symbol arrays and epoch times', () => {
    const json = JSON.stringify({
      items: [
        { timestamp: 1714680000, tickers: ['aapl', '$msft'], headline: 'Big tech beats' },
        { time: '2024-05-02', symbol: 'TSLA' },
        'not an object',
      ],
    });
    const r = parseNewsFile('feed.json', json);
    expect(r.format).toBe('json');
    expect(r.items.map((i) => [i.symbol, i.tMs])).toEqual([
      ['AAPL', 1714680000000],
      ['MSFT', 1714680000000],
    ]);
    expect(r.rejected.map((x) => [x.line, x.reason])).toEqual([
      [2, 'the text is empty'],
      [3, 'not an object'],
    ]);
    const nd = parseNewsFile('feed.txt', '{"t":"2024-05-02","symbol":"SPY","text":"Stocks rally"}\n{broken\n');
    expect(nd.format).toBe('ndjson');
    expect(nd.items).toHaveLength(1);
    expect(nd.rejected[0]?.line).toBe(2);
    expect(() => parseNewsFile('x.json', '{"foo": 1}')).toThrow(/no list of news/);
    expect(() => parseNewsFile('x.json', '[1,')).toThrow(/not valid JSON/);
  });

  it('cleans BOMs, no-break spaces and runs of whitespace out of texts', () => {
    const r = parseNewsFile('n.csv', 'date,symbol,text\n2024-01-01,AAPL,"\uFEFFApple\u00A0 beats\n estimates "\n');
    expect(r.items[0]?.text).toBe('Apple beats estimates');
  });
});

describe.skipIf(!fs.existsSync(ANALYST_FILE))('the real analyst_ratings_processed.csv', () => {
  it('reads every headline, joins the two records broken across lines and converts tz-aware times', () => {
    const r = parseNewsFile('analyst_ratings_processed.csv', fs.readFileSync(ANALYST_FILE, 'utf8'));
    expect(r.format).toBe('csv');
    expect(r.rejected).toEqual([]);
    expect(r.repaired.map((x) => x.line)).toEqual([2300, 3570]);
    expect(r.records).toBe(9991);
    expect(r.items).toHaveLength(9991);
    expect(new Set(r.items.map((i) => i.symbol)).size).toBe(37);
    const aarons = r.items.find((i) => i.line === 2300);
    expect(aarons).toMatchObject({
      symbol: 'AAN',
      text: "Sterne Agee Provides Color on Aaron's",
      tMs: Date.UTC(2011, 6, 20, 10, 43),
    });
    expect(r.items.find((i) => i.line === 3570)).toMatchObject({ symbol: 'AAP', tMs: Date.UTC(2011, 6, 22, 11, 38) });
    // The first row: 2020-06-05 10:30:00-04:00.
    expect(r.items[0]).toMatchObject({ symbol: 'A', tMs: Date.UTC(2020, 5, 5, 14, 30) });
    expect(r.items.some((i) => /[\uFEFF\u00A0]/.test(i.text))).toBe(false);
    // A quoted headline spanning lines is one record.
    expect(r.items.some((i) => i.text.startsWith('Adam Feuerstein Tweets: $GILD competition. And $ENTA'))).toBe(true);
  });
});
