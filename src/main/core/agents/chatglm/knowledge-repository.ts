import type { KnowledgePassage } from '../../../../shared/domain/knowledge';
import type { Db } from '../../db/database';
import { splitSentences } from './split-sentences';

/** A passage found by full-text search. */
export interface PassageMatch {
  id: string;
  title: string;
  source: string;
  text: string;
  /** bm25 relevance, flipped so that higher is better. */
  score: number;
}

/** A sentence of a passage found by full-text search. */
export interface SentenceMatch {
  ordinal: number;
  sentence: string;
  score: number;
}

const VERSION_KEY = 'knowledge_base_version';
// bm25 column weights for (passage_id, title, tags, text): a hit in the title or tags says more than one in the
// body, where every rule mentions "account" and "order".
const PASSAGE_BM25 = 'bm25(knowledge_fts, 0.0, 4.0, 3.0, 1.0)';

/** Storage and full-text search of the knowledge base (tables of migration 5). */
export class KnowledgeRepository {
  constructor(private readonly db: Db) {}

  storedVersion(): string | null {
    const row = this.db
      .prepare<[string], { value: string }>('SELECT value FROM knowledge_meta WHERE key = ?')
      .get(VERSION_KEY);
    return row?.value ?? null;
  }

  /**
   * Loads the passages when the stored knowledge base has another version (or none), replacing the old ones in one
   * transaction. Returns true when it (re)loaded them. Idempotent: the same version is loaded once.
   */
  ensureSeeded(passages: readonly KnowledgePassage[], version: string): boolean {
    if (this.storedVersion() === version) return false;
    const ids = new Set<string>();
    for (const p of passages) {
      if (ids.has(p.id)) throw new Error(`Knowledge base ${version}: passage id "${p.id}" is used twice`);
      ids.add(p.id);
    }
    const insertPassage = this.db.prepare(
      'INSERT INTO knowledge_passages (id, ordinal, title, tags_json, text, source) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const insertFts = this.db.prepare('INSERT INTO knowledge_fts (passage_id, title, tags, text) VALUES (?, ?, ?, ?)');
    const insertSentence = this.db.prepare(
      'INSERT INTO knowledge_sentences_fts (passage_id, ordinal, sentence) VALUES (?, ?, ?)',
    );
    this.db.transaction(() => {
      this.db.exec('DELETE FROM knowledge_passages; DELETE FROM knowledge_fts; DELETE FROM knowledge_sentences_fts;');
      passages.forEach((p, ordinal) => {
        insertPassage.run(p.id, ordinal, p.title, JSON.stringify(p.tags), p.text, p.source);
        insertFts.run(p.id, p.title, p.tags.join(' ; '), p.text);
        splitSentences(p.text).forEach((s, k) => {
          insertSentence.run(p.id, k, s);
        });
      });
      this.db
        .prepare(
          'INSERT INTO knowledge_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
        )
        .run(VERSION_KEY, version);
    })();
    return true;
  }

  list(): KnowledgePassage[] {
    return this.db
      .prepare<[], PassageRow>('SELECT id, title, tags_json, text, source FROM knowledge_passages ORDER BY ordinal')
      .all()
      .map(toPassage);
  }

  get(id: string): KnowledgePassage | null {
    const row = this.db
      .prepare<[string], PassageRow>('SELECT id, title, tags_json, text, source FROM knowledge_passages WHERE id = ?')
      .get(id);
    return row ? toPassage(row) : null;
  }

  passageCount(): number {
    return this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM knowledge_passages').get()?.n ?? 0;
  }

  /** The best passages for an FTS5 query, best first. */
  search(ftsQuery: string, limit: number): PassageMatch[] {
    return this.db
      .prepare<[string, number], PassageMatch>(
        `SELECT f.passage_id AS id, p.title AS title, p.source AS source, p.text AS text, -${PASSAGE_BM25} AS score
         FROM knowledge_fts f JOIN knowledge_passages p ON p.id = f.passage_id
         WHERE knowledge_fts MATCH ? ORDER BY ${PASSAGE_BM25} LIMIT ?`,
      )
      .all(ftsQuery, limit);
  }

  /** In how many passages an FTS5 expression (one term or phrase) occurs. */
  documentFrequency(ftsExpression: string): number {
    return (
      this.db
        .prepare<[string], { n: number }>('SELECT count(*) AS n FROM knowledge_fts WHERE knowledge_fts MATCH ?')
        .get(ftsExpression)?.n ?? 0
    );
  }

  /** Whether an FTS5 expression occurs in one passage. */
  passageMatches(ftsExpression: string, passageId: string): boolean {
    return (
      this.db
        .prepare<[string, string], { n: number }>(
          'SELECT count(*) AS n FROM knowledge_fts WHERE knowledge_fts MATCH ? AND passage_id = ?',
        )
        .get(ftsExpression, passageId)?.n !== 0
    );
  }

  /** The sentences of one passage in order. */
  sentences(passageId: string): string[] {
    return this.db
      .prepare<[string], { ordinal: number; sentence: string }>(
        'SELECT ordinal, sentence FROM knowledge_sentences_fts WHERE passage_id = ?',
      )
      .all(passageId)
      .sort((a, b) => Number(a.ordinal) - Number(b.ordinal))
      .map((r) => r.sentence);
  }

  /** The sentences of one passage that best match an FTS5 query, best first. */
  bestSentences(ftsQuery: string, passageId: string, limit: number): SentenceMatch[] {
    return this.db
      .prepare<[string, string, number], SentenceMatch>(
        `SELECT ordinal, sentence, -bm25(knowledge_sentences_fts) AS score FROM knowledge_sentences_fts
         WHERE knowledge_sentences_fts MATCH ? AND passage_id = ? ORDER BY bm25(knowledge_sentences_fts) LIMIT ?`,
      )
      .all(ftsQuery, passageId, limit)
      .map((r) => ({ ordinal: Number(r.ordinal), sentence: r.sentence, score: r.score }));
  }
}

interface PassageRow {
  id: string;
  title: string;
  tags_json: string;
  text: string;
  source: string;
}

function toPassage(r: PassageRow): KnowledgePassage {
  return { id: r.id, title: r.title, tags: JSON.parse(r.tags_json) as string[], text: r.text, source: r.source };
}
