import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type CacheClockDomain, type CacheTtlClass, cacheStatsSchema } from '../../../shared/domain/cache';
import type { Bar } from '../../../shared/domain/market';
import { AppError } from '../../../shared/result';
import { type Db, openDatabase } from '../db/database';
import { cleanupTempDirs, makeTempDir } from '../testing/fixtures';
import { CACHE_KEY_FILE_NAME, loadOrCreateCacheKey } from './at-rest-cipher';
import { fingerprintBars, fingerprintJson } from './bar-fingerprint';
import { cacheKey, symbolTag } from './cache-key';
import { canonicalJson } from './canonical-json';
import { type CacheSpec, PatternCache, type PatternCacheOptions } from './pattern-cache';

const T0 = 1_700_000_000_000;

interface Harness {
  dir: string;
  file: string;
  db: Db;
  cache: PatternCache;
  clock: { domain: CacheClockDomain; now: () => number };
  setNow(t: number): void;
  /** Closes this cache and its database and opens both again on the same file. */
  reopen(options?: Partial<PatternCacheOptions>): PatternCache;
}

const open: { cache: PatternCache; db: Db }[] = [];

function harness(options: Partial<PatternCacheOptions> = {}): Harness {
  const dir = makeTempDir();
  const file = path.join(dir, 'swaggy.db');
  let now = T0;
  const clock = { domain: 'market' as CacheClockDomain, now: () => now };
  const h: Harness = {
    dir,
    file,
    db: openDatabase(file),
    cache: undefined as unknown as PatternCache,
    clock,
    setNow: (t) => {
      now = t;
    },
    reopen(more = {}) {
      h.cache.close();
      h.db.close();
      h.db = openDatabase(file);
      h.cache = new PatternCache({ db: h.db, clock, sweepIntervalMs: 0, ...options, ...more });
      open.push({ cache: h.cache, db: h.db });
      return h.cache;
    },
  };
  h.cache = new PatternCache({ db: h.db, clock, sweepIntervalMs: 0, ...options });
  open.push({ cache: h.cache, db: h.db });
  return h;
}

afterEach(() => {
  for (const { cache, db } of open.splice(0)) {
    if (db.open) {
      cache.close();
      db.close();
    }
  }
  cleanupTempDirs();
});

const put = { namespace: 'pattern', slot: 'moonshot', modelVersion: '1', ttlClass: 'analysis' } as const;

function rowCount(db: Db, where = '1 = 1', ...args: unknown[]): number {
  return db
    .prepare(`SELECT COUNT(*) FROM cache_entries WHERE ${where}`)
    .pluck()
    .get(...args) as number;
}

function bars(n: number, start = 100): Bar[] {
  return Array.from({ length: n }, (_, i) => ({
    t: T0 + i * 60_000,
    o: start + i,
    h: start + i + 1,
    l: start + i - 1,
    c: start + i + 0.5,
    v: 1000 + i,
  }));
}

describe('PatternCache: content addressing', () => {
  // The served value is always f(spec), and a spec is served from the cache exactly when an equal spec was
  // computed before: any difference in slot, model version, params or inputs is a miss.
  for (const variant of [
    { name: 'memory tier', options: {} },
    { name: 'SQLite tier (no memory budget, every put committed)', options: { memoryMaxBytes: 0, flushMaxPending: 1 } },
  ]) {
    it(`never serves a result for different inputs or versions: ${variant.name}`, () => {
      const { cache } = harness(variant.options);
      const seen = new Set<string>();
      const barArb = fc.array(
        fc.record({
          t: fc.integer({ min: 0, max: 3 }),
          c: fc.constantFrom(1, 1.5, 2),
          v: fc.constantFrom(0, 10),
        }),
        { maxLength: 3 },
      );
      const specArb = fc.record({
        slot: fc.constantFrom('internlm2', 'moonshot', 'deepseek', 'qwen'),
        modelVersion: fc.constantFrom('1', '1.0.1', '2'),
        params: fc.oneof(
          fc.constant({}),
          fc.record({ period: fc.constantFrom(14, 21) }),
          fc.record({ period: fc.constantFrom(14, 21), kind: fc.constantFrom('rsi', 'ema') }),
        ),
        bars: barArb,
        seriesVersion: fc.constantFrom(1, 2),
      });
      fc.assert(
        fc.property(fc.array(specArb, { minLength: 1, maxLength: 12 }), (specs) => {
          for (const s of specs) {
            const input: Bar[] = s.bars.map((b, i) => ({ t: b.t * 1000 + i, o: b.c, h: b.c, l: b.c, c: b.c, v: b.v }));
            const spec: CacheSpec = {
              slot: s.slot,
              modelVersion: s.modelVersion,
              params: s.params,
              inputFingerprint: fingerprintBars(input, { symbol: 'AAPL', timeframe: '1m', version: s.seriesVersion }),
              namespace: 'model_analysis',
              ttlClass: 'default',
            };
            const identity = canonicalJson({ s: s.slot, m: s.modelVersion, p: s.params, b: input, v: s.seriesVersion });
            const f = () => ({ identity });
            const out = cache.getOrComputeSync(spec, f);
            expect(out.value).toEqual({ identity });
            expect(out.source === 'computed').toBe(!seen.has(identity));
            seen.add(identity);
          }
        }),
        { numRuns: 150 },
      );
      expect(seen.size).toBeGreaterThan(50);
    });
  }

  it('serves one slot’s result to another slot by its spec, without recomputing', async () => {
    const { cache } = harness();
    const input = bars(120);
    const moonshotSpec: CacheSpec = {
      slot: 'moonshot',
      modelVersion: '3',
      params: { kind: 'patterns' },
      inputFingerprint: fingerprintBars(input, { symbol: 'TSLA', timeframe: '1d', version: 4 }),
      namespace: 'pattern',
      ttlClass: 'analysis',
      tags: [symbolTag('TSLA')],
    };
    const scan = vi.fn(() => ({ patterns: [{ name: 'hammer', at: 119, confidence: 0.8 }] }));
    const first = await cache.getOrCompute(moonshotSpec, scan);
    expect(first.source).toBe('computed');

    // Qwen reads Moonshot's result, and keys its own synthesis on it.
    const patterns = cache.find<{ patterns: unknown[] }>(moonshotSpec);
    expect(patterns).toEqual(first.value);
    const synth = vi.fn(() => ({ action: 'BUY', confidence: 0.6 }));
    const qwenSpec: CacheSpec = {
      slot: 'qwen',
      modelVersion: '1',
      params: {},
      inputFingerprint: fingerprintJson({ patterns }),
      namespace: 'decision',
      ttlClass: 'signal',
    };
    await cache.getOrCompute(qwenSpec, synth);
    const again = await cache.getOrCompute(qwenSpec, synth);
    expect(again.source).toBe('memory');
    expect(await cache.getOrCompute(moonshotSpec, scan)).toMatchObject({ source: 'memory' });
    expect(scan).toHaveBeenCalledTimes(1);
    expect(synth).toHaveBeenCalledTimes(1);
    expect(cache.find({ ...moonshotSpec, modelVersion: '4' })).toBeUndefined();
  });

  it('stores a frozen copy: readers cannot change what the next reader gets', () => {
    const { cache } = harness();
    const original = { levels: [1, 2, 3] };
    cache.put('k', original, put);
    original.levels.push(4);
    const served = cache.get<{ levels: number[] }>('k');
    expect(served).toEqual({ levels: [1, 2, 3] });
    expect(() => served?.levels.push(5)).toThrow(TypeError);
  });
});

describe('PatternCache: invalidation', () => {
  it('a model version change is a miss, and declaring the new version purges the old ones from both tiers', async () => {
    const h = harness();
    const { cache } = h;
    const base = { slot: 'moonshot', params: {}, namespace: 'pattern', ttlClass: 'analysis' } as const;
    for (const fp of ['a', 'b', 'c']) {
      await cache.getOrCompute({ ...base, modelVersion: '1', inputFingerprint: fp }, () => ({ v: 1, fp }));
    }
    await cache.getOrCompute({ ...base, slot: 'yi', modelVersion: '1', inputFingerprint: 'a' }, () => ({ yi: 1 }));
    const v2 = await cache.getOrCompute({ ...base, modelVersion: '2', inputFingerprint: 'a' }, () => ({ v: 2 }));
    expect(v2).toMatchObject({ source: 'computed', value: { v: 2 } });
    cache.flush();
    expect(rowCount(h.db, "slot = 'moonshot' AND model_version = '1'")).toBe(3);

    expect(cache.declareModelVersion('moonshot', '2')).toBe(3);
    expect(rowCount(h.db, "slot = 'moonshot'")).toBe(1);
    expect(rowCount(h.db, "slot = 'yi'")).toBe(1);
    expect(cache.find({ ...base, modelVersion: '1', inputFingerprint: 'b' })).toBeUndefined();
    expect(cache.find({ ...base, modelVersion: '2', inputFingerprint: 'a' })).toEqual({ v: 2 });
    expect(cache.find({ ...base, slot: 'yi', modelVersion: '1', inputFingerprint: 'a' })).toEqual({ yi: 1 });
  });

  it('a re-import (series version bump) is a miss; the symbol tag drops every entry about the symbol', () => {
    const h = harness();
    const input = bars(50);
    const spec = (symbol: string, version: number): CacheSpec => ({
      slot: 'internlm2',
      modelVersion: '1',
      params: { rsi: 14 },
      inputFingerprint: fingerprintBars(input, { symbol, timeframe: '1d', version }),
      namespace: 'model_analysis',
      ttlClass: 'analysis',
      tags: [symbolTag(symbol)],
    });
    const compute = vi.fn(() => ({ rsi: 55 }));
    h.cache.getOrComputeSync(spec('AAPL', 1), compute);
    h.cache.getOrComputeSync(spec('MSFT', 1), compute);
    h.cache.put('news-aapl', { s: 0.3 }, { ...put, namespace: 'market_insight', slot: 'yi', tags: ['symbol:AAPL'] });
    expect(h.cache.getOrComputeSync(spec('AAPL', 1), compute).source).toBe('memory');
    expect(h.cache.getOrComputeSync(spec('AAPL', 2), compute).source).toBe('computed');
    h.cache.flush();

    expect(h.cache.invalidate({ tag: symbolTag('aapl') })).toBe(3);
    expect(rowCount(h.db)).toBe(1);
    expect(h.db.prepare('SELECT tag FROM cache_entry_tags').pluck().all()).toEqual(['symbol:MSFT']);
    expect(h.cache.get('news-aapl')).toBeUndefined();
    expect(h.cache.getOrComputeSync(spec('MSFT', 1), compute).source).toBe('memory');
    const again = h.reopen();
    expect(again.getOrComputeSync(spec('AAPL', 1), compute).source).toBe('computed');
    expect(again.getOrComputeSync(spec('MSFT', 1), compute).source).toBe('sqlite');
  });

  it('clears by namespace and slot together, or everything; refuses an empty invalidation', () => {
    const { cache, db } = harness();
    cache.put('a', 1, put);
    cache.put('b', 2, { ...put, slot: 'deepseek' });
    cache.put('c', 3, { ...put, namespace: 'decision' });
    expect(cache.clear({ namespace: 'pattern', slot: 'moonshot' })).toBe(1);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBe(2);
    expect(() => cache.invalidate({})).toThrow(AppError);
    expect(cache.clear()).toBe(2);
    expect(rowCount(db)).toBe(0);
  });

  it('does not store a result computed while an invalidation ran', async () => {
    const { cache } = harness();
    const spec: CacheSpec = {
      slot: 'yi',
      modelVersion: '1',
      params: {},
      inputFingerprint: 'news',
      namespace: 'market_insight',
      ttlClass: 'analysis',
    };
    let release: (v: { s: number }) => void = () => {};
    const pending = cache.getOrCompute(spec, () => new Promise<{ s: number }>((r) => (release = r)));
    cache.invalidate({ slot: 'yi' });
    release({ s: 0.5 });
    expect(await pending).toMatchObject({ source: 'computed', value: { s: 0.5 } });
    expect(cache.find(spec)).toBeUndefined();
  });
});

describe('PatternCache: TTL in market time', () => {
  const classes: [CacheTtlClass, number][] = [
    ['market_data', 300_000],
    ['analysis', 1_800_000],
    ['signal', 600_000],
    ['default', 3_600_000],
  ];
  for (const [ttlClass, ttlMs] of classes) {
    it(`${ttlClass} entries live ${ttlMs / 1000} s of the injected clock, then miss`, () => {
      const h = harness();
      h.cache.put('k', { x: 1 }, { ...put, ttlClass });
      h.setNow(T0 + ttlMs - 1);
      expect(h.cache.lookup('k')?.tier).toBe('memory');
      h.setNow(T0 + ttlMs);
      expect(h.cache.lookup('k')).toBeNull();
      const s = h.cache.stats();
      expect(s.tiers.memory.expirations).toBe(1);
      expect(s.namespaces.find((n) => n.name === 'pattern')?.expirations).toBe(1);
      h.cache.flush();
      expect(rowCount(h.db)).toBe(0);
    });
  }

  it('an entry expired while the app was closed is a miss from the SQLite tier; the sweep clears both tiers', () => {
    const h = harness();
    h.cache.put('short', 1, { ...put, ttlClass: 'market_data' });
    h.cache.put('long', 2, { ...put, ttlClass: 'default' });
    h.cache.put('forever', 3, { ...put, ttlClass: 'immutable' });
    const again = h.reopen();
    h.setNow(T0 + 300_000);
    expect(again.lookup('short')).toBeNull();
    expect(again.stats().tiers.sqlite.expirations).toBe(1);
    expect(again.lookup('long')?.tier).toBe('sqlite');
    h.setNow(T0 + 10 * 365 * 86_400_000);
    expect(again.sweep()).toBe(2); // 'long' from memory and from SQLite
    expect(again.get('forever')).toBe(3);
    expect(rowCount(h.db)).toBe(1);
  });

  it('serves entries only in the clock domain they were written in', () => {
    const h = harness();
    h.cache.put('k', 1, put);
    h.cache.setClock({ domain: 'wall', now: () => T0 });
    expect(h.cache.get('k')).toBeUndefined();
    h.cache.setClock(h.clock);
    expect(h.cache.get('k')).toBe(1);
  });
});

describe('PatternCache: tiers', () => {
  it('bounds the memory tier in bytes, evicting the least recently used; evicted entries come back from SQLite', () => {
    const value = (n: number) => ({ payload: 'x'.repeat(748), n }); // 768 JSON bytes + 256 overhead = 1 KiB
    expect(Buffer.byteLength(JSON.stringify(value(1)))).toBe(768);
    const { cache } = harness({ memoryMaxBytes: 3 * 1024 });
    cache.put('a', value(1), put);
    cache.put('b', value(2), put);
    cache.put('c', value(3), put);
    expect(cache.lookup('a')?.tier).toBe('memory'); // a is now the youngest; b the oldest
    cache.put('d', value(4), put);
    let s = cache.stats();
    expect(s.tiers.memory).toMatchObject({ entries: 3, bytes: 3 * 1024, evictions: 1 });
    expect(cache.lookup('a')?.tier).toBe('memory');
    expect(cache.lookup('c')?.tier).toBe('memory');
    expect(cache.lookup('d')?.tier).toBe('memory');
    // b was evicted from memory only (its write is still queued or committed), and is promoted again.
    expect(cache.lookup('b')?.tier).toBe('sqlite');
    s = cache.stats();
    expect(s.tiers.memory.evictions).toBe(2);
    expect(s.tiers.memory.bytes).toBeLessThanOrEqual(3 * 1024);
    expect(cache.lookup('a')?.tier).toBe('sqlite'); // evicted by b's promotion: it was the oldest again
  });

  it('bounds the SQLite tier in bytes, evicting the entries accessed longest ago', () => {
    const h = harness({ memoryMaxBytes: 0, sqliteMaxBytes: 5 * 100 });
    const v = (n: number) => ({ p: 'y'.repeat(86), n }); // 100 bytes of JSON
    for (let i = 1; i <= 5; i++) h.cache.put(`e${i}`, v(i), put);
    h.cache.flush();
    expect(h.cache.stats().tiers.sqlite).toMatchObject({ entries: 5, bytes: 500, evictions: 0 });
    expect(h.cache.lookup('e1')?.tier).toBe('sqlite'); // e1 becomes the most recently accessed
    h.cache.put('e6', v(6), put);
    h.cache.flush();
    const s = h.cache.stats().tiers.sqlite;
    expect(s).toMatchObject({ entries: 5, bytes: 500, evictions: 1 });
    expect(h.db.prepare('SELECT key FROM cache_entries ORDER BY key').pluck().all()).toEqual([
      'e1',
      'e3',
      'e4',
      'e5',
      'e6',
    ]);
  });

  it('after a restart, serves a value from the SQLite tier first and from memory after promotion', () => {
    const h = harness();
    const value = { pattern: 'double-bottom', spans: [3, 17], confidence: 0.72 };
    h.cache.put('k', value, put);
    // Puts are batched: nothing is written until the batch is committed (here: by close).
    expect(rowCount(h.db)).toBe(0);
    const again = h.reopen();
    const first = again.lookup('k');
    expect(first).toMatchObject({ tier: 'sqlite', value });
    expect(again.lookup('k')).toMatchObject({ tier: 'memory', value });
    const s = again.stats();
    expect(s.tiers.sqlite).toMatchObject({ hits: 1, misses: 0, entries: 1 });
    expect(s.tiers.memory).toMatchObject({ hits: 1, misses: 1, entries: 1 });
  });

  it('commits queued writes on a short timer, when the queue fills, and at once in a long synchronous burst', async () => {
    const h = harness({ flushDelayMs: 5, flushMaxPending: 3 });
    h.cache.put('a', 1, put);
    expect(rowCount(h.db)).toBe(0);
    await vi.waitFor(() => expect(rowCount(h.db)).toBe(1), { timeout: 2000, interval: 5 });

    const slow = harness({ flushDelayMs: 60_000, flushMaxPending: 3 });
    slow.cache.put('a', 1, put);
    slow.cache.put('b', 1, put);
    slow.cache.put('c', 1, put);
    expect(rowCount(slow.db)).toBe(0);
    await new Promise((r) => setImmediate(r));
    expect(rowCount(slow.db)).toBe(3);
    for (let i = 0; i < 11; i++) slow.cache.put(`burst${i}`, i, put);
    expect(rowCount(slow.db)).toBe(3);
    slow.cache.put('burst11', 11, put); // 12 queued = 4 × flushMaxPending
    expect(rowCount(slow.db)).toBe(15);
  });

  it('refuses values that are not plain JSON and skips values larger than the SQLite budget', () => {
    const { cache } = harness({ sqliteMaxBytes: 100 });
    expect(() => cache.put('k', { ema: Number.NaN }, put)).toThrow(/NaN/);
    expect(() => cache.put('k', 1, { ...put, namespace: 'nope' as 'pattern' })).toThrow(/namespace/);
    expect(() => cache.put('k', 1, { ...put, ttlClass: 'week' as 'default' })).toThrow(/TTL class/);
    expect(cache.put('big', 'z'.repeat(200), put)).toBe(false);
    expect(cache.get('big')).toBeUndefined();
    expect(cache.stats().totals.rejectedPuts).toBe(1);
    cache.close();
    expect(() => cache.get('k')).toThrow(/closed/);
  });
});

describe('PatternCache: encryption at rest', () => {
  const secret = { note: 'PLAINTEXT-MARKER-7d1f', levels: [101.5, 99.25] };

  it('stores only ciphertext, and serves it back with the same key', () => {
    const key = randomBytes(32);
    const h = harness({ encryptionKey: key });
    h.cache.put('k', secret, put);
    h.cache.flush();
    const row = h.db.prepare('SELECT encoding, payload FROM cache_entries').get() as {
      encoding: string;
      payload: Buffer;
    };
    expect(row.encoding).toBe('aes-256-gcm');
    expect(row.payload.includes(Buffer.from('PLAINTEXT-MARKER'))).toBe(false);
    expect(row.payload.length).toBe(12 + Buffer.byteLength(JSON.stringify(secret)) + 16);
    const again = h.reopen({ encryptionKey: key });
    expect(again.lookup('k')).toMatchObject({ tier: 'sqlite', value: secret });
    expect(again.stats().encrypted).toBe(true);
  });

  it('a flipped byte, a wrong key or a swapped row is an integrity miss, and the row is deleted', () => {
    const key = randomBytes(32);
    const h = harness({ encryptionKey: key });
    h.cache.put('flip', secret, put);
    h.cache.put('wrong', secret, put);
    h.cache.put('a', { who: 'a' }, put);
    h.cache.put('b', { who: 'b' }, put);
    h.cache.flush();
    const payload = h.db.prepare("SELECT payload FROM cache_entries WHERE key = 'flip'").pluck().get() as Buffer;
    payload[20] = (payload[20] as number) ^ 0x01;
    h.db.prepare("UPDATE cache_entries SET payload = ? WHERE key = 'flip'").run(payload);
    // Row a gets row b's (valid) ciphertext: the key is authenticated data, so this fails too.
    h.db
      .prepare("UPDATE cache_entries SET payload = (SELECT payload FROM cache_entries WHERE key = 'b') WHERE key = 'a'")
      .run();

    let c = h.reopen({ encryptionKey: key });
    expect(c.get('flip')).toBeUndefined();
    expect(c.get('a')).toBeUndefined();
    expect(c.get('b')).toEqual({ who: 'b' });
    expect(c.stats().tiers.sqlite).toMatchObject({ integrityFailures: 2, hits: 1, misses: 2 });
    expect(rowCount(h.db, "key IN ('flip', 'a')")).toBe(0);

    c = h.reopen({ encryptionKey: randomBytes(32) });
    expect(c.get('wrong')).toBeUndefined();
    expect(c.stats().tiers.sqlite.integrityFailures).toBe(1);
    expect(rowCount(h.db, "key = 'wrong'")).toBe(0);

    // A plaintext row read by an encrypted cache (and the reverse) is not trusted either.
    c = h.reopen({ encryptionKey: null });
    c.put('plain', secret, put);
    c = h.reopen({ encryptionKey: key });
    expect(c.get('plain')).toBeUndefined();
    expect(c.stats().tiers.sqlite.integrityFailures).toBe(1);
  });

  it('keeps its key in an owner-only key file, created once', () => {
    const dir = makeTempDir();
    const file = path.join(dir, CACHE_KEY_FILE_NAME);
    const key = loadOrCreateCacheKey(file);
    expect(key).toHaveLength(32);
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadOrCreateCacheKey(file).equals(key)).toBe(true);
    fs.writeFileSync(file, 'not a key');
    expect(() => loadOrCreateCacheKey(file)).toThrow(/64 hex characters/);
    expect(
      () =>
        new PatternCache({ db: harness().db, clock: { domain: 'wall', now: () => 0 }, encryptionKey: randomBytes(16) }),
    ).toThrow(/32 bytes/);
  });
});

describe('PatternCache: getOrCompute', () => {
  const spec: CacheSpec = {
    slot: 'deepseek',
    modelVersion: '1',
    params: { var: 0.99 },
    inputFingerprint: 'returns',
    namespace: 'model_analysis',
    ttlClass: 'analysis',
  };

  it('coalesces concurrent identical computes into one', async () => {
    const { cache } = harness();
    let release: (v: number) => void = () => {};
    const compute = vi.fn(() => new Promise<number>((r) => (release = r)));
    const a = cache.getOrCompute(spec, compute);
    const b = cache.getOrCompute(spec, compute);
    release(0.042);
    const [ra, rb] = await Promise.all([a, b]);
    expect(compute).toHaveBeenCalledTimes(1);
    expect(ra).toMatchObject({ source: 'computed', value: 0.042 });
    expect(rb).toMatchObject({ source: 'coalesced', value: 0.042, key: ra.key });
    expect((await cache.getOrCompute(spec, compute)).source).toBe('memory');
    const s = cache.stats();
    expect(s.totals).toMatchObject({ computes: 1, coalesced: 1, misses: 2, hits: 1 });
    expect(s.slots.find((g) => g.name === 'deepseek')).toMatchObject({ computes: 1, coalesced: 1 });
    expect(s.slots.find((g) => g.name === 'deepseek')?.computeLatency.count).toBe(1);
  });

  it('a failing compute rejects every waiter and stores nothing', async () => {
    const { cache } = harness();
    const boom = () => Promise.reject(new Error('model crashed'));
    const both = [cache.getOrCompute(spec, boom), cache.getOrCompute(spec, boom)];
    for (const p of both) await expect(p).rejects.toThrow('model crashed');
    expect((await cache.getOrCompute(spec, () => 1)).source).toBe('computed');
  });
});

describe('PatternCache: metrics', () => {
  it('counts hits, misses, puts, entries and bytes exactly, per tier, namespace and slot', () => {
    const h = harness();
    const a = { k: 'moonshot result' };
    const b = { k: 'qwen decision' };
    h.cache.put('k1', a, put);
    h.cache.put('k2', b, { ...put, namespace: 'decision', slot: 'qwen', ttlClass: 'signal' });
    h.cache.get('k1');
    h.cache.get('k1');
    h.cache.get('nope', { namespace: 'pattern', slot: 'moonshot' });
    let s = h.cache.stats();
    expect(cacheStatsSchema.parse(s)).toEqual(s);
    const size = (v: unknown) => Buffer.byteLength(JSON.stringify(v)) + 256;
    expect(s.totals).toMatchObject({ lookups: 3, hits: 2, misses: 1, puts: 2, pendingWrites: 2 });
    expect(s.totals.hitRatio).toBeCloseTo(2 / 3);
    expect(s.tiers.memory).toMatchObject({ hits: 2, misses: 1, puts: 2, entries: 2, bytes: size(a) + size(b) });
    expect(s.tiers.memory.lookupLatency.count).toBe(3);
    expect(s.tiers.sqlite).toMatchObject({ hits: 0, misses: 1, puts: 2, entries: 0 });
    expect(s.tiers.sqlite.lookupLatency.count).toBe(1);
    const pattern = s.namespaces.find((g) => g.name === 'pattern');
    expect(pattern).toMatchObject({ hits: 2, misses: 1, puts: 1, memoryEntries: 1, memoryBytes: size(a) });
    expect(s.namespaces.find((g) => g.name === 'decision')).toMatchObject({ hits: 0, misses: 0, puts: 1 });
    expect(s.namespaces.map((g) => g.name)).toEqual(
      expect.arrayContaining(['market_data', 'pattern', 'decision', 'market_insight', 'model_analysis']),
    );
    expect(s.slots.find((g) => g.name === 'moonshot')).toMatchObject({ hits: 2, misses: 1, puts: 1 });
    const lat = s.totals.lookupLatency;
    expect(lat.count).toBe(3);
    expect(lat.p50Us).toBeLessThanOrEqual(lat.p95Us);
    expect(lat.p95Us).toBeLessThanOrEqual(lat.p99Us);
    expect(lat.p99Us).toBeLessThanOrEqual(lat.maxUs);

    const again = h.reopen();
    again.get('k2');
    again.get('k2');
    again.get('unknown');
    s = again.stats();
    expect(s.totals).toMatchObject({ lookups: 3, hits: 2, misses: 1, puts: 0, pendingWrites: 0 });
    expect(s.tiers.memory).toMatchObject({ hits: 1, misses: 2, entries: 1 });
    expect(s.tiers.sqlite).toMatchObject({ hits: 1, misses: 1, entries: 2 });
    expect(s.tiers.sqlite.bytes).toBe(Buffer.byteLength(JSON.stringify(a)) + Buffer.byteLength(JSON.stringify(b)));
    expect(s.namespaces.find((g) => g.name === 'decision')).toMatchObject({
      hits: 2,
      sqliteEntries: 1,
      memoryEntries: 1,
    });
    expect(s.namespaces.find((g) => g.name === 'pattern')).toMatchObject({
      hits: 0,
      sqliteEntries: 1,
      memoryEntries: 0,
    });
    expect(s.slots.find((g) => g.name === 'unattributed')).toMatchObject({ misses: 1 });
    expect(s.slots.find((g) => g.name === 'moonshot')).toMatchObject({ sqliteEntries: 1 });
  });

  it('reports keys computed by cacheKey for the same spec as the same entry', () => {
    const { cache } = harness();
    const spec = { slot: 'yi', modelVersion: '1', params: { w: [1, 2] }, inputFingerprint: 'x' };
    cache.put(cacheKey(spec), 'ok', { ...put, slot: 'yi' });
    expect(cache.find({ ...spec, params: { w: [1, 2] } })).toBe('ok');
  });
});
