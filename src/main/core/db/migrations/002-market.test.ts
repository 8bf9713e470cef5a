import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, makeTempDir } from '../../testing/fixtures';
import { openDatabase } from '../database';
import { migrate, schemaVersion } from './index';

afterEach(cleanupTempDirs);

describe('migration 2: market', () => {
  it('adds symbols, series, bars and the import history to a version-1 database, keeping its rows', () => {
    const db = openDatabase(path.join(makeTempDir(), 'swaggy.db'), { migrateTo: 1 });
    expect(schemaVersion(db)).toBe(1);
    db.prepare('INSERT INTO settings (key, value_json, updated_at_ms) VALUES (?, ?, ?)').run(
      'watchlist',
      '["AAPL"]',
      1,
    );

    migrate(db, 2);
    expect(schemaVersion(db)).toBe(2);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['symbols', 'series', 'bars', 'imports', 'market_meta']));
    expect(db.prepare('SELECT value_json FROM settings WHERE key = ?').pluck().get('watchlist')).toBe('["AAPL"]');

    const symbolId = db.prepare("INSERT INTO symbols (symbol) VALUES ('AAPL')").run().lastInsertRowid;
    const importId = db
      .prepare("INSERT INTO imports (file_name, sha256, at_ms, summary_json) VALUES ('a.csv', 'abc', 1, '{}')")
      .run().lastInsertRowid;
    const seriesId = db
      .prepare(
        `INSERT INTO series (symbol_id, timeframe, source, rows, first_t, last_t, version, import_id, updated_at_ms)
         VALUES (?, '1d', 'imported', 1, 0, 0, 1, ?, 1)`,
      )
      .run(symbolId, importId).lastInsertRowid;
    db.prepare('INSERT INTO bars (series, t, o, h, l, c, v) VALUES (?, 0, 1.5, 2, 1, 1.75, 100)').run(seriesId);
    expect(db.prepare('SELECT t, o, h, l, c, v FROM bars').get()).toEqual({
      t: 0,
      o: 1.5,
      h: 2,
      l: 1,
      c: 1.75,
      v: 100,
    });
    expect(db.prepare("SELECT value FROM market_meta WHERE key = 'series_version'").pluck().get()).toBe(0);

    // (series, t) is the key: a second bar at the same time is refused, not stored twice.
    expect(() =>
      db.prepare('INSERT INTO bars (series, t, o, h, l, c, v) VALUES (?, 0, 1, 1, 1, 1, 1)').run(seriesId),
    ).toThrow(/UNIQUE|PRIMARY KEY/);
    // STRICT: a time that is not an integer is refused.
    expect(() =>
      db.prepare("INSERT INTO bars (series, t, o, h, l, c, v) VALUES (?, 'soon', 1, 1, 1, 1, 1)").run(seriesId),
    ).toThrow();
    // one series per symbol and timeframe; only known timeframes
    expect(() =>
      db
        .prepare(
          "INSERT INTO series (symbol_id, timeframe, source, rows, version, updated_at_ms) VALUES (?, '1d', 'imported', 0, 2, 1)",
        )
        .run(symbolId),
    ).toThrow(/UNIQUE/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO series (symbol_id, timeframe, source, rows, version, updated_at_ms) VALUES (?, '2h', 'imported', 0, 2, 1)",
        )
        .run(symbolId),
    ).toThrow(/CHECK/);
    // bars belong to a series: an orphan is refused, and deleting the series removes its bars
    expect(() =>
      db.prepare('INSERT INTO bars (series, t, o, h, l, c, v) VALUES (999, 0, 1, 1, 1, 1, 1)').run(),
    ).toThrow(/FOREIGN KEY/);
    db.prepare('DELETE FROM series WHERE id = ?').run(seriesId);
    expect(db.prepare('SELECT COUNT(*) FROM bars').pluck().get()).toBe(0);

    const bars = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'bars'").pluck().get() as string;
    expect(bars).toMatch(/WITHOUT ROWID/);
    db.close();
  });
});
