import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { cacheMethods } from '../../../shared/contract/cache';
import { AuditLog } from '../db/audit-log';
import { type Db, openDatabase } from '../db/database';
import { cleanupTempDirs, makeTempDir } from '../testing/fixtures';
import { cacheHandlers } from './cache-handlers';
import { symbolTag } from './cache-key';
import { PatternCache } from './pattern-cache';

const handles: { cache: PatternCache; db: Db }[] = [];

afterEach(() => {
  for (const { cache, db } of handles.splice(0)) {
    cache.close();
    db.close();
  }
  cleanupTempDirs();
});

function setup() {
  const db = openDatabase(path.join(makeTempDir(), 'swaggy.db'));
  const cache = new PatternCache({ db, clock: { domain: 'wall', now: () => 1_700_000_000_000 }, sweepIntervalMs: 0 });
  handles.push({ cache, db });
  const handlers = cacheHandlers({ cache, audit: new AuditLog(db), wallClock: () => 42 });
  /** Calls a handler the way the dispatcher does: parse the input, run, check the output against the contract. */
  async function call<M extends keyof typeof cacheMethods>(
    method: M,
    input: unknown,
  ): Promise<z.output<(typeof cacheMethods)[M]['output']>> {
    const def = cacheMethods[method];
    const args = def.input.parse(input);
    const value = await (handlers[method] as (a: unknown, c: { origin: 'test' }) => unknown)(args, { origin: 'test' });
    return def.output.parse(value) as z.output<(typeof cacheMethods)[M]['output']>;
  }
  const filed = (symbol: string, slot: string) => ({
    namespace: 'pattern' as const,
    slot,
    modelVersion: '1',
    ttlClass: 'analysis' as const,
    tags: [symbolTag(symbol)],
  });
  cache.put('aapl-moonshot', { p: 1 }, filed('AAPL', 'moonshot'));
  cache.put('aapl-yi', { s: 1 }, { ...filed('AAPL', 'yi'), namespace: 'market_insight' });
  cache.put('msft-moonshot', { p: 2 }, filed('MSFT', 'moonshot'));
  cache.put('msft-qwen', { d: 'HOLD' }, { ...filed('MSFT', 'qwen'), namespace: 'decision' });
  return { db, cache, call };
}

describe('cache handlers', () => {
  it('cache.stats returns metrics that satisfy the contract', async () => {
    const { cache, call } = setup();
    cache.get('aapl-moonshot');
    cache.get('missing', { namespace: 'pattern', slot: 'moonshot' });
    const stats = await call('cache.stats', undefined);
    expect(stats.totals).toMatchObject({ lookups: 2, hits: 1, misses: 1, puts: 4 });
    expect(stats.tiers.memory.entries).toBe(4);
    expect(stats.slots.map((s) => s.name)).toEqual(expect.arrayContaining(['moonshot', 'yi', 'qwen']));
    expect(stats.totals.lookupLatency.count).toBe(2);
  });

  it('cache.invalidate drops by symbol, by slot, or both, and writes the audit log', async () => {
    const { db, cache, call } = setup();
    expect(await call('cache.invalidate', { symbol: 'aapl', slot: 'moonshot' })).toEqual({ removed: 1 });
    expect(cache.get('aapl-yi')).toEqual({ s: 1 });
    expect(await call('cache.invalidate', { symbol: 'AAPL' })).toEqual({ removed: 1 });
    expect(await call('cache.invalidate', { slot: 'moonshot' })).toEqual({ removed: 1 });
    expect(cache.get('msft-qwen')).toEqual({ d: 'HOLD' });
    const audit = db
      .prepare("SELECT actor, action, detail_json FROM audit_log WHERE action = 'cache.invalidate'")
      .all();
    expect(audit).toHaveLength(3);
    expect(audit[0]).toMatchObject({ actor: 'test' });
    expect(JSON.parse((audit[0] as { detail_json: string }).detail_json)).toEqual({
      symbol: 'AAPL',
      slot: 'moonshot',
      removed: 1,
    });
  });

  it('cache.invalidate without a symbol or slot is refused by the contract', async () => {
    const { call } = setup();
    await expect(call('cache.invalidate', {})).rejects.toThrow(/symbol or a slot/);
    await expect(call('cache.invalidate', { symbol: '' })).rejects.toThrow();
  });

  it('cache.clear empties one namespace, one slot, or everything', async () => {
    const { call, db } = setup();
    expect(await call('cache.clear', { namespace: 'decision' })).toEqual({ removed: 1 });
    expect(await call('cache.clear', { slot: 'yi' })).toEqual({ removed: 1 });
    expect(await call('cache.clear', undefined)).toEqual({ removed: 2 });
    expect(db.prepare('SELECT COUNT(*) FROM cache_entries').pluck().get()).toBe(0);
    await expect(call('cache.clear', { namespace: 'gossip' })).rejects.toThrow();
  });
});
