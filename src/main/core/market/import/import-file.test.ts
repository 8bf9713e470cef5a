import path from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportOptions } from '../../../../shared/contract/data';
import type { Bar } from '../../../../shared/domain/market';
import { type Db, openDatabase } from '../../db/database';
import { cleanupTempDirs, makeTempDir } from '../../testing/fixtures';
import { BarStore } from '../bar-store';
import { type ImportContext, importMarketCsv } from './import-file';

afterEach(cleanupTempDirs);

const DAY = 86_400_000;
const HEADER = 'Date,Open,High,Low,Close,Adj Close,Volume';

function tempDb(): Db {
  return openDatabase(path.join(makeTempDir(), 'swaggy.db'));
}

/** A Yahoo-format file of `count` consecutive days from 1900-01-01, prices from `base`. */
function yahoo(count: number, base = 10, startDay = 0): string {
  const lines = [HEADER];
  for (let i = 0; i < count; i++) {
    const date = new Date(Date.UTC(1900, 0, 1) + (startDay + i) * DAY).toISOString().slice(0, 10);
    const p = base + (i % 7);
    lines.push(`${date},${p},${p + 1},${p - 1},${p + 0.5},${p},${1000 + i}`);
  }
  return `${lines.join('\n')}\n`;
}

function run(db: Db, text: string, fileName = 'ACME.csv', options: ImportOptions = {}, ctx: ImportContext = {}) {
  return importMarketCsv(
    db,
    { bytes: Buffer.from(text), fileName, atMs: 1_700_000_000_000, taskId: 't1', options },
    ctx,
  );
}

function refusal(fn: () => unknown): { code: string; message: string; details: unknown } {
  try {
    fn();
  } catch (e) {
    return e as { code: string; message: string; details: unknown };
  }
  throw new Error('expected a refusal');
}

function nothingWritten(db: Db): void {
  expect(db.prepare('SELECT COUNT(*) FROM bars').pluck().get()).toBe(0);
  expect(db.prepare('SELECT COUNT(*) FROM series').pluck().get()).toBe(0);
  expect(db.prepare('SELECT COUNT(*) FROM imports').pluck().get()).toBe(0);
}

/** `good` valid lines, then `bad` lines with a broken close. */
function withBadLines(good: number, bad: number): string {
  const lines = yahoo(good).trimEnd().split('\n');
  for (let i = 0; i < bad; i++) lines.push(`2200-01-${String(i + 1).padStart(2, '0')},1,2,0.5,oops,1,1`);
  return lines.join('\n');
}

describe('importMarketCsv: the rejection policy', () => {
  it('imports a file with up to 5% rejected lines and reports them', () => {
    const db = tempDb();
    const summary = run(db, withBadLines(95, 5));
    expect(summary.dataLines).toBe(100);
    expect(summary.importedRows).toBe(95);
    expect(summary.rejectedCount).toBe(5);
    expect(summary.rejected[0]).toEqual({ line: 97, reason: 'Close is not a number: "oops"' });
    expect(new BarStore(db).series('ACME', '1d')?.rows).toBe(95);
    db.close();
  });

  it('refuses a file with more than 5% rejected lines and writes nothing', () => {
    const db = tempDb();
    const e = refusal(() => run(db, withBadLines(94, 6)));
    expect(e.code).toBe('REJECTED');
    expect(e.message).toMatch(
      /^Nothing imported: 6 of 100 data lines of ACME.csv \(6.0%\) were rejected, more than the 5%.*line 96: Close is not a number: "oops"/,
    );
    expect(e.details).toMatchObject({ dataLines: 100, rejectedCount: 6, rejected: [{ line: 96 }, {}, {}, {}, {}, {}] });
    nothingWritten(db);
    db.close();
  });

  it('refuses on any rejection with strict, and a file with no valid row', () => {
    const db = tempDb();
    expect(refusal(() => run(db, withBadLines(95, 1), 'ACME.csv', { strict: true })).message).toMatch(
      /^Nothing imported \(strict\): 1 of 96 data lines of ACME.csv were rejected \(line 97: /,
    );
    expect(refusal(() => run(db, withBadLines(0, 2))).message).toMatch(
      /^Nothing imported: none of the 2 data lines of ACME.csv is a valid bar \(line 2: Close is not a number/,
    );
    nothingWritten(db);
    db.close();
  });
});

describe('importMarketCsv: re-import, history and versions', () => {
  it('replaces a re-imported series in one transaction and bumps its version', () => {
    const db = tempDb();
    const store = new BarStore(db);
    const first = run(db, yahoo(30, 10));
    const v1 = first.series[0]?.version ?? 0;
    expect(first.series[0]).toMatchObject({ replaced: false, previousRows: 0, rows: 30 });

    const second = run(db, yahoo(20, 50, 5));
    expect(second.series[0]).toMatchObject({ replaced: true, previousRows: 30, rows: 20 });
    expect(second.series[0]?.version).toBeGreaterThan(v1);
    expect(store.seriesVersion('ACME', '1d')).toBe(second.series[0]?.version);
    const bars = store.bars('ACME', '1d');
    expect(bars).toHaveLength(20);
    expect(bars[0]).toMatchObject({ t: Date.UTC(1900, 0, 6), o: 50 });

    // the same bytes again: replaced again, new version, and a warning that it was imported before
    const third = run(db, yahoo(20, 50, 5), 'again.csv', { symbol: 'ACME' });
    expect(third.series[0]?.version).toBeGreaterThan(second.series[0]?.version ?? 0);
    expect(third.warnings.join(' ')).toMatch(/this file was imported before \(as ACME.csv on 2023-11-14\)/);
    const history = db
      .prepare('SELECT file_name, sha256, at_ms, summary_json FROM imports ORDER BY id')
      .all() as Array<{
      file_name: string;
      sha256: string;
      at_ms: number;
      summary_json: string;
    }>;
    expect(history.map((h) => h.file_name)).toEqual(['ACME.csv', 'ACME.csv', 'again.csv']);
    expect(history[2]?.sha256).toBe(history[1]?.sha256);
    expect(JSON.parse(history[2]?.summary_json ?? '{}')).toMatchObject({
      importedRows: 20,
      series: [{ symbol: 'ACME' }],
    });
    db.close();
  });

  it('leaves the stored series untouched when a re-import is refused', () => {
    const db = tempDb();
    const store = new BarStore(db);
    const first = run(db, yahoo(30));
    expect(() => run(db, withBadLines(10, 5))).toThrow(/Nothing imported/);
    expect(store.series('ACME', '1d')).toMatchObject({ rows: 30, version: first.series[0]?.version });
    expect(store.bars('ACME', '1d')).toHaveLength(30);
    db.close();
  });

  it('never gives a version twice, even after the series was deleted', () => {
    const db = tempDb();
    const store = new BarStore(db);
    const v1 = run(db, yahoo(5)).series[0]?.version ?? 0;
    expect(store.deleteSeries('ACME', '1d')).toEqual({ deleted: true, rows: 5 });
    const v2 = run(db, yahoo(5)).series[0]?.version ?? 0;
    expect(v2).toBeGreaterThan(v1);
    db.close();
  });
});

describe('importMarketCsv: cancellation', () => {
  it('writes nothing when cancelled while parsing', () => {
    const db = tempDb();
    const e = refusal(() => run(db, yahoo(60_000), 'ACME.csv', {}, { cancelled: () => true }));
    expect(e.code).toBe('CANCELLED');
    nothingWritten(db);
    db.close();
  });

  it('rolls back every series of a multi-symbol file when cancelled while writing, keeping what was stored', () => {
    const db = tempDb();
    const store = new BarStore(db);
    run(db, yahoo(10), 'BBB.csv');
    const before = store.series('BBB', '1d');
    const lines = ['Date,Open,High,Low,Close,Volume,Symbol'];
    const day = (i: number) => new Date(Date.UTC(1900, 0, 1) + i * DAY).toISOString().slice(0, 10);
    for (let i = 0; i < 1000; i++) lines.push(`${day(i)},10,11,9,10,1,AAA`);
    for (let i = 0; i < 60_000; i++) lines.push(`${day(i)},20,21,19,20,1,BBB`);
    let writing = false;
    const progress: number[] = [];
    const e = refusal(() =>
      run(
        db,
        lines.join('\n'),
        'both.csv',
        {},
        {
          progress: (done, total) => {
            progress.push(done);
            // the parse reports at most 35% of the total; past it the bars are being written
            if (done > total * 0.35) writing = true;
          },
          cancelled: () => writing,
        },
      ),
    );
    expect(e.code).toBe('CANCELLED');
    expect(progress.length).toBeGreaterThan(1);
    expect(store.series('AAA', '1d')).toBeNull();
    expect(store.series('BBB', '1d')).toEqual(before);
    expect(store.bars('BBB', '1d')).toHaveLength(10);
    expect(db.prepare('SELECT COUNT(*) FROM imports').pluck().get()).toBe(1);
    db.close();
  });
});

describe('importMarketCsv: round trip through SQLite', () => {
  it('stores and reads back exactly the bars a file holds', () => {
    const barArb = fc
      .tuple(
        fc.array(fc.double({ min: 0.0001, max: 1e6, noNaN: true, noDefaultInfinity: true }), {
          minLength: 4,
          maxLength: 4,
        }),
        fc.double({ min: 0, max: 1e12, noNaN: true, noDefaultInfinity: true }),
      )
      .map(([p, v]) => {
        const s = [...p].sort((a, b) => a - b);
        return { o: p[2] as number, h: s[3] as number, l: s[0] as number, c: p[3] as number, v };
      });
    const db = tempDb();
    const store = new BarStore(db);
    fc.assert(
      fc.property(
        fc.array(barArb, { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 0, max: 30_000 }),
        (ohlcv, start) => {
          const bars: Bar[] = ohlcv.map((b, i) => ({ t: Date.UTC(1950, 0, 1) + (start + i) * DAY, ...b }));
          const text = [
            HEADER,
            ...bars.map((b) => `${new Date(b.t).toISOString().slice(0, 10)},${b.o},${b.h},${b.l},${b.c},${b.c},${b.v}`),
          ].join('\n');
          const summary = run(db, text, 'RT.csv', { timeframe: '1d' });
          expect(summary.importedRows).toBe(bars.length);
          expect(store.bars('RT', '1d')).toEqual(bars);
        },
      ),
      { numRuns: 40 },
    );
    db.close();
  });
});
