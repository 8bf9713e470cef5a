import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, makeTempDir } from '../../testing/fixtures';
import { openDatabase } from '../database';
import { migrate, schemaVersion } from './index';

afterEach(cleanupTempDirs);

const insertEntry = `INSERT INTO cache_entries (key, namespace, slot, model_version, ttl_class, tags_json, clock,
  created_at_ms, expires_at_ms, last_access_seq, size_bytes, encoding, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

describe('migration 4: cache', () => {
  it('adds the SQLite tier of the pattern cache to a version 3 database', () => {
    const file = path.join(makeTempDir(), 'swaggy.db');
    const db = openDatabase(file, { migrateTo: 3 });
    expect(schemaVersion(db)).toBe(3);
    db.prepare('INSERT INTO settings (key, value_json, updated_at_ms) VALUES (?, ?, ?)').run(
      'watchlist',
      '["AAPL"]',
      1,
    );
    const before = db.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'cache%'").pluck().all();
    expect(before).toEqual([]);

    migrate(db, 4);
    expect(schemaVersion(db)).toBe(4);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['cache_entries', 'cache_entry_tags', 'settings']));
    const indexes = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name LIKE 'cache%'")
      .pluck()
      .all();
    expect(indexes).toEqual(
      expect.arrayContaining([
        'cache_entries_namespace',
        'cache_entries_slot_version',
        'cache_entries_expiry',
        'cache_entries_access',
        'cache_entry_tags_key',
      ]),
    );
    // Earlier rows survive the migration.
    expect(db.prepare("SELECT value_json FROM settings WHERE key = 'watchlist'").pluck().get()).toBe('["AAPL"]');

    const payload = Buffer.from('{"rsi":55.5}');
    db.prepare(insertEntry).run(
      'k1',
      'pattern',
      'moonshot',
      '1',
      'analysis',
      '["symbol:AAPL"]',
      'market',
      10,
      20,
      1,
      payload.length,
      'json',
      payload,
    );
    db.prepare('INSERT INTO cache_entry_tags (tag, key) VALUES (?, ?)').run('symbol:AAPL', 'k1');
    const row = db.prepare('SELECT payload, expires_at_ms FROM cache_entries WHERE key = ?').get('k1') as {
      payload: Buffer;
      expires_at_ms: number;
    };
    expect(row.payload.equals(payload)).toBe(true);

    // Never-expiring entries store NULL; STRICT refuses wrong types; CHECKs refuse unknown clocks and encodings.
    db.prepare(insertEntry).run(
      'k2',
      'pattern',
      'moonshot',
      '1',
      'immutable',
      '[]',
      'wall',
      10,
      null,
      2,
      1,
      'json',
      Buffer.from('1'),
    );
    expect(() =>
      db
        .prepare(insertEntry)
        .run('k3', 'pattern', 'moonshot', '1', 'analysis', '[]', 'market', 'soon', 20, 3, 1, 'json', Buffer.from('1')),
    ).toThrow();
    expect(() =>
      db
        .prepare(insertEntry)
        .run('k4', 'pattern', 'moonshot', '1', 'analysis', '[]', 'lunar', 10, 20, 4, 1, 'json', Buffer.from('1')),
    ).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare(insertEntry)
        .run('k5', 'pattern', 'moonshot', '1', 'analysis', '[]', 'wall', 10, 20, 5, 1, 'rot13', Buffer.from('1')),
    ).toThrow(/CHECK/);
    // A tag must belong to an entry, and goes with it.
    expect(() => db.prepare('INSERT INTO cache_entry_tags (tag, key) VALUES (?, ?)').run('symbol:X', 'nope')).toThrow(
      /FOREIGN KEY/,
    );
    db.prepare('DELETE FROM cache_entries WHERE key = ?').run('k1');
    expect(db.prepare('SELECT COUNT(*) FROM cache_entry_tags').pluck().get()).toBe(0);
    db.close();
  });
});
