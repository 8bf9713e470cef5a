import type { Statement } from 'better-sqlite3';
import type { CacheClockDomain, CacheNamespace, CacheTtlClass } from '../../../shared/domain/cache';
import type { Db } from '../db/database';
import type { AtRestCipher } from './at-rest-cipher';
import type { EntryMeta } from './memory-tier';

/** A row of `cache_entries` as read on a lookup. */
export interface SqliteRow {
  namespace: CacheNamespace;
  slot: string;
  model_version: string;
  ttl_class: CacheTtlClass;
  tags_json: string;
  clock: CacheClockDomain;
  created_at_ms: number;
  expires_at_ms: number | null;
  size_bytes: number;
  encoding: 'json' | 'aes-256-gcm';
  payload: Buffer;
}

/** A row that left the tier (evicted, expired, invalidated), for the metrics. */
export interface RemovedRow {
  key: string;
  namespace: string;
  slot: string;
  size_bytes: number;
}

/** A write waiting for the next flush. */
export type PendingOp =
  | { readonly kind: 'put'; readonly meta: EntryMeta; readonly json: string; readonly seq: number }
  | { readonly kind: 'delete' };

/** Which rows an invalidation removes; every given condition must hold. */
export interface RowFilter {
  tag?: string;
  slot?: string;
  namespace?: string;
  /** Rows whose model version differs from this one (with `slot`: that slot's older versions). */
  modelVersionNot?: string;
}

/**
 * The SQLite tier: one row per entry, written in batches. Puts, deletes and access-order updates are queued and
 * committed together in one transaction by {@link flush} (the cache calls it on a short timer, when the queue grows
 * and on close), so a put never waits for SQLite. Reads go straight to the table, after the queue.
 */
export class SqliteTier {
  private readonly pending = new Map<string, PendingOp>();
  private readonly touches = new Map<string, number>();
  private pendingJsonBytes = 0;
  private bytesUsed = 0;
  private rows = 0;
  private readonly stmt: {
    read: Statement<[string], SqliteRow>;
    size: Statement<[string], { size_bytes: number }>;
    upsert: Statement<unknown[]>;
    deleteTags: Statement<[string]>;
    insertTag: Statement<[string, string]>;
    delete: Statement<[string], { size_bytes: number }>;
    touch: Statement<[number, string, number]>;
    totals: Statement<[], { n: number; b: number }>;
    maxSeq: Statement<[], { s: number }>;
    byAge: Statement<[], RemovedRow>;
    sweep: Statement<[string, number], RemovedRow>;
  };
  private readonly filterStatements = new Map<string, Statement<unknown[], RemovedRow>>();

  constructor(
    private readonly db: Db,
    readonly maxBytes: number,
    private readonly cipher: AtRestCipher | null,
  ) {
    this.stmt = {
      read: db.prepare(
        `SELECT namespace, slot, model_version, ttl_class, tags_json, clock, created_at_ms, expires_at_ms, size_bytes,
                encoding, payload
         FROM cache_entries WHERE key = ?`,
      ),
      size: db.prepare('SELECT size_bytes FROM cache_entries WHERE key = ?'),
      upsert: db.prepare(
        `INSERT INTO cache_entries (key, namespace, slot, model_version, ttl_class, tags_json, clock, created_at_ms,
                                    expires_at_ms, last_access_seq, size_bytes, encoding, payload)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET
           namespace = excluded.namespace, slot = excluded.slot, model_version = excluded.model_version,
           ttl_class = excluded.ttl_class, tags_json = excluded.tags_json, clock = excluded.clock,
           created_at_ms = excluded.created_at_ms, expires_at_ms = excluded.expires_at_ms,
           last_access_seq = excluded.last_access_seq, size_bytes = excluded.size_bytes,
           encoding = excluded.encoding, payload = excluded.payload`,
      ),
      deleteTags: db.prepare('DELETE FROM cache_entry_tags WHERE key = ?'),
      insertTag: db.prepare('INSERT OR IGNORE INTO cache_entry_tags (tag, key) VALUES (?, ?)'),
      delete: db.prepare('DELETE FROM cache_entries WHERE key = ? RETURNING size_bytes'),
      touch: db.prepare('UPDATE cache_entries SET last_access_seq = ? WHERE key = ? AND last_access_seq < ?'),
      totals: db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(size_bytes), 0) AS b FROM cache_entries'),
      maxSeq: db.prepare('SELECT COALESCE(MAX(last_access_seq), 0) AS s FROM cache_entries'),
      byAge: db.prepare('SELECT key, namespace, slot, size_bytes FROM cache_entries ORDER BY last_access_seq ASC'),
      sweep: db.prepare(
        `DELETE FROM cache_entries WHERE clock = ? AND expires_at_ms IS NOT NULL AND expires_at_ms <= ?
         RETURNING key, namespace, slot, size_bytes`,
      ),
    };
    this.resync();
  }

  get encoding(): 'json' | 'aes-256-gcm' {
    return this.cipher ? 'aes-256-gcm' : 'json';
  }

  get bytes(): number {
    return this.bytesUsed;
  }

  get entries(): number {
    return this.rows;
  }

  /** Puts and deletes not yet committed. */
  get pendingCount(): number {
    return this.pending.size;
  }

  get pendingBytes(): number {
    return this.pendingJsonBytes;
  }

  /** The highest access counter stored, so a reopened cache continues the order instead of restarting it. */
  maxAccessSeq(): number {
    return this.stmt.maxSeq.get()?.s ?? 0;
  }

  /** Recounts rows and bytes from the table (another process sharing the database may have changed them). */
  resync(): void {
    const t = this.stmt.totals.get();
    this.rows = t?.n ?? 0;
    this.bytesUsed = t?.b ?? 0;
  }

  pendingOp(key: string): PendingOp | undefined {
    return this.pending.get(key);
  }

  queuePut(key: string, meta: EntryMeta, json: string, seq: number): void {
    this.dropPending(key);
    this.pending.set(key, { kind: 'put', meta, json, seq });
    this.pendingJsonBytes += json.length;
    this.touches.delete(key);
  }

  queueDelete(key: string): void {
    this.dropPending(key);
    this.pending.set(key, { kind: 'delete' });
    this.touches.delete(key);
  }

  queueTouch(key: string, seq: number): void {
    const op = this.pending.get(key);
    if (op?.kind === 'delete') return;
    this.touches.set(key, seq);
  }

  private dropPending(key: string): void {
    const old = this.pending.get(key);
    if (old?.kind === 'put') this.pendingJsonBytes -= old.json.length;
    this.pending.delete(key);
  }

  /** The committed row, or undefined. Expiry and decoding are the caller's business. */
  read(key: string): SqliteRow | undefined {
    return this.stmt.read.get(key);
  }

  /**
   * The JSON text of a row's payload. Throws when it cannot be trusted: sealed with another key, altered, or
   * written in the other mode (plaintext while the cache is encrypted, or the reverse).
   */
  decode(key: string, row: SqliteRow): string {
    if (row.encoding !== this.encoding) {
      throw new Error(`entry is stored as ${row.encoding} but the cache is ${this.encoding}`);
    }
    const bytes = this.cipher ? this.cipher.open(row.payload, key) : row.payload;
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  }

  /** Deletes a row at once (an entry that failed its integrity check must not be read again). */
  deleteNow(key: string): boolean {
    this.dropPending(key);
    this.touches.delete(key);
    const r = this.stmt.delete.get(key);
    if (!r) return false;
    this.rows--;
    this.bytesUsed -= r.size_bytes;
    return true;
  }

  /**
   * Commits the queue in one transaction, then evicts the least recently accessed rows until the tier fits its
   * budget. Returns the evicted rows. On a failure the queue is dropped (a cache can always recompute) and the error
   * rethrown for the caller to log.
   */
  flush(): RemovedRow[] {
    if (this.pending.size > 0 || this.touches.size > 0) {
      const ops = [...this.pending];
      const touches = [...this.touches];
      this.pending.clear();
      this.touches.clear();
      this.pendingJsonBytes = 0;
      const s = this.stmt;
      const commit = this.db.transaction(() => {
        for (const [key, op] of ops) {
          if (op.kind === 'delete') {
            const r = s.delete.get(key);
            if (r) {
              this.rows--;
              this.bytesUsed -= r.size_bytes;
            }
            continue;
          }
          const m = op.meta;
          const plain = Buffer.from(op.json, 'utf8');
          const payload = this.cipher ? this.cipher.seal(plain, key) : plain;
          const old = s.size.get(key);
          if (old) {
            this.rows--;
            this.bytesUsed -= old.size_bytes;
          }
          s.deleteTags.run(key);
          s.upsert.run(
            key,
            m.namespace,
            m.slot,
            m.modelVersion,
            m.ttlClass,
            JSON.stringify(m.tags),
            m.clock,
            m.createdAtMs,
            m.expiresAtMs,
            op.seq,
            payload.length,
            this.encoding,
            payload,
          );
          for (const tag of m.tags) s.insertTag.run(tag, key);
          this.rows++;
          this.bytesUsed += payload.length;
        }
        for (const [key, seq] of touches) s.touch.run(seq, key, seq);
      });
      try {
        commit();
      } catch (e) {
        // The transaction rolled back; the running totals were adjusted row by row and must be recounted.
        this.resync();
        throw e;
      }
    }
    return this.bytesUsed > this.maxBytes ? this.evict(this.bytesUsed - this.maxBytes) : [];
  }

  private evict(excessBytes: number): RemovedRow[] {
    const victims: RemovedRow[] = [];
    let freed = 0;
    // Collect first: better-sqlite3 refuses writes while a read statement is still iterating.
    for (const row of this.stmt.byAge.iterate()) {
      victims.push(row);
      freed += row.size_bytes;
      if (freed >= excessBytes) break;
    }
    this.db.transaction(() => {
      for (const v of victims) this.stmt.delete.run(v.key);
    })();
    this.rows -= victims.length;
    this.bytesUsed -= freed;
    return victims;
  }

  /** Deletes the committed rows of this clock that expired by `nowMs` (flush first to include the queue). */
  sweep(clock: CacheClockDomain, nowMs: number): RemovedRow[] {
    const removed = this.stmt.sweep.all(clock, nowMs);
    this.resync();
    return removed;
  }

  /**
   * Deletes every committed row matching all of the filter's conditions (all rows for an empty filter). Flush
   * first, or queued puts land after the deletion.
   */
  deleteWhere(filter: RowFilter): RemovedRow[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.tag !== undefined) {
      where.push('key IN (SELECT key FROM cache_entry_tags WHERE tag = ?)');
      args.push(filter.tag);
    }
    if (filter.slot !== undefined) {
      where.push('slot = ?');
      args.push(filter.slot);
    }
    if (filter.namespace !== undefined) {
      where.push('namespace = ?');
      args.push(filter.namespace);
    }
    if (filter.modelVersionNot !== undefined) {
      where.push('model_version <> ?');
      args.push(filter.modelVersionNot);
    }
    const sql = `DELETE FROM cache_entries${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} RETURNING key, namespace, slot, size_bytes`;
    let stmt = this.filterStatements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.filterStatements.set(sql, stmt);
    }
    const removed = stmt.all(...args);
    this.resync();
    return removed;
  }

  /** Committed entries and bytes per namespace and per slot. */
  groupTotals(): { namespaces: Map<string, GroupTotal>; slots: Map<string, GroupTotal> } {
    const read = (column: 'namespace' | 'slot') => {
      const rows = this.db
        .prepare(
          `SELECT ${column} AS name, COUNT(*) AS n, COALESCE(SUM(size_bytes), 0) AS b FROM cache_entries GROUP BY ${column}`,
        )
        .all() as { name: string; n: number; b: number }[];
      return new Map(rows.map((r) => [r.name, { entries: r.n, bytes: r.b }]));
    };
    return { namespaces: read('namespace'), slots: read('slot') };
  }
}

export interface GroupTotal {
  entries: number;
  bytes: number;
}
