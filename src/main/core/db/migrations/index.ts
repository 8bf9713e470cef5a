import type Database from 'better-sqlite3';
import { DatabaseOpenError } from '../errors';
import { m001Foundation } from './001-foundation';
import { m002Market } from './002-market';
import { m003Broker } from './003-broker';
import { m004Cache } from './004-cache';
import { m005Knowledge } from './005-knowledge';
import { m006News } from './006-news';

export interface Migration {
  /** Schema version after this migration; versions are 1, 2, 3... with no gaps. */
  readonly version: number;
  readonly name: string;
  readonly up: (db: Database.Database) => void;
}

/** Every migration, in order. Append only: a released migration is never edited. */
export const migrations: readonly Migration[] = [
  m001Foundation,
  m002Market,
  m003Broker,
  m004Cache,
  m005Knowledge,
  m006News,
];

export function latestSchemaVersion(): number {
  return migrations.length;
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies the pending migrations up to `target`, each in its own transaction together with the version bump, so
 * a failure leaves the database at the last complete version.
 */
export function migrate(db: Database.Database, target: number, file = db.name): void {
  const current = schemaVersion(db);
  if (current > latestSchemaVersion()) {
    throw new DatabaseOpenError(
      'DB_TOO_NEW',
      file,
      `The database ${file} has schema version ${current}, but this build of Swaggy Stacks knows only up to ${latestSchemaVersion()}. It was written by a newer version: upgrade, or start with another --data-dir.`,
    );
  }
  for (const migration of migrations) {
    if (migration.version <= current || migration.version > target) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}
