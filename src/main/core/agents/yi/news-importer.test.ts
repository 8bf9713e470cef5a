import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/result';
import { type Db, openDatabase } from '../../db/database';
import { cleanupTempDirs, makeTempDir, SHARED_DATA } from '../../testing/fixtures';
import { MODEL_VERSION } from './model-version';
import { importNews } from './news-importer';
import { NewsRepository } from './news-repository';
import { scoreText } from './sentiment-model';

const ANALYST_FILE = path.join(SHARED_DATA, 'news', 'analyst_ratings_processed.csv');
const NOW = 1_700_000_000_000;

let db: Db | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
  cleanupTempDirs();
});

function openRepo(): { repo: NewsRepository; db: Db; dir: string } {
  const dir = makeTempDir();
  db = openDatabase(path.join(dir, 'swaggy.db'));
  return { repo: new NewsRepository(db), db, dir };
}

const CSV = [
  'date,symbol,title',
  '2024-05-01T13:00:00Z,AAPL,Apple beats estimates and raises guidance',
  '2024-05-02T13:00:00Z,AAPL,Apple shares fall after a downgrade',
  '2024-05-02T14:00:00Z,"TSLA,AAPL",Tesla and Apple hold their annual meetings',
  'not a date,AAPL,Rejected line',
].join('\n');

describe('importNews', () => {
  it('stores scored rows, reports counts, rejected lines and labels, and lists them newest first', () => {
    const { repo } = openRepo();
    const report = importNews(repo, { fileName: 'feed.csv', text: CSV }, { importedAtMs: NOW });
    expect(report).toMatchObject({
      fileName: 'feed.csv',
      format: 'csv',
      records: 4,
      imported: 4,
      duplicates: 0,
      rejectedCount: 1,
      symbols: ['AAPL', 'TSLA'],
      firstTMs: Date.UTC(2024, 4, 1, 13),
      lastTMs: Date.UTC(2024, 4, 2, 14),
      labels: { positive: 1, negative: 1, neutral: 2 },
      modelVersion: MODEL_VERSION,
    });
    expect(report.rejected).toEqual([
      { line: 5, reason: 'unrecognised time "not a date"', excerpt: 'not a date,AAPL,Rejected line' },
    ]);
    const items = repo.list({ symbol: 'AAPL', limit: 10 });
    expect(items.map((i) => i.text)).toEqual([
      'Tesla and Apple hold their annual meetings',
      'Apple shares fall after a downgrade',
      'Apple beats estimates and raises guidance',
    ]);
    expect(items[2]).toMatchObject({ source: 'feed.csv', label: 'positive', modelVersion: MODEL_VERSION });
    expect(items[2]?.terms.map((t) => t.term)).toContain('beat estimate');
    expect(repo.count()).toBe(4);
    expect(repo.list({ limit: 1, beforeMs: Date.UTC(2024, 4, 2) }).map((i) => i.symbol)).toEqual(['AAPL']);
  });

  it('counts rows already stored as duplicates when a file is imported again', () => {
    const { repo } = openRepo();
    importNews(repo, { fileName: 'feed.csv', text: CSV }, { importedAtMs: NOW });
    const again = importNews(repo, { fileName: 'feed.csv', text: CSV }, { importedAtMs: NOW + 1 });
    expect(again).toMatchObject({ imported: 0, duplicates: 4 });
    expect(repo.count()).toBe(4);
  });

  it('stores nothing when no record is acceptable, and says why', () => {
    const { repo } = openRepo();
    const text = 'date,symbol,title\nnope,AAPL,x\n';
    let error: unknown;
    try {
      importNews(repo, { fileName: 'bad.csv', text }, { importedAtMs: NOW });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('REJECTED');
    expect((error as AppError).message).toMatch(/None of the 1 records.*line 2: unrecognised time/);
    expect((error as AppError).details).toMatchObject({ rejectedCount: 1 });
    expect(repo.count()).toBe(0);
    expect(() =>
      importNews(repo, { fileName: 'empty.csv', text: 'date,symbol,title\n' }, { importedAtMs: NOW }),
    ).toThrow(/no news records/);
  });

  it('is atomic: a failure while storing leaves no row and no import behind', () => {
    const { repo, db } = openRepo();
    let calls = 0;
    // The third distinct text gets a score outside [-1, 1]; the CHECK constraint refuses it mid-batch.
    const failing = (t: string) => {
      calls++;
      const s = scoreText(t);
      return calls === 3 ? { ...s, score: 7 } : s;
    };
    expect(() =>
      importNews(repo, { fileName: 'feed.csv', text: CSV }, { importedAtMs: NOW, score: failing }),
    ).toThrow();
    expect(repo.count()).toBe(0);
    expect(db.prepare('SELECT count(*) AS n FROM news_imports').get()).toEqual({ n: 0 });
  });

  it('reads a file by path and refuses a missing one with NOT_FOUND', () => {
    const { repo, dir } = openRepo();
    const file = path.join(dir, 'posts.json');
    fs.writeFileSync(file, JSON.stringify([{ created_at: '2024-05-02T15:00:00Z', text: '$GME to the moon 🚀' }]));
    const report = importNews(repo, { path: file }, { importedAtMs: NOW });
    expect(report).toMatchObject({ fileName: 'posts.json', format: 'json', imported: 1, symbols: ['GME'] });
    expect(repo.list({ limit: 5 })[0]?.label).toBe('positive');
    expect(() => importNews(repo, { path: path.join(dir, 'missing.csv') }, { importedAtMs: NOW })).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
  });

  it('decodes a UTF-16 file with a byte-order mark', () => {
    const { repo, dir } = openRepo();
    const file = path.join(dir, 'excel.csv');
    fs.writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CSV, 'utf16le')]));
    expect(importNews(repo, { path: file }, { importedAtMs: NOW }).imported).toBe(4);
  });

  it('re-scores rows stored by another model version', () => {
    const { repo, db } = openRepo();
    importNews(repo, { fileName: 'feed.csv', text: CSV }, { importedAtMs: NOW });
    db.prepare("UPDATE news SET model_version = 'yi-old', score = 0, label = 'neutral'").run();
    expect(repo.rescoreOutdated(MODEL_VERSION, (t) => scoreText(t))).toBe(4);
    expect(repo.rescoreOutdated(MODEL_VERSION, (t) => scoreText(t))).toBe(0);
    expect(repo.list({ symbol: 'AAPL', limit: 10 }).map((i) => i.label)).toEqual(['neutral', 'negative', 'positive']);
  });

  it.skipIf(!fs.existsSync(ANALYST_FILE))('imports the real analyst ratings file in one go', () => {
    const { repo } = openRepo();
    const report = importNews(repo, { path: ANALYST_FILE }, { importedAtMs: NOW });
    expect(report).toMatchObject({ records: 9991, rejectedCount: 0, repaired: [{ line: 2300 }, { line: 3570 }] });
    expect(report.imported + report.duplicates).toBe(9991);
    expect(report.symbols).toHaveLength(37);
    expect(repo.count('AAPL')).toBeGreaterThan(400);
    const { positive, negative, neutral } = report.labels;
    expect(positive + negative + neutral).toBe(9991);
    expect(positive).toBeGreaterThan(0);
    expect(negative).toBeGreaterThan(0);
  });
});
