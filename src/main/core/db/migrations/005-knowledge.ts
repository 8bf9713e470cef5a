import type { Migration } from './index';

/**
 * The rules knowledge base of the ChatGLM slot. The passages are written in code and loaded by
 * `KnowledgeRepository.ensureSeeded`, which replaces them whenever the knowledge base's version changes; this
 * migration only makes the tables, so a corrected rule never needs a new migration.
 *
 * - `knowledge_passages`: the passages as written (tags as a JSON array).
 * - `knowledge_fts`: FTS5 over title, tags and text (Porter stemming, diacritics folded) for bm25 ranking.
 * - `knowledge_sentences_fts`: the same text one sentence per row, to pick the sentences that answer a question.
 * - `knowledge_meta`: the loaded knowledge base version.
 */
export const m005Knowledge: Migration = {
  version: 5,
  name: 'knowledge',
  up(db) {
    db.exec(`
      CREATE TABLE knowledge_passages (
        id TEXT PRIMARY KEY NOT NULL,
        ordinal INTEGER NOT NULL,
        title TEXT NOT NULL,
        tags_json TEXT NOT NULL DEFAULT '[]',
        text TEXT NOT NULL,
        source TEXT NOT NULL
      ) STRICT;

      CREATE VIRTUAL TABLE knowledge_fts USING fts5(
        passage_id UNINDEXED,
        title,
        tags,
        text,
        tokenize = 'porter unicode61 remove_diacritics 2'
      );

      CREATE VIRTUAL TABLE knowledge_sentences_fts USING fts5(
        passage_id UNINDEXED,
        ordinal UNINDEXED,
        sentence,
        tokenize = 'porter unicode61 remove_diacritics 2'
      );

      CREATE TABLE knowledge_meta (
        key TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
      ) STRICT;
    `);
  },
};
