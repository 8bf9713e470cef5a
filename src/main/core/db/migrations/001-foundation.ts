import type { Migration } from './index';

/** Settings (JSON values keyed by name) and the audit log of user-visible state changes. */
export const m001Foundation: Migration = {
  version: 1,
  name: 'foundation',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key TEXT PRIMARY KEY NOT NULL,
        value_json TEXT NOT NULL,
        updated_at_ms INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at_ms INTEGER NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        detail_json TEXT NOT NULL DEFAULT '{}'
      ) STRICT;
      CREATE INDEX audit_log_at ON audit_log(at_ms);
    `);
  },
};
