import type { Migration } from './index';

/**
 * The pattern cache's SQLite tier (the "SSD" under the in-memory LRU). Keys are content hashes, so a row is never
 * updated in meaning, only replaced, touched or deleted. `payload` is the UTF-8 JSON of the value, or with
 * `encoding = 'aes-256-gcm'` IV ‖ ciphertext ‖ auth tag. Tags are kept twice: as JSON on the row (one read on a hit)
 * and in `cache_entry_tags` (an index for invalidation by tag, such as `symbol:AAPL` after a re-import). `expires_at_ms` is in the clock named by `clock` (market
 * time during replay, wall time live) and NULL for entries that never expire. `last_access_seq` is a logical counter,
 * not a time: market time jumps backwards when a replay restarts, and eviction by oldest access must not.
 */
export const m004Cache: Migration = {
  version: 4,
  name: 'cache',
  up(db) {
    db.exec(`
      CREATE TABLE cache_entries (
        key TEXT PRIMARY KEY NOT NULL,
        namespace TEXT NOT NULL,
        slot TEXT NOT NULL,
        model_version TEXT NOT NULL,
        ttl_class TEXT NOT NULL,
        tags_json TEXT NOT NULL DEFAULT '[]',
        clock TEXT NOT NULL CHECK (clock IN ('market', 'wall')),
        created_at_ms INTEGER NOT NULL,
        expires_at_ms INTEGER,
        last_access_seq INTEGER NOT NULL,
        size_bytes INTEGER NOT NULL CHECK (size_bytes >= 0),
        encoding TEXT NOT NULL CHECK (encoding IN ('json', 'aes-256-gcm')),
        payload BLOB NOT NULL
      ) STRICT;
      CREATE INDEX cache_entries_namespace ON cache_entries(namespace);
      CREATE INDEX cache_entries_slot_version ON cache_entries(slot, model_version);
      CREATE INDEX cache_entries_expiry ON cache_entries(clock, expires_at_ms) WHERE expires_at_ms IS NOT NULL;
      CREATE INDEX cache_entries_access ON cache_entries(last_access_seq);

      CREATE TABLE cache_entry_tags (
        tag TEXT NOT NULL,
        key TEXT NOT NULL REFERENCES cache_entries(key) ON DELETE CASCADE,
        PRIMARY KEY (tag, key)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX cache_entry_tags_key ON cache_entry_tags(key);
    `);
  },
};
