import { performance } from 'node:perf_hooks';
import {
  type CacheClockDomain,
  type CacheNamespace,
  type CacheStats,
  type CacheTier,
  type CacheTtlClass,
  cacheNamespaces,
  cacheTtlMs,
} from '../../../shared/domain/cache';
import { AppError } from '../../../shared/result';
import type { Db } from '../db/database';
import { AtRestCipher } from './at-rest-cipher';
import { type CacheKeySpec, cacheKey } from './cache-key';
import { CacheCounters, type GroupMetrics, GroupRegistry, TierMetrics } from './cache-metrics';
import { deepFreeze, strictJsonStringify } from './canonical-json';
import { type EntryMeta, type MemoryEntry, MemoryTier } from './memory-tier';
import { type RemovedRow, type RowFilter, SqliteTier } from './sqlite-tier';

/**
 * The clock TTLs are counted in. During a replay or backtest it is the market clock (TTLs pass in market time);
 * live it is the wall clock. Entries remember the domain they were written in and are only served in that domain:
 * a live entry that expires next week in wall time says nothing about freshness at a 2019 market time.
 */
export interface CacheClock {
  readonly domain: CacheClockDomain;
  now(): number;
}

export interface PatternCacheOptions {
  /** The app database, migrated to at least version 4. The cache does not close it. */
  db: Db;
  clock: CacheClock;
  /** Budget of the in-memory tier (estimated from JSON sizes). Default 64 MiB. */
  memoryMaxBytes?: number;
  /** Budget of the SQLite tier (stored payload bytes). Default 512 MiB. */
  sqliteMaxBytes?: number;
  /** A 32-byte key: entries are sealed with AES-256-GCM at rest. See `loadOrCreateCacheKey`. */
  encryptionKey?: Uint8Array | null;
  /** Longest time a put waits in the write queue before its batch is committed. Default 50 ms. */
  flushDelayMs?: number;
  /** Queue length that commits on the next event-loop turn (four times it: at once). Default 512. */
  flushMaxPending?: number;
  /** Queued JSON characters that commit on the next event-loop turn (four times it: at once). Default 4 MiB. */
  flushMaxPendingBytes?: number;
  /** Period of the expiry sweep over both tiers (wall time); 0 turns it off. Default 60 s. */
  sweepIntervalMs?: number;
  /** Hears failures of background flushes and sweeps (the queued writes are dropped; a cache can recompute). */
  onBackgroundError?: (message: string, error: unknown) => void;
}

/** How an entry is filed. */
export interface CachePutOptions {
  namespace: CacheNamespace;
  slot: string;
  modelVersion: string;
  ttlClass: CacheTtlClass;
  /** Labels for invalidation, e.g. `symbol:AAPL` (see `symbolTag`). */
  tags?: readonly string[];
}

/** A key spec plus how the result is filed: what {@link PatternCache.getOrCompute} needs. */
export interface CacheSpec extends CacheKeySpec {
  namespace: CacheNamespace;
  ttlClass: CacheTtlClass;
  tags?: readonly string[];
}

/** A hit: the value (deep-frozen: never mutate it), the tier that served it and the entry's metadata. */
export interface CacheHit<T> {
  value: T;
  tier: CacheTier;
  meta: EntryMeta;
}

/** Where a {@link PatternCache.getOrCompute} result came from. */
export type CacheSource = CacheTier | 'computed' | 'coalesced';

export interface CacheOutcome<T> {
  /** The cached copy (deep-frozen) whenever it was stored or found; the compute's own value otherwise. */
  value: T;
  key: string;
  source: CacheSource;
  /** Wall time the compute took, for `computed`; null otherwise. */
  computeMs: number | null;
}

/** Who a lookup is for, so misses count against the right namespace and slot (a hit knows from its entry). */
export interface LookupAttribution {
  namespace?: CacheNamespace;
  slot?: string;
}

/** Which entries to drop. Every given condition must hold; at least one must be given. */
export interface InvalidateFilter {
  tag?: string;
  slot?: string;
  namespace?: CacheNamespace;
  /** Every entry of `slot` whose model version is not `modelVersion`. */
  olderModelVersionsOf?: { slot: string; modelVersion: string };
}

const MIB = 1024 * 1024;
/** Memory the entry's bookkeeping costs beyond its JSON (key string, metadata object, map slot). */
const ENTRY_OVERHEAD_BYTES = 256;
const namespaceSet = new Set<string>(cacheNamespaces);
/** The group a miss counts against when the caller did not say whose lookup it was. */
const UNATTRIBUTED = 'unattributed';

/**
 * The shared pattern cache, modelled on Mooncake's KVCache pool: a byte-bounded in-memory LRU of live values over a
 * byte-bounded SQLite tier of encoded ones, content-addressed keys (see `cacheKey`), TTL classes in market or wall
 * time, promotion to memory on a SQLite hit, invalidation by tag, slot, namespace or model version, optional
 * AES-256-GCM at rest, and metrics per tier, namespace and slot.
 *
 * A memory hit never touches SQLite; puts are queued and committed in batches. Values are JSON: a put stores a
 * deep-frozen parsed copy, so every reader (and every tier) sees exactly the same value.
 */
export class PatternCache {
  private clock: CacheClock;
  private readonly memory: MemoryTier;
  private readonly sqlite: SqliteTier;
  private readonly memTier = new TierMetrics('memory');
  private readonly sqlTier = new TierMetrics('sqlite');
  private readonly totals = new CacheCounters();
  private readonly namespaces = new GroupRegistry();
  private readonly slots = new GroupRegistry();
  private readonly inflight = new Map<string, Promise<CacheOutcome<unknown>>>();
  private readonly flushDelayMs: number;
  private readonly flushMaxPending: number;
  private readonly flushMaxPendingBytes: number;
  private readonly onBackgroundError: (message: string, error: unknown) => void;
  private readonly encrypted: boolean;
  private flushTimer: NodeJS.Timeout | null = null;
  private flushSoon: NodeJS.Immediate | null = null;
  private readonly sweepTimer: NodeJS.Timeout | null = null;
  private seq: number;
  /** Bumped by every invalidation: a compute that started before one must not store its result after it. */
  private generation = 0;
  private rejectedPuts = 0;
  private computes = 0;
  private coalesced = 0;
  private closed = false;
  private readonly onMemoryEvict = (e: MemoryEntry): void => {
    this.memTier.evictions++;
    e.nsGroup.evictions++;
    e.slotGroup.evictions++;
    // The SQLite copy stays; give it the access order the memory tier knew, so hot entries survive there too.
    if (e.accessSeq > e.persistedSeq) {
      this.sqlite.queueTouch(e.key, e.accessSeq);
      this.scheduleFlush();
    }
  };

  constructor(options: PatternCacheOptions) {
    this.clock = options.clock;
    const memoryMax = options.memoryMaxBytes ?? 64 * MIB;
    const sqliteMax = options.sqliteMaxBytes ?? 512 * MIB;
    for (const [name, v] of [
      ['memoryMaxBytes', memoryMax],
      ['sqliteMaxBytes', sqliteMax],
    ] as const) {
      if (!Number.isSafeInteger(v) || v < 0) {
        throw new AppError('BAD_INPUT', `The cache's ${name} must be a whole number of bytes, not ${v}`);
      }
    }
    this.memory = new MemoryTier(memoryMax);
    const cipher = options.encryptionKey ? new AtRestCipher(options.encryptionKey) : null;
    this.encrypted = cipher !== null;
    this.sqlite = new SqliteTier(options.db, sqliteMax, cipher);
    this.seq = this.sqlite.maxAccessSeq();
    this.flushDelayMs = options.flushDelayMs ?? 50;
    this.flushMaxPending = options.flushMaxPending ?? 512;
    this.flushMaxPendingBytes = options.flushMaxPendingBytes ?? 4 * MIB;
    this.onBackgroundError = options.onBackgroundError ?? (() => {});
    for (const ns of cacheNamespaces) this.namespaces.get(ns);
    const sweepMs = options.sweepIntervalMs ?? 60_000;
    if (sweepMs > 0) {
      this.sweepTimer = setInterval(() => {
        try {
          this.sweep();
        } catch (e) {
          this.onBackgroundError('The pattern cache expiry sweep failed', e);
        }
      }, sweepMs);
      this.sweepTimer.unref();
    }
  }

  /** Switches clocks (a replay starts or ends). Entries of the other domain become invisible, not deleted. */
  setClock(clock: CacheClock): void {
    this.clock = clock;
  }

  get clockDomain(): CacheClockDomain {
    return this.clock.domain;
  }

  /** The value under `key`, or undefined. See {@link lookup}. */
  get<T = unknown>(key: string, attribution?: LookupAttribution): T | undefined {
    const hit = this.lookup<T>(key, attribution);
    return hit === null ? undefined : hit.value;
  }

  /**
   * Looks `key` up in memory, then in the SQLite tier (its write queue first); a SQLite hit is promoted to memory.
   * Expired entries, entries of the other clock domain and entries that fail their integrity check are misses.
   * With `countMiss: false` a miss is not counted (a probe among several candidates, see PrefixStateCache); the
   * caller then counts the outcome once with {@link recordMiss}.
   */
  lookup<T = unknown>(
    key: string,
    attribution?: LookupAttribution,
    options?: { countMiss?: boolean },
  ): CacheHit<T> | null {
    this.assertOpen();
    const t0 = performance.now();
    const now = this.clock.now();
    const domain = this.clock.domain;
    const mem = this.memory.peek(key);
    let known: EntryMeta | null = null;
    if (mem !== undefined) {
      if (mem.clock === domain && (mem.expiresAtMs === null || now < mem.expiresAtMs)) {
        this.memory.bump(mem);
        mem.accessSeq = ++this.seq;
        const ns = (performance.now() - t0) * 1e6;
        this.memTier.hits++;
        this.memTier.lookupLatency.record(ns);
        this.recordLookup(mem.nsGroup, mem.slotGroup, true, ns);
        return { value: mem.value as T, tier: 'memory', meta: mem };
      }
      known = mem;
      if (mem.clock === domain) {
        // Expired: the SQLite copy carries the same expiry, so it goes too.
        this.memory.delete(key);
        this.sqlite.queueDelete(key);
        this.scheduleFlush();
        this.memTier.expirations++;
        mem.nsGroup.expirations++;
        mem.slotGroup.expirations++;
      }
    }
    const t1 = performance.now();
    // An entry the memory tier holds but cannot serve is the newest under its key: SQLite has nothing better.
    const found = known === null ? this.lookupSqlite(key, now, domain) : null;
    const t2 = performance.now();
    const hit = found !== null && isMemoryEntry(found);
    if (!hit && options?.countMiss === false) return null;
    this.memTier.misses++;
    this.memTier.lookupLatency.record((t1 - t0) * 1e6);
    if (known === null) {
      if (hit) this.sqlTier.hits++;
      else this.sqlTier.misses++;
      this.sqlTier.lookupLatency.record((t2 - t1) * 1e6);
    }
    const ns = (t2 - t0) * 1e6;
    if (hit) {
      this.recordLookup(found.nsGroup, found.slotGroup, true, ns);
      return { value: found.value as T, tier: 'sqlite', meta: found };
    }
    const meta = known ?? found;
    this.recordLookup(
      this.namespaces.get(meta?.namespace ?? attribution?.namespace ?? UNATTRIBUTED),
      this.slots.get(meta?.slot ?? attribution?.slot ?? UNATTRIBUTED),
      false,
      ns,
    );
    return null;
  }

  /**
   * Counts one miss for a caller that probed several keys quietly and found none; `latencyNs` is how long the whole
   * probe took (it goes to the namespace, slot and total latency, not to the tiers').
   */
  recordMiss(attribution: LookupAttribution, latencyNs: number): void {
    this.memTier.misses++;
    this.sqlTier.misses++;
    this.recordLookup(
      this.namespaces.get(attribution.namespace ?? UNATTRIBUTED),
      this.slots.get(attribution.slot ?? UNATTRIBUTED),
      false,
      latencyNs,
    );
  }

  /** The cached result of another slot (or one's own), found by its spec; undefined when absent. */
  find<T = unknown>(spec: CacheKeySpec & { namespace?: CacheNamespace }): T | undefined {
    return this.get<T>(cacheKey(spec), spec);
  }

  /** A promoted entry on a hit, the entry's metadata on an unusable one (for attribution), null when absent. */
  private lookupSqlite(key: string, now: number, domain: CacheClockDomain): MemoryEntry | EntryMeta | null {
    const op = this.sqlite.pendingOp(key);
    if (op?.kind === 'delete') return null;
    let meta: EntryMeta;
    let json: string;
    let persistedSeq = 0;
    if (op?.kind === 'put') {
      meta = op.meta;
      json = op.json;
      persistedSeq = op.seq;
    } else {
      const row = this.sqlite.read(key);
      if (row === undefined) return null;
      meta = {
        namespace: row.namespace,
        slot: row.slot,
        modelVersion: row.model_version,
        ttlClass: row.ttl_class,
        tags: parseTags(row.tags_json),
        clock: row.clock,
        createdAtMs: row.created_at_ms,
        expiresAtMs: row.expires_at_ms,
      };
      if (row.clock === domain && (row.expires_at_ms === null || now < row.expires_at_ms)) {
        try {
          json = this.sqlite.decode(key, row);
        } catch {
          return this.integrityFailure(key, meta);
        }
      } else {
        json = '';
      }
    }
    if (meta.clock !== domain) return meta;
    if (meta.expiresAtMs !== null && now >= meta.expiresAtMs) {
      this.sqlite.queueDelete(key);
      this.scheduleFlush();
      this.sqlTier.expirations++;
      this.namespaces.get(meta.namespace).expirations++;
      this.slots.get(meta.slot).expirations++;
      return meta;
    }
    let value: unknown;
    try {
      value = deepFreeze(JSON.parse(json));
    } catch {
      return this.integrityFailure(key, meta);
    }
    const seq = ++this.seq;
    const entry: MemoryEntry = {
      ...meta,
      key,
      value,
      sizeBytes: Buffer.byteLength(json, 'utf8') + ENTRY_OVERHEAD_BYTES,
      accessSeq: seq,
      persistedSeq: op ? persistedSeq : seq,
      nsGroup: this.namespaces.get(meta.namespace),
      slotGroup: this.slots.get(meta.slot),
      older: null,
      newer: null,
    };
    if (!op) {
      this.sqlite.queueTouch(key, seq);
      this.scheduleFlush();
    }
    this.memory.set(entry, this.onMemoryEvict);
    return entry;
  }

  private integrityFailure(key: string, meta: EntryMeta): EntryMeta {
    this.sqlite.deleteNow(key);
    this.sqlTier.integrityFailures++;
    this.namespaces.get(meta.namespace).integrityFailures++;
    this.slots.get(meta.slot).integrityFailures++;
    return meta;
  }

  private recordLookup(nsGroup: GroupMetrics, slotGroup: GroupMetrics, hit: boolean, ns: number): void {
    if (hit) {
      nsGroup.hits++;
      slotGroup.hits++;
      this.totals.hits++;
    } else {
      nsGroup.misses++;
      slotGroup.misses++;
      this.totals.misses++;
    }
    nsGroup.lookupLatency.record(ns);
    slotGroup.lookupLatency.record(ns);
    this.totals.lookupLatency.record(ns);
  }

  /**
   * Stores `value` under `key` in memory at once and in SQLite with the next batch. Returns false when the value is
   * larger than the SQLite tier's whole budget (nothing stored). Throws BAD_INPUT for a value that is not plain JSON
   * (NaN, Infinity, bigint, undefined), since its stored form would differ from what was computed.
   */
  put(key: string, value: unknown, options: CachePutOptions): boolean {
    return this.store(key, value, options) !== undefined;
  }

  /** Like {@link put}; returns the stored frozen copy, or undefined when it was too large. */
  private store(key: string, value: unknown, options: CachePutOptions): { value: unknown } | undefined {
    this.assertOpen();
    checkPutOptions(key, options);
    const json = strictJsonStringify(value);
    const bytes = Buffer.byteLength(json, 'utf8');
    if (bytes > this.sqlite.maxBytes) {
      this.rejectedPuts++;
      return undefined;
    }
    const now = this.clock.now();
    const ttlMs = cacheTtlMs[options.ttlClass];
    const meta: EntryMeta = {
      namespace: options.namespace,
      slot: options.slot,
      modelVersion: options.modelVersion,
      ttlClass: options.ttlClass,
      tags: Object.freeze([...(options.tags ?? [])]),
      clock: this.clock.domain,
      createdAtMs: now,
      expiresAtMs: ttlMs === null ? null : now + ttlMs,
    };
    const live = deepFreeze(JSON.parse(json));
    const seq = ++this.seq;
    const nsGroup = this.namespaces.get(meta.namespace);
    const slotGroup = this.slots.get(meta.slot);
    const entry: MemoryEntry = {
      ...meta,
      key,
      value: live,
      sizeBytes: bytes + ENTRY_OVERHEAD_BYTES,
      accessSeq: seq,
      persistedSeq: seq,
      nsGroup,
      slotGroup,
      older: null,
      newer: null,
    };
    if (this.memory.set(entry, this.onMemoryEvict)) this.memTier.puts++;
    this.sqlite.queuePut(key, meta, json, seq);
    this.sqlTier.puts++;
    nsGroup.puts++;
    slotGroup.puts++;
    this.totals.puts++;
    const pending = this.sqlite.pendingCount;
    const pendingBytes = this.sqlite.pendingBytes;
    if (pending >= 4 * this.flushMaxPending || pendingBytes >= 4 * this.flushMaxPendingBytes) {
      // A long synchronous burst (a backfill loop) never yields to the event loop: commit now rather than let the
      // queue grow without bound.
      this.backgroundFlush();
    } else if (pending >= this.flushMaxPending || pendingBytes >= this.flushMaxPendingBytes) {
      this.scheduleFlush(true);
    } else {
      this.scheduleFlush();
    }
    return { value: live };
  }

  /** Removes one entry from both tiers (a superseded streaming tail). */
  delete(key: string): void {
    this.assertOpen();
    this.memory.delete(key);
    this.sqlite.queueDelete(key);
    this.scheduleFlush();
  }

  /**
   * The cached result for `spec`, or computes, stores and returns it. Concurrent calls for the same key share one
   * compute. A compute that throws stores nothing and rejects every caller waiting on it. A result computed while
   * an invalidation ran is returned but not stored (it may have been computed from what was just invalidated).
   */
  async getOrCompute<T>(spec: CacheSpec, compute: () => T | Promise<T>): Promise<CacheOutcome<T>> {
    const key = cacheKey(spec);
    const hit = this.lookup<T>(key, spec);
    if (hit !== null) return { value: hit.value, key, source: hit.tier, computeMs: null };
    const running = this.inflight.get(key) as Promise<CacheOutcome<T>> | undefined;
    if (running !== undefined) {
      this.coalesced++;
      this.namespaces.get(spec.namespace).coalesced++;
      this.slots.get(spec.slot).coalesced++;
      const shared = await running;
      return { ...shared, source: 'coalesced', computeMs: null };
    }
    const job = (async (): Promise<CacheOutcome<T>> => {
      const generation = this.generation;
      const t0 = performance.now();
      const value = await compute();
      const ms = performance.now() - t0;
      this.recordCompute(spec, ms);
      const stored = generation === this.generation && !this.closed ? this.store(key, value, spec) : undefined;
      return { value: (stored ? stored.value : value) as T, key, source: 'computed', computeMs: ms };
    })();
    this.inflight.set(key, job);
    try {
      return await job;
    } finally {
      this.inflight.delete(key);
    }
  }

  /** {@link getOrCompute} for a synchronous compute: a hit costs no promise at all (the decode path). */
  getOrComputeSync<T>(spec: CacheSpec, compute: () => T): CacheOutcome<T> {
    const key = cacheKey(spec);
    const hit = this.lookup<T>(key, spec);
    if (hit !== null) return { value: hit.value, key, source: hit.tier, computeMs: null };
    const t0 = performance.now();
    const value = compute();
    const ms = performance.now() - t0;
    this.recordCompute(spec, ms);
    const stored = this.store(key, value, spec);
    return { value: (stored ? stored.value : value) as T, key, source: 'computed', computeMs: ms };
  }

  private recordCompute(spec: CacheSpec, ms: number): void {
    this.computes++;
    const ns = this.namespaces.get(spec.namespace);
    const slot = this.slots.get(spec.slot);
    ns.computes++;
    slot.computes++;
    ns.computeLatency.record(ms * 1e6);
    slot.computeLatency.record(ms * 1e6);
  }

  /**
   * Drops the matching entries from both tiers; returns how many distinct entries went. Call it with a symbol tag
   * when a series is re-imported, and with `olderModelVersionsOf` when a slot's model changes (their keys already
   * miss; this frees the space).
   */
  invalidate(filter: InvalidateFilter): number {
    const f = toRowFilter(filter);
    if (Object.keys(f).length === 0) {
      throw new AppError(
        'BAD_INPUT',
        'Say what to invalidate: a tag, a slot, a namespace or a slot with its current model version',
      );
    }
    return this.remove(f);
  }

  /** Empties the cache, or only the entries of one namespace and/or one slot; returns how many went. */
  clear(filter: { namespace?: CacheNamespace; slot?: string } = {}): number {
    return this.remove(toRowFilter(filter));
  }

  /** Drops every entry of `slot` made by a model version other than `modelVersion`. */
  declareModelVersion(slot: string, modelVersion: string): number {
    return this.invalidate({ olderModelVersionsOf: { slot, modelVersion } });
  }

  private remove(f: RowFilter): number {
    this.assertOpen();
    this.generation++;
    const matches = (e: EntryMeta): boolean =>
      (f.tag === undefined || e.tags.includes(f.tag)) &&
      (f.slot === undefined || e.slot === f.slot) &&
      (f.namespace === undefined || e.namespace === f.namespace) &&
      (f.modelVersionNot === undefined || e.modelVersion !== f.modelVersionNot);
    const keys = new Set<string>();
    for (const e of this.memory.deleteWhere(matches)) keys.add(e.key);
    this.flush();
    for (const r of this.sqlite.deleteWhere(f)) keys.add(r.key);
    return keys.size;
  }

  /** Removes expired entries of the current clock domain from both tiers (lookups also drop them lazily). */
  sweep(): number {
    this.assertOpen();
    const now = this.clock.now();
    const domain = this.clock.domain;
    const expired = this.memory.deleteWhere(
      (e) => e.clock === domain && e.expiresAtMs !== null && now >= e.expiresAtMs,
    );
    for (const e of expired) {
      this.memTier.expirations++;
      e.nsGroup.expirations++;
      e.slotGroup.expirations++;
    }
    this.flush();
    const rows = this.sqlite.sweep(domain, now);
    this.countRemoved(rows, 'expirations');
    return expired.length + rows.length;
  }

  /** Commits the SQLite tier's write queue now (and evicts there if it is over budget). */
  flush(): void {
    if (this.flushTimer !== null) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    if (this.flushSoon !== null) {
      clearImmediate(this.flushSoon);
      this.flushSoon = null;
    }
    this.countRemoved(this.sqlite.flush(), 'evictions');
  }

  private countRemoved(rows: RemovedRow[], counter: 'evictions' | 'expirations'): void {
    for (const r of rows) {
      this.sqlTier[counter]++;
      this.namespaces.get(r.namespace)[counter]++;
      this.slots.get(r.slot)[counter]++;
    }
  }

  /** Arms the flush timer; `soon` commits on the next turn of the event loop instead of after the delay. */
  private scheduleFlush(soon = false): void {
    if (this.closed) return;
    if (soon) {
      if (this.flushSoon !== null) return;
      this.flushSoon = setImmediate(() => {
        this.flushSoon = null;
        this.backgroundFlush();
      });
      this.flushSoon.unref();
      return;
    }
    if (this.flushTimer !== null) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.backgroundFlush();
    }, this.flushDelayMs);
    this.flushTimer.unref();
  }

  private backgroundFlush(): void {
    try {
      this.flush();
    } catch (e) {
      this.onBackgroundError('The pattern cache could not write its SQLite tier; queued entries were dropped', e);
    }
  }

  /** Metrics per tier, namespace and slot. SQLite figures count committed rows (see `pendingWrites`). */
  stats(): CacheStats {
    this.assertOpen();
    const sql = this.sqlite.groupTotals();
    for (const name of sql.namespaces.keys()) this.namespaces.get(name);
    for (const name of sql.slots.keys()) this.slots.get(name);
    const lookups = this.totals.hits + this.totals.misses;
    return {
      clock: this.clock.domain,
      encrypted: this.encrypted,
      totals: {
        lookups,
        hits: this.totals.hits,
        misses: this.totals.misses,
        hitRatio: lookups === 0 ? 0 : this.totals.hits / lookups,
        puts: this.totals.puts,
        rejectedPuts: this.rejectedPuts,
        computes: this.computes,
        coalesced: this.coalesced,
        pendingWrites: this.sqlite.pendingCount,
        lookupLatency: this.totals.lookupLatency.summary(),
      },
      tiers: {
        memory: this.memTier.snapshot(this.memory.size, this.memory.bytes, this.memory.maxBytes),
        sqlite: this.sqlTier.snapshot(this.sqlite.entries, this.sqlite.bytes, this.sqlite.maxBytes),
      },
      namespaces: this.namespaces.names().map((n) => {
        const t = sql.namespaces.get(n);
        return this.namespaces.get(n).snapshot(t?.entries ?? 0, t?.bytes ?? 0);
      }),
      slots: this.slots.names().map((n) => {
        const t = sql.slots.get(n);
        return this.slots.get(n).snapshot(t?.entries ?? 0, t?.bytes ?? 0);
      }),
    };
  }

  /**
   * Commits everything queued (including the access order the memory tier learned) and stops the timers. The
   * database stays open: it belongs to the engine. Safe to call twice.
   */
  close(): void {
    if (this.closed) return;
    if (this.sweepTimer !== null) clearInterval(this.sweepTimer);
    for (const e of this.memory.values()) {
      if (e.accessSeq > e.persistedSeq) this.sqlite.queueTouch(e.key, e.accessSeq);
    }
    try {
      this.flush();
    } finally {
      this.closed = true;
      this.memory.deleteWhere(() => true);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new AppError('UNAVAILABLE', 'The pattern cache is closed');
  }
}

function isMemoryEntry(e: MemoryEntry | EntryMeta): e is MemoryEntry {
  return 'value' in e;
}

function parseTags(json: string): readonly string[] {
  try {
    const tags = JSON.parse(json) as unknown;
    return Array.isArray(tags) ? Object.freeze(tags.filter((t): t is string => typeof t === 'string')) : [];
  } catch {
    return [];
  }
}

function toRowFilter(filter: InvalidateFilter): RowFilter {
  const f: RowFilter = {};
  if (filter.tag !== undefined) f.tag = filter.tag;
  if (filter.namespace !== undefined) f.namespace = filter.namespace;
  if (filter.slot !== undefined) f.slot = filter.slot;
  const older = filter.olderModelVersionsOf;
  if (older !== undefined) {
    if (f.slot !== undefined && f.slot !== older.slot) {
      throw new AppError(
        'BAD_INPUT',
        `Cannot invalidate slot ${f.slot} and the older versions of slot ${older.slot} in one call`,
      );
    }
    if (!older.slot || !older.modelVersion) {
      throw new AppError('BAD_INPUT', 'olderModelVersionsOf needs a slot and its current model version');
    }
    f.slot = older.slot;
    f.modelVersionNot = older.modelVersion;
  }
  return f;
}

function checkPutOptions(key: string, o: CachePutOptions): void {
  if (typeof key !== 'string' || key.length === 0) throw new AppError('BAD_INPUT', 'A cache entry needs a key');
  if (!namespaceSet.has(o.namespace)) {
    throw new AppError(
      'BAD_INPUT',
      `Unknown cache namespace ${JSON.stringify(o.namespace)}; use one of ${cacheNamespaces.join(', ')}`,
    );
  }
  if (!Object.hasOwn(cacheTtlMs, o.ttlClass)) {
    throw new AppError(
      'BAD_INPUT',
      `Unknown TTL class ${JSON.stringify(o.ttlClass)}; use one of ${Object.keys(cacheTtlMs).join(', ')}`,
    );
  }
  if (!o.slot) throw new AppError('BAD_INPUT', 'A cache entry needs the slot that computed it');
  if (!o.modelVersion) throw new AppError('BAD_INPUT', `A cache entry of slot ${o.slot} needs its model version`);
}
