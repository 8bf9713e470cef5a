import type { Migration } from './index';

/**
 * Market data: symbols, one series per symbol and timeframe, its bars, and the history of CSV imports.
 *
 * - `bars` is WITHOUT ROWID with the primary key (series, t): a range read of one series is one B-tree walk, and
 *   bars written in ascending time append at the right edge of the tree.
 * - `series.version` changes whenever a series' bars change (re-import, delete + import). Versions come from one
 *   counter in `market_meta`, so a number is never reused for a symbol even after its series was deleted: a cache
 *   keyed by (symbol, timeframe, version) can never serve results computed from bars that are gone.
 * - Times are UTC epoch ms of the bar's open; prices are REAL (analysis maths), volume is REAL (Stooq and Binance
 *   publish fractional volumes).
 */
export const m002Market: Migration = {
  version: 2,
  name: 'market',
  up(db) {
    db.exec(`
      CREATE TABLE symbols (
        id INTEGER PRIMARY KEY,
        symbol TEXT NOT NULL UNIQUE,
        name TEXT,
        kind TEXT NOT NULL DEFAULT 'equity' CHECK (kind IN ('equity', 'etf', 'index', 'crypto', 'fx', 'other'))
      ) STRICT;

      CREATE TABLE imports (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        file_name TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        at_ms INTEGER NOT NULL,
        summary_json TEXT NOT NULL
      ) STRICT;
      CREATE INDEX imports_sha256 ON imports(sha256);

      CREATE TABLE series (
        id INTEGER PRIMARY KEY,
        symbol_id INTEGER NOT NULL REFERENCES symbols(id),
        timeframe TEXT NOT NULL CHECK (timeframe IN ('1m', '5m', '15m', '1h', '1d')),
        source TEXT NOT NULL CHECK (source IN ('imported', 'synthetic')),
        rows INTEGER NOT NULL CHECK (rows >= 0),
        first_t INTEGER,
        last_t INTEGER,
        version INTEGER NOT NULL,
        import_id INTEGER REFERENCES imports(id) ON DELETE SET NULL,
        updated_at_ms INTEGER NOT NULL,
        UNIQUE (symbol_id, timeframe)
      ) STRICT;

      CREATE TABLE bars (
        series INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
        t INTEGER NOT NULL,
        o REAL NOT NULL,
        h REAL NOT NULL,
        l REAL NOT NULL,
        c REAL NOT NULL,
        v REAL NOT NULL,
        PRIMARY KEY (series, t)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE market_meta (
        key TEXT PRIMARY KEY NOT NULL,
        value INTEGER NOT NULL
      ) STRICT;
      INSERT INTO market_meta (key, value) VALUES ('series_version', 0);
    `);
  },
};
