import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, makeTempDir } from '../../testing/fixtures';
import { openDatabase } from '../database';
import { migrate, schemaVersion } from './index';

afterEach(cleanupTempDirs);

describe('migration 5: knowledge', () => {
  it('adds the knowledge tables with FTS5 search, keeping the rows of earlier versions', () => {
    const db = openDatabase(path.join(makeTempDir(), 'swaggy.db'), { migrateTo: 4 });
    expect(schemaVersion(db)).toBe(4);
    db.prepare('INSERT INTO settings (key, value_json, updated_at_ms) VALUES (?, ?, ?)').run('watchlist', '["SPY"]', 1);
    migrate(db, 5);
    expect(schemaVersion(db)).toBe(5);
    expect(db.prepare('SELECT value_json FROM settings WHERE key = ?').pluck().get('watchlist')).toBe('["SPY"]');

    db.prepare(
      'INSERT INTO knowledge_passages (id, ordinal, title, tags_json, text, source) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(
      'wash-sale',
      0,
      'Wash sale rule',
      '["tax"]',
      'Losses are disallowed when shares are repurchased within 30 days.',
      'IRC 1091',
    );
    db.prepare('INSERT INTO knowledge_fts (passage_id, title, tags, text) VALUES (?, ?, ?, ?)').run(
      'wash-sale',
      'Wash sale rule',
      'tax',
      'Losses are disallowed when shares are repurchased within 30 days.',
    );
    db.prepare('INSERT INTO knowledge_sentences_fts (passage_id, ordinal, sentence) VALUES (?, ?, ?)').run(
      'wash-sale',
      0,
      'Losses are disallowed when shares are repurchased within 30 days.',
    );
    // Porter stemming: "loss" finds "Losses", "repurchasing" finds "repurchased".
    const hit = db
      .prepare(
        "SELECT passage_id, bm25(knowledge_fts) AS s FROM knowledge_fts WHERE knowledge_fts MATCH 'loss AND repurchasing'",
      )
      .get() as { passage_id: string; s: number };
    expect(hit.passage_id).toBe('wash-sale');
    expect(hit.s).toBeLessThan(0);
    expect(
      db
        .prepare("SELECT ordinal FROM knowledge_sentences_fts WHERE knowledge_sentences_fts MATCH 'disallowed'")
        .pluck()
        .get(),
    ).toBe(0);

    db.prepare('INSERT INTO knowledge_meta (key, value) VALUES (?, ?)').run('knowledge_base_version', 'x');
    // STRICT tables refuse a value of the wrong type; the passage id is the primary key.
    expect(() =>
      db
        .prepare('INSERT INTO knowledge_passages (id, ordinal, title, text, source) VALUES (?, ?, ?, ?, ?)')
        .run('a', 'first', 't', 'x', 's'),
    ).toThrow();
    expect(() =>
      db
        .prepare('INSERT INTO knowledge_passages (id, ordinal, title, text, source) VALUES (?, ?, ?, ?, ?)')
        .run('wash-sale', 1, 't', 'x', 's'),
    ).toThrow(/UNIQUE|PRIMARY/);
    db.close();
  });
});
