import type { MatchedTerm, NewsItem, ScoredText, SentimentLabel } from '../../../../shared/domain/sentiment';
import type { Db } from '../../db/database';
import type { ScoredNewsItem } from './aggregate';

/** A news row ready to store: already scored. */
export interface NewsRowInput {
  tMs: number;
  symbol: string;
  text: string;
  score: number;
  label: SentimentLabel;
  terms: MatchedTerm[];
  modelVersion: string;
}

export interface NewsImportMeta {
  fileName: string;
  format: 'csv' | 'json' | 'ndjson';
  importedAtMs: number;
  records: number;
  rejected: number;
}

interface NewsRow {
  id: number;
  t_ms: number;
  symbol: string;
  text: string;
  source: string;
  score: number;
  label: SentimentLabel;
  terms_json: string;
  model_version: string;
}

/** Storage of imported news (tables of migration 6). Every write is one transaction. */
export class NewsRepository {
  constructor(private readonly db: Db) {}

  /**
   * Stores an import and its rows in one transaction: either all rows are stored (rows already present are
   * counted as duplicates) or, on any failure, none.
   */
  importBatch(meta: NewsImportMeta, rows: readonly NewsRowInput[]): { importId: number; inserted: number } {
    const insertImport = this.db.prepare(
      `INSERT INTO news_imports (file_name, format, imported_at_ms, records, imported, duplicates, rejected)
       VALUES (?, ?, ?, ?, 0, 0, ?)`,
    );
    // ON CONFLICT DO NOTHING skips only duplicates; INSERT OR IGNORE would also skip rows failing a CHECK.
    const insertRow = this.db.prepare(
      `INSERT INTO news (t_ms, symbol, text, source, import_id, score, label, terms_json, model_version)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (symbol, t_ms, text) DO NOTHING`,
    );
    const finish = this.db.prepare('UPDATE news_imports SET imported = ?, duplicates = ? WHERE id = ?');
    return this.db.transaction(() => {
      const importId = Number(
        insertImport.run(meta.fileName, meta.format, meta.importedAtMs, meta.records, meta.rejected).lastInsertRowid,
      );
      let inserted = 0;
      for (const r of rows) {
        const info = insertRow.run(
          r.tMs,
          r.symbol,
          r.text,
          meta.fileName,
          importId,
          r.score,
          r.label,
          JSON.stringify(r.terms),
          r.modelVersion,
        );
        inserted += info.changes;
      }
      finish.run(inserted, rows.length - inserted, importId);
      return { importId, inserted };
    })();
  }

  /** Newest first; `beforeMs` pages back in time. */
  list(options: { symbol?: string; limit: number; beforeMs?: number }): NewsItem[] {
    const where: string[] = [];
    const params: Array<string | number> = [];
    if (options.symbol !== undefined) {
      where.push('symbol = ?');
      params.push(options.symbol);
    }
    if (options.beforeMs !== undefined) {
      where.push('t_ms < ?');
      params.push(options.beforeMs);
    }
    const sql = `SELECT id, t_ms, symbol, text, source, score, label, terms_json, model_version FROM news
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY t_ms DESC, id DESC LIMIT ?`;
    const rows = this.db.prepare<Array<string | number>, NewsRow>(sql).all(...params, options.limit);
    return rows.map(toItem);
  }

  /** A symbol's items with `fromMs <= t <= toMs`, newest first, at most `limit`. */
  scoredItems(symbol: string, fromMs: number, toMs: number, limit: number): ScoredNewsItem[] {
    return this.db
      .prepare<
        [string, number, number, number],
        { id: number; t_ms: number; text: string; score: number; label: SentimentLabel }
      >(
        `SELECT id, t_ms, text, score, label FROM news WHERE symbol = ? AND t_ms BETWEEN ? AND ?
         ORDER BY t_ms DESC LIMIT ?`,
      )
      .all(symbol, fromMs, toMs, limit)
      .map((r) => ({ id: r.id, tMs: r.t_ms, text: r.text, score: r.score, label: r.label }));
  }

  /**
   * A digest of everything stored (row count, id sum and range, score total), for cache keys: it changes with every
   * import that adds a row and every re-score that changes one, and after a restart it is the same for the same
   * rows. (A counter kept in memory is not: it restarts, and can meet an old cache entry of other news.)
   * Scans the table; call it when the news changes, not per lookup.
   */
  contentVersion(): string {
    const row = this.db
      .prepare<[], { n: number; idSum: number; idMax: number; scoreSum: number; tSum: number }>(
        'SELECT count(*) AS n, total(id) AS idSum, coalesce(max(id), 0) AS idMax, total(score) AS scoreSum, total(t_ms) AS tSum FROM news',
      )
      .get();
    if (!row) return 'n0';
    return `n${row.n}-i${row.idSum}-m${row.idMax}-s${row.scoreSum.toFixed(6)}-t${row.tSum}`;
  }

  count(symbol?: string): number {
    const row =
      symbol === undefined
        ? this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM news').get()
        : this.db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM news WHERE symbol = ?').get(symbol);
    return row?.n ?? 0;
  }

  /**
   * Re-scores, in one transaction, every row scored by another model version, so stored scores always come from
   * the current lexicon. Returns how many rows changed.
   */
  rescoreOutdated(modelVersion: string, score: (text: string) => ScoredText): number {
    const select = this.db.prepare<[string], { id: number; text: string }>(
      'SELECT id, text FROM news WHERE model_version <> ?',
    );
    const update = this.db.prepare(
      'UPDATE news SET score = ?, label = ?, terms_json = ?, model_version = ? WHERE id = ?',
    );
    return this.db.transaction(() => {
      const cache = new Map<string, ScoredText>();
      let n = 0;
      for (const row of select.all(modelVersion)) {
        let s = cache.get(row.text);
        if (!s) {
          s = score(row.text);
          cache.set(row.text, s);
        }
        update.run(s.score, s.label, JSON.stringify(s.terms), modelVersion, row.id);
        n++;
      }
      return n;
    })();
  }
}

function toItem(r: NewsRow): NewsItem {
  return {
    id: r.id,
    tMs: r.t_ms,
    symbol: r.symbol,
    text: r.text,
    source: r.source,
    score: r.score,
    label: r.label,
    terms: JSON.parse(r.terms_json) as MatchedTerm[],
    modelVersion: r.model_version,
  };
}
