import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GroupMetrics } from './cache-metrics';
import { type MemoryEntry, MemoryTier } from './memory-tier';

const ns = new GroupMetrics('pattern');
const slot = new GroupMetrics('moonshot');

function entry(key: string, sizeBytes: number): MemoryEntry {
  return {
    key,
    value: key,
    sizeBytes,
    namespace: 'pattern',
    slot: 'moonshot',
    modelVersion: '1',
    ttlClass: 'default',
    tags: [],
    clock: 'wall',
    createdAtMs: 0,
    expiresAtMs: null,
    accessSeq: 0,
    persistedSeq: 0,
    nsGroup: ns,
    slotGroup: slot,
    older: null,
    newer: null,
  };
}

describe('MemoryTier', () => {
  it('behaves like a reference byte-bounded LRU under any sequence of puts, hits and deletes', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('set' as const),
        key: fc.integer({ min: 0, max: 12 }),
        size: fc.integer({ min: 1, max: 40 }),
      }),
      fc.record({ kind: fc.constant('hit' as const), key: fc.integer({ min: 0, max: 12 }) }),
      fc.record({ kind: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 12 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const tier = new MemoryTier(100);
        // Reference: an array from least to most recently used.
        let ref: { key: string; size: number }[] = [];
        const evicted: string[] = [];
        const refEvicted: string[] = [];
        for (const o of ops) {
          const key = `k${o.key}`;
          if (o.kind === 'set') {
            ref = ref.filter((e) => e.key !== key);
            if (o.size <= 100) {
              ref.push({ key, size: o.size });
              while (ref.reduce((a, e) => a + e.size, 0) > 100) refEvicted.push((ref.shift() as { key: string }).key);
            }
            tier.set(entry(key, o.size), (e) => evicted.push(e.key));
          } else if (o.kind === 'hit') {
            const i = ref.findIndex((e) => e.key === key);
            if (i >= 0) ref.push(...ref.splice(i, 1));
            const e = tier.peek(key);
            if (e) tier.bump(e);
          } else {
            ref = ref.filter((e) => e.key !== key);
            tier.delete(key);
          }
          expect([...tier.values()].map((e) => e.key)).toEqual(ref.map((e) => e.key));
          expect(tier.bytes).toBe(ref.reduce((a, e) => a + e.size, 0));
          expect(tier.size).toBe(ref.length);
        }
        expect(evicted).toEqual(refEvicted);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps group byte and entry counts in step, and refuses an entry larger than the budget', () => {
    const g = new GroupMetrics('g');
    const tier = new MemoryTier(50);
    const e = { ...entry('a', 30), nsGroup: g, slotGroup: g };
    tier.set(e, () => {});
    expect(g).toMatchObject({ memoryEntries: 2, memoryBytes: 60 }); // counted once as namespace, once as slot
    expect(tier.set({ ...entry('big', 51), nsGroup: g, slotGroup: g }, () => {})).toBe(false);
    tier.deleteWhere(() => true);
    expect(g).toMatchObject({ memoryEntries: 0, memoryBytes: 0 });
    expect(tier.bytes).toBe(0);
  });
});
