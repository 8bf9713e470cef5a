import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, makeTempDir } from '../testing/fixtures';
import { DatabaseOpenError, openDatabase } from './database';
import { latestSchemaVersion, schemaVersion } from './migrations';

afterEach(cleanupTempDirs);

function expectOpenError(file: string, code: DatabaseOpenError['code']): DatabaseOpenError {
  try {
    openDatabase(file).close();
  } catch (e) {
    expect(e).toBeInstanceOf(DatabaseOpenError);
    expect((e as DatabaseOpenError).code).toBe(code);
    expect((e as DatabaseOpenError).message).toContain(file);
    return e as DatabaseOpenError;
  }
  throw new Error(`expected ${code}`);
}

describe('openDatabase', () => {
  it('creates a WAL database with foreign keys on, migrated to the latest schema', () => {
    const file = path.join(makeTempDir(), 'nested', 'swaggy.db');
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaVersion(db)).toBe(latestSchemaVersion());
    db.close();
    const again = openDatabase(file);
    expect(schemaVersion(again)).toBe(latestSchemaVersion());
    again.close();
  });

  it('refuses a file that is not SQLite, and leaves it byte for byte as it was', () => {
    const file = path.join(makeTempDir(), 'swaggy.db');
    const content = Buffer.from('Date,Open,High\n2020-01-01,1,2\n'.repeat(200));
    fs.writeFileSync(file, content);
    const e = expectOpenError(file, 'DB_CORRUPT');
    expect(e.message).toMatch(/left untouched/);
    expect(fs.readFileSync(file).equals(content)).toBe(true);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  });

  it('refuses a damaged SQLite file without overwriting it', () => {
    const file = path.join(makeTempDir(), 'swaggy.db');
    openDatabase(file).close();
    const bytes = fs.readFileSync(file);
    // Keep the magic header, trash the rest of page 1 (the schema).
    const damaged = Buffer.concat([bytes.subarray(0, 16), Buffer.alloc(bytes.length - 16, 0xa5)]);
    fs.writeFileSync(file, damaged);
    expectOpenError(file, 'DB_CORRUPT');
    expect(fs.readFileSync(file).equals(damaged)).toBe(true);
  });

  it('reports an unreadable path clearly', () => {
    const file = path.join(makeTempDir(), 'swaggy.db');
    fs.mkdirSync(file); // a folder where the file should be: unreadable as a database even for root
    expectOpenError(file, 'DB_UNREADABLE');
    expect(fs.statSync(file).isDirectory()).toBe(true);
  });

  it('refuses a database written by a newer schema', () => {
    const file = path.join(makeTempDir(), 'swaggy.db');
    const db = openDatabase(file);
    db.pragma(`user_version = ${latestSchemaVersion() + 5}`);
    db.close();
    const e = expectOpenError(file, 'DB_TOO_NEW');
    expect(e.message).toMatch(/newer version/);
  });
});
