import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, makeTempDir } from '../../testing/fixtures';
import { openDatabase } from '../database';
import { migrate, schemaVersion } from './index';

afterEach(cleanupTempDirs);

describe('migration 1: foundation', () => {
  it('creates settings and the audit log from an empty database', () => {
    const db = openDatabase(path.join(makeTempDir(), 'swaggy.db'), { migrateTo: 0 });
    expect(schemaVersion(db)).toBe(0);
    migrate(db, 1);
    expect(schemaVersion(db)).toBe(1);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['audit_log', 'settings']));
    db.prepare('INSERT INTO settings (key, value_json, updated_at_ms) VALUES (?, ?, ?)').run('watchlist', '[]', 1);
    // STRICT tables refuse a value of the wrong type instead of storing it.
    expect(() =>
      db.prepare('INSERT INTO settings (key, value_json, updated_at_ms) VALUES (?, ?, ?)').run('x', '1', 'soon'),
    ).toThrow();
    db.close();
  });
});
