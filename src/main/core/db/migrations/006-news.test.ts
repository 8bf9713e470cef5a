import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, makeTempDir } from '../../testing/fixtures';
import { openDatabase } from '../database';
import { migrate, schemaVersion } from './index';

afterEach(cleanupTempDirs);

describe('migration 6: news', () => {
  it('adds the news tables with their constraints, keeping the knowledge base of version 5', () => {
    const db = openDatabase(path.join(makeTempDir(), 'swaggy.db'), { migrateTo: 5 });
    expect(schemaVersion(db)).toBe(5);
    db.prepare(
      'INSERT INTO knowledge_passages (id, ordinal, title, tags_json, text, source) VALUES (?, ?, ?, ?, ?, ?)',
    ).run('pdt-rule', 0, 'Pattern day trader rule', '[]', 'Four day trades in five business days.', 'FINRA Rule 4210');
    migrate(db, 6);
    expect(schemaVersion(db)).toBe(6);
    expect(db.prepare('SELECT title FROM knowledge_passages').pluck().get()).toBe('Pattern day trader rule');

    const importId = db
      .prepare(
        `INSERT INTO news_imports (file_name, format, imported_at_ms, records, imported, duplicates, rejected)
         VALUES ('feed.csv', 'csv', 1, 2, 2, 0, 0)`,
      )
      .run().lastInsertRowid;
    const insert = db.prepare(
      `INSERT INTO news (t_ms, symbol, text, source, import_id, score, label, terms_json, model_version)
       VALUES (?, ?, ?, 'feed.csv', ?, ?, ?, '[]', 'yi-test')`,
    );
    insert.run(1_000, 'AAPL', 'Apple beats', importId, 0.5, 'positive');
    insert.run(2_000, 'AAPL', 'Apple misses', importId, -0.5, 'negative');
    // The same headline at the same time for the same symbol is one row.
    expect(() => insert.run(1_000, 'AAPL', 'Apple beats', importId, 0.5, 'positive')).toThrow(/UNIQUE/);
    // Scores stay in [-1, 1], labels are one of three, texts are not empty, imports must exist.
    expect(() => insert.run(3_000, 'AAPL', 'x', importId, 1.5, 'positive')).toThrow(/CHECK/);
    expect(() => insert.run(3_000, 'AAPL', 'x', importId, 0.1, 'bullish')).toThrow(/CHECK/);
    expect(() => insert.run(3_000, 'AAPL', '', importId, 0.1, 'neutral')).toThrow(/CHECK/);
    expect(() => insert.run(3_000, 'AAPL', 'x', 999, 0.1, 'neutral')).toThrow(/FOREIGN KEY/);
    expect(() => insert.run('later', 'AAPL', 'x', importId, 0.1, 'neutral')).toThrow();

    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT * FROM news WHERE symbol = 'AAPL' AND t_ms BETWEEN 0 AND 5000")
      .all() as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/news_symbol_t|sqlite_autoindex_news/);
    // Deleting an import keeps its rows (they lose the link, not the news).
    db.prepare('DELETE FROM news_imports WHERE id = ?').run(importId);
    expect(db.prepare('SELECT count(*) FROM news WHERE import_id IS NULL').pluck().get()).toBe(2);
    db.close();
  });
});
