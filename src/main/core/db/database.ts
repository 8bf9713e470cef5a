import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DatabaseOpenError } from './errors';
import { latestSchemaVersion, migrate } from './migrations';

export { DatabaseOpenError } from './errors';

export type Db = Database.Database;

export const DATABASE_FILE_NAME = 'swaggy.db';

export interface OpenDatabaseOptions {
  /** Path of a better_sqlite3.node built for the running runtime (Electron); Node's own build by default. */
  nativeBinding?: string;
  /** Apply migrations up to this version instead of the latest (tests of single migrations). */
  migrateTo?: number;
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Opens (creating if needed) the app database: WAL, foreign keys on, migrations applied at start-up inside a
 * transaction. A file that is not a SQLite database, is damaged or cannot be read gives a DatabaseOpenError.
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Db {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const exists = fs.existsSync(file);
  if (exists) checkExistingFile(file);

  let db: Db;
  try {
    db = new Database(file, {
      fileMustExist: exists,
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    });
  } catch (e) {
    throw classifyOpenError(e, file);
  }
  try {
    // Reading the schema forces SQLite to parse the header and the first page: a damaged file fails here,
    // before anything is written to it.
    db.pragma('schema_version', { simple: true });
    db.pragma('busy_timeout = 5000');
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`SQLite refused WAL mode (got ${String(mode)})`);
    db.pragma('foreign_keys = ON');
    // WAL with synchronous=NORMAL is durable across application crashes; only a power loss can roll back the
    // last transactions, never corrupt the file.
    db.pragma('synchronous = NORMAL');
    migrate(db, options.migrateTo ?? latestSchemaVersion(), file);
  } catch (e) {
    db.close();
    throw e instanceof DatabaseOpenError ? e : classifyOpenError(e, file);
  }
  return db;
}

function checkExistingFile(file: string): void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r+');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new DatabaseOpenError(
      'DB_UNREADABLE',
      file,
      `Cannot open the database ${file} for reading and writing (${reason}). Check the file's permissions, or start with another --data-dir.`,
    );
  }
  try {
    const header = Buffer.alloc(SQLITE_MAGIC.length);
    const read = fs.readSync(fd, header, 0, header.length, 0);
    // An empty file is what SQLite itself creates before the first write; it is safe to open.
    if (read === 0) return;
    if (read < header.length || !header.equals(SQLITE_MAGIC)) {
      throw new DatabaseOpenError(
        'DB_CORRUPT',
        file,
        `${file} is not a Swaggy Stacks database (it is not a SQLite file). It was left untouched. Move it away or start with another --data-dir.`,
      );
    }
  } finally {
    fs.closeSync(fd);
  }
}

function classifyOpenError(e: unknown, file: string): DatabaseOpenError {
  if (e instanceof DatabaseOpenError) return e;
  const code = (e as { code?: string }).code ?? '';
  const message = e instanceof Error ? e.message : String(e);
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new DatabaseOpenError(
      'DB_CORRUPT',
      file,
      `The database ${file} is damaged (${message}). It was left untouched. Restore a backup, move it away, or start with another --data-dir.`,
    );
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new DatabaseOpenError(
      'DB_LOCKED',
      file,
      `The database ${file} is locked by another process (${message}). Close the other Swaggy Stacks window or CLI and try again.`,
    );
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_PERM')) {
    return new DatabaseOpenError(
      'DB_UNREADABLE',
      file,
      `Cannot open the database ${file} (${message}). Check the folder's permissions, or start with another --data-dir.`,
    );
  }
  if (/NODE_MODULE_VERSION|was compiled against a different Node.js version|invalid ELF header/.test(message)) {
    return new DatabaseOpenError(
      'DB_NATIVE',
      file,
      `SQLite's native module does not match this runtime (${message.split('\n')[0]}). Reinstall with "npm ci", or run "npm start" to use browser mode.`,
    );
  }
  return new DatabaseOpenError(
    'DB_CORRUPT',
    file,
    `Cannot use the database ${file}: ${message}. It was left untouched.`,
  );
}
