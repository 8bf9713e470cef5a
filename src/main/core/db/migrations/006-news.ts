import type { Migration } from './index';

/**
 * Imported news and posts for the Yi slot, scored at import.
 *
 * - `news_imports`: one row per import (file, counts), so every item can be traced to the file it came from.
 * - `news`: one item per symbol; the same headline for two symbols is two rows. The unique key makes re-importing
 *   a file a no-op. `model_version` says which lexicon scored the row, so rows can be re-scored when it changes.
 */
export const m006News: Migration = {
  version: 6,
  name: 'news',
  up(db) {
    db.exec(`
      CREATE TABLE news_imports (
        id INTEGER PRIMARY KEY,
        file_name TEXT NOT NULL,
        format TEXT NOT NULL CHECK (format IN ('csv', 'json', 'ndjson')),
        imported_at_ms INTEGER NOT NULL,
        records INTEGER NOT NULL,
        imported INTEGER NOT NULL,
        duplicates INTEGER NOT NULL,
        rejected INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE news (
        id INTEGER PRIMARY KEY,
        t_ms INTEGER NOT NULL,
        symbol TEXT NOT NULL CHECK (length(symbol) BETWEEN 1 AND 15),
        text TEXT NOT NULL CHECK (length(text) > 0),
        source TEXT NOT NULL,
        import_id INTEGER REFERENCES news_imports(id) ON DELETE SET NULL,
        score REAL NOT NULL CHECK (score BETWEEN -1 AND 1),
        label TEXT NOT NULL CHECK (label IN ('positive', 'negative', 'neutral')),
        terms_json TEXT NOT NULL DEFAULT '[]',
        model_version TEXT NOT NULL,
        UNIQUE (symbol, t_ms, text)
      ) STRICT;
      CREATE INDEX news_symbol_t ON news(symbol, t_ms);
      CREATE INDEX news_t ON news(t_ms);
    `);
  },
};
