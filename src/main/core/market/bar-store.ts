import type { Bar, MarketSource, SeriesInfo, Timeframe } from '../../../shared/domain/market';
import { AppError } from '../../../shared/result';
import type { Db } from '../db/database';
import type { BarReader } from './types';

/** Bars of one series to write, ascending by `t` with no duplicates (the importer guarantees both). */
export interface SeriesWrite {
  symbol: string;
  timeframe: Timeframe;
  source: MarketSource;
  n: number;
  t: ArrayLike<number>;
  o: ArrayLike<number>;
  h: ArrayLike<number>;
  l: ArrayLike<number>;
  c: ArrayLike<number>;
  v: ArrayLike<number>;
}

export interface SeriesWriteOptions {
  /** The import that wrote the bars (history), or null. */
  importId: number | null;
  /** Wall-clock time of the write, for the series row. */
  atMs: number;
  /** Called with the bars written so far, every `progressEvery` bars. */
  onProgress?: (written: number) => void;
  progressEvery?: number;
  /** Checked with every progress report; true throws CANCELLED (the caller's transaction rolls back). */
  cancelled?: () => boolean;
  /** Symbol kind for a new symbol row. */
  kind?: 'equity' | 'etf' | 'index' | 'crypto' | 'fx' | 'other';
}

export interface SeriesWriteResult {
  version: number;
  replaced: boolean;
  previousRows: number;
}

interface SeriesRow {
  id: number;
  symbol: string;
  timeframe: Timeframe;
  source: MarketSource;
  rows: number;
  first_t: number | null;
  last_t: number | null;
  version: number;
}

/** Rows per multi-row INSERT: fewer statement calls, well under SQLite's bound-parameter limit. */
const BATCH = 128;

const SERIES_SELECT = `SELECT s.id, y.symbol, s.timeframe, s.source, s.rows, s.first_t, s.last_t, s.version
  FROM series s JOIN symbols y ON y.id = s.symbol_id`;

/**
 * The SQLite bar store: reads for replay, backtests, charts and the model slots ({@link BarReader}), and the
 * replace-a-whole-series write the importer uses. Symbols are stored uppercase; lookups uppercase theirs.
 */
export class BarStore implements BarReader {
  private readonly selectAll;
  private readonly selectBySymbol;
  private readonly selectOne;
  private readonly selectRange;
  private readonly selectRangeLimit;
  private readonly selectLatest;
  private readonly selectBefore;
  private readonly insertOne;
  private readonly insertBatch;

  constructor(private readonly db: Db) {
    this.selectAll = db.prepare<[], SeriesRow>(`${SERIES_SELECT} ORDER BY y.symbol, s.timeframe`);
    this.selectBySymbol = db.prepare<[string], SeriesRow>(`${SERIES_SELECT} WHERE y.symbol = ? ORDER BY s.timeframe`);
    this.selectOne = db.prepare<[string, string], SeriesRow>(`${SERIES_SELECT} WHERE y.symbol = ? AND s.timeframe = ?`);
    this.selectRange = db.prepare<[number, number, number], Bar>(
      'SELECT t, o, h, l, c, v FROM bars WHERE series = ? AND t >= ? AND t <= ? ORDER BY t',
    );
    this.selectRangeLimit = db.prepare<[number, number, number, number], Bar>(
      'SELECT t, o, h, l, c, v FROM bars WHERE series = ? AND t >= ? AND t <= ? ORDER BY t LIMIT ?',
    );
    this.selectLatest = db.prepare<[number, number, number, number], Bar>(
      'SELECT t, o, h, l, c, v FROM bars WHERE series = ? AND t >= ? AND t <= ? ORDER BY t DESC LIMIT ?',
    );
    this.selectBefore = db.prepare<[number, number, number], Bar>(
      'SELECT t, o, h, l, c, v FROM bars WHERE series = ? AND t <= ? ORDER BY t DESC LIMIT ?',
    );
    this.insertOne = db.prepare('INSERT INTO bars (series, t, o, h, l, c, v) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.insertBatch = db.prepare(
      `INSERT INTO bars (series, t, o, h, l, c, v) VALUES ${Array(BATCH).fill('(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
    );
  }

  listSeries(): SeriesInfo[] {
    return this.selectAll.all().map(toInfo);
  }

  /** The series of one symbol (every timeframe). */
  listSeriesOf(symbol: string): SeriesInfo[] {
    return this.selectBySymbol.all(symbol.toUpperCase()).map(toInfo);
  }

  series(symbol: string, timeframe: Timeframe): SeriesInfo | null {
    const row = this.selectOne.get(symbol.toUpperCase(), timeframe);
    return row ? toInfo(row) : null;
  }

  /** The version of a series' bars (changes on every write), or null when nothing is stored. */
  seriesVersion(symbol: string, timeframe: Timeframe): number | null {
    return this.selectOne.get(symbol.toUpperCase(), timeframe)?.version ?? null;
  }

  bars(symbol: string, timeframe: Timeframe, fromT?: number, toT?: number, limit?: number): Bar[] {
    const id = this.selectOne.get(symbol.toUpperCase(), timeframe)?.id;
    if (id === undefined) return [];
    const from = fromT ?? Number.MIN_SAFE_INTEGER;
    const to = toT ?? Number.MAX_SAFE_INTEGER;
    return limit === undefined ? this.selectRange.all(id, from, to) : this.selectRangeLimit.all(id, from, to, limit);
  }

  /** The latest `limit` bars with `fromT <= t <= toT`, ascending (a chart's initial window). */
  latestBars(symbol: string, timeframe: Timeframe, limit: number, fromT?: number, toT?: number): Bar[] {
    const id = this.selectOne.get(symbol.toUpperCase(), timeframe)?.id;
    if (id === undefined) return [];
    return this.selectLatest.all(id, fromT ?? Number.MIN_SAFE_INTEGER, toT ?? Number.MAX_SAFE_INTEGER, limit).reverse();
  }

  barsBefore(symbol: string, timeframe: Timeframe, t: number, count: number): Bar[] {
    const id = this.selectOne.get(symbol.toUpperCase(), timeframe)?.id;
    if (id === undefined || count <= 0) return [];
    return this.selectBefore.all(id, t, count).reverse();
  }

  /** Deletes a series and its bars; the symbol row stays (other tables may refer to it). */
  deleteSeries(symbol: string, timeframe: Timeframe): { deleted: boolean; rows: number } {
    return this.db.transaction(() => {
      const row = this.selectOne.get(symbol.toUpperCase(), timeframe);
      if (!row) return { deleted: false, rows: 0 };
      const removed = this.db.prepare('DELETE FROM bars WHERE series = ?').run(row.id).changes;
      this.db.prepare('DELETE FROM series WHERE id = ?').run(row.id);
      return { deleted: true, rows: removed };
    })();
  }

  /**
   * Replaces a series' bars with `write` (creating the symbol and the series when new) and gives it a new version.
   * Runs in its own transaction, or as a savepoint inside the caller's: an import of several series is one
   * transaction, so a failure or a cancel leaves every series as it was.
   */
  writeSeries(write: SeriesWrite, options: SeriesWriteOptions): SeriesWriteResult {
    return this.db.transaction(() => {
      const symbol = write.symbol.toUpperCase();
      this.db
        .prepare('INSERT INTO symbols (symbol, kind) VALUES (?, ?) ON CONFLICT(symbol) DO NOTHING')
        .run(symbol, options.kind ?? 'equity');
      const symbolId = (this.db.prepare('SELECT id FROM symbols WHERE symbol = ?').get(symbol) as { id: number }).id;
      const existing = this.selectOne.get(symbol, write.timeframe);
      let seriesId: number;
      if (existing) {
        seriesId = existing.id;
        this.db.prepare('DELETE FROM bars WHERE series = ?').run(seriesId);
      } else {
        seriesId = Number(
          this.db
            .prepare(
              `INSERT INTO series (symbol_id, timeframe, source, rows, version, updated_at_ms)
               VALUES (?, ?, ?, 0, 0, ?)`,
            )
            .run(symbolId, write.timeframe, write.source, options.atMs).lastInsertRowid,
        );
      }
      this.insertBars(seriesId, write, options);
      const version = (
        this.db
          .prepare("UPDATE market_meta SET value = value + 1 WHERE key = 'series_version' RETURNING value")
          .get() as { value: number }
      ).value;
      const n = write.n;
      this.db
        .prepare(
          `UPDATE series SET source = ?, rows = ?, first_t = ?, last_t = ?, version = ?, import_id = ?, updated_at_ms = ?
           WHERE id = ?`,
        )
        .run(
          write.source,
          n,
          n > 0 ? write.t[0] : null,
          n > 0 ? write.t[n - 1] : null,
          version,
          options.importId,
          options.atMs,
          seriesId,
        );
      return { version, replaced: existing !== undefined, previousRows: existing?.rows ?? 0 };
    })();
  }

  /** Adds an entry to the import history; returns its id. */
  recordImport(fileName: string, sha256: string, atMs: number, summaryJson: string): number {
    return Number(
      this.db
        .prepare('INSERT INTO imports (file_name, sha256, at_ms, summary_json) VALUES (?, ?, ?, ?)')
        .run(fileName, sha256, atMs, summaryJson).lastInsertRowid,
    );
  }

  updateImportSummary(id: number, summaryJson: string): void {
    this.db.prepare('UPDATE imports SET summary_json = ? WHERE id = ?').run(summaryJson, id);
  }

  /** Earlier imports of the same bytes, newest first. */
  importsOf(sha256: string): Array<{ id: number; fileName: string; atMs: number }> {
    return this.db
      .prepare<[string], { id: number; fileName: string; atMs: number }>(
        'SELECT id, file_name AS fileName, at_ms AS atMs FROM imports WHERE sha256 = ? ORDER BY id DESC',
      )
      .all(sha256);
  }

  private insertBars(seriesId: number, w: SeriesWrite, options: SeriesWriteOptions): void {
    const every = options.progressEvery ?? 50_000;
    const params = new Array<number>(BATCH * 7);
    let nextReport = every;
    let i = 0;
    const n = w.n;
    for (; i + BATCH <= n; i += BATCH) {
      for (let k = 0, p = 0; k < BATCH; k++) {
        const r = i + k;
        params[p++] = seriesId;
        params[p++] = w.t[r] as number;
        params[p++] = w.o[r] as number;
        params[p++] = w.h[r] as number;
        params[p++] = w.l[r] as number;
        params[p++] = w.c[r] as number;
        params[p++] = w.v[r] as number;
      }
      this.insertBatch.run(params);
      if (i + BATCH >= nextReport) {
        nextReport += every;
        options.onProgress?.(i + BATCH);
        if (options.cancelled?.()) throw new AppError('CANCELLED', 'The import was cancelled; nothing was written');
      }
    }
    for (; i < n; i++) {
      this.insertOne.run(seriesId, w.t[i], w.o[i], w.h[i], w.l[i], w.c[i], w.v[i]);
    }
    options.onProgress?.(n);
  }
}

function toInfo(row: SeriesRow): SeriesInfo {
  return {
    symbol: row.symbol,
    timeframe: row.timeframe,
    source: row.source,
    rows: row.rows,
    firstT: row.first_t,
    lastT: row.last_t,
    version: row.version,
  };
}
