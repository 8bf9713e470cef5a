import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED_DATA } from '../testing/fixtures';
import { hashBarSeries } from './bar-series';
import { readMarketFile, syntheticSeries } from './data-sources';

const DAILY = path.join(SHARED_DATA, 'market', 'daily');

describe('syntheticSeries', () => {
  const spec = {
    seed: 42,
    symbols: ['AAPL', 'SPY'],
    timeframe: '1d' as const,
    fromDay: '2010-01-01',
    toDay: '2010-01-31',
  };

  it('gives one daily bar per session and symbol, the same for the same seed', () => {
    const progress: number[] = [];
    const a = syntheticSeries(spec, { progress: (d) => progress.push(d) });
    expect(a.map((s) => s.symbol)).toEqual(['AAPL', 'SPY']);
    // January 2010 had 19 NYSE sessions from the 4th (the 1st is a holiday, the 18th MLK day).
    expect(a[0]?.t.length).toBe(19);
    expect(new Date(a[0]?.t[0] as number).toISOString().slice(0, 10)).toBe('2010-01-04');
    expect(progress.length).toBeGreaterThan(0);
    const b = syntheticSeries(spec);
    expect(hashBarSeries(b)).toBe(hashBarSeries(a));
    expect(hashBarSeries(syntheticSeries({ ...spec, seed: 43 }))).not.toBe(hashBarSeries(a));
  });

  it('refuses an empty period', () => {
    expect(() => syntheticSeries({ ...spec, fromDay: '2010-02-01', toDay: '2010-01-01' })).toThrow(/is empty/);
  });
});

describe.skipIf(!fs.existsSync(DAILY))('readMarketFile (real daily files in ../shared/data)', () => {
  it('reads a vendor file with the importer’s parser, ascending', () => {
    const [spy] = readMarketFile(path.join(DAILY, 'spy.us.txt'));
    expect(spy?.symbol).toBe('SPY');
    expect(spy?.timeframe).toBe('1d');
    expect(spy?.t.length).toBe(5013);
    expect((spy?.t[1] as number) > (spy?.t[0] as number)).toBe(true);
  });

  it('names a missing file', () => {
    expect(() => readMarketFile(path.join(DAILY, 'nope.csv'))).toThrow(/No such file: .*nope\.csv/);
  });
});
