import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../shared/domain/market';
import { BarFingerprinter, fingerprintBarColumns, fingerprintBars, seriesRangeFingerprint } from './bar-fingerprint';
import { BlockHasher, chainedBlockHashes } from './block-hasher';

function makeBars(n: number, seed = 1): Bar[] {
  const bars: Bar[] = [];
  let price = 100 + seed;
  for (let i = 0; i < n; i++) {
    price *= 1 + Math.sin(i * 0.7 + seed) * 0.01;
    bars.push({
      t: 1_600_000_000_000 + i * 60_000,
      o: price,
      h: price * 1.01,
      l: price * 0.99,
      c: price * 1.002,
      v: 1000 + i,
    });
  }
  return bars;
}

describe('fingerprints', () => {
  const bars = makeBars(300);
  const series = { symbol: 'AAPL', timeframe: '1m' as const, version: 1 };

  it('change with any field of any bar, the series version, or the length', () => {
    const base = fingerprintBars(bars, series);
    expect(fingerprintBars(makeBars(300), series)).toBe(base);
    expect(fingerprintBars(bars, { ...series, version: 2 })).not.toBe(base);
    expect(fingerprintBars(bars, { ...series, symbol: 'MSFT' })).not.toBe(base);
    expect(fingerprintBars(bars.slice(0, 299), series)).not.toBe(base);
    expect(fingerprintBars(bars)).not.toBe(base);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 299 }), fc.constantFrom('t', 'o', 'h', 'l', 'c', 'v'), (i, field) => {
        const changed = bars.map((b) => ({ ...b }));
        const bar = changed[i] as Bar;
        bar[field] = bar[field] + (field === 't' ? 1 : 1e-9 * Math.max(1, bar[field]));
        expect(fingerprintBars(changed, series)).not.toBe(base);
      }),
      { numRuns: 200 },
    );
  });

  it('hash columns of typed arrays directly, and check their lengths', () => {
    const cols = {
      t: Float64Array.from(bars, (b) => b.t),
      o: Float64Array.from(bars, (b) => b.o),
      h: Float64Array.from(bars, (b) => b.h),
      l: Float64Array.from(bars, (b) => b.l),
      c: Float64Array.from(bars, (b) => b.c),
      v: Float64Array.from(bars, (b) => b.v),
    };
    const fp = fingerprintBarColumns(cols, series);
    expect(fingerprintBarColumns({ ...cols }, series)).toBe(fp);
    const c2 = Float64Array.from(cols.c);
    c2[7] = (c2[7] as number) + 0.01;
    expect(fingerprintBarColumns({ ...cols, c: c2 }, series)).not.toBe(fp);
    expect(() => fingerprintBarColumns({ ...cols, v: cols.v.subarray(1) })).toThrow(/differ in length/);
  });

  it('grow incrementally: the running fingerprint after n bars depends only on those n bars', () => {
    const a = new BarFingerprinter();
    const b = new BarFingerprinter();
    for (const bar of bars.slice(0, 100)) a.append(bar);
    const at100 = a.digest();
    for (const bar of bars.slice(100, 101)) a.append(bar);
    for (const bar of bars.slice(0, 101)) b.append(bar);
    expect(a.digest()).toBe(b.digest());
    expect(a.digest()).not.toBe(at100);
    expect(a.count).toBe(101);
  });

  it('range fingerprints change with the series version', () => {
    expect(seriesRangeFingerprint(series, 1, 2, 3)).not.toBe(
      seriesRangeFingerprint({ ...series, version: 2 }, 1, 2, 3),
    );
  });
});

describe('chained block hashes', () => {
  it('rolling and one-shot hashing agree, block by block', () => {
    const bars = makeBars(200);
    const oneShot = chainedBlockHashes(bars, 16);
    expect(oneShot).toHaveLength(12);
    const rolling = new BlockHasher(16);
    const seen: string[] = [];
    for (const bar of bars) {
      const h = rolling.append(bar);
      if (h !== null) seen.push(h);
    }
    expect(seen).toEqual(oneShot);
    const mixed = new BlockHasher(16);
    mixed.appendBlock(bars, 0);
    mixed.appendBlock(bars, 16);
    for (const bar of bars.slice(32, 48)) mixed.append(bar);
    expect(mixed.prefixDigest()).toBe(oneShot[2]);
  });

  it('h_i names the whole prefix: a change in block 0 changes every later hash', () => {
    const bars = makeBars(64);
    const base = chainedBlockHashes(bars, 16);
    const changed = bars.map((b) => ({ ...b }));
    (changed[3] as Bar).c += 0.5;
    const after = chainedBlockHashes(changed, 16);
    for (let i = 0; i < base.length; i++) expect(after[i]).not.toBe(base[i]);
    // A change in the last block leaves the earlier prefixes alone.
    const late = bars.map((b) => ({ ...b }));
    (late[60] as Bar).v += 1;
    expect(chainedBlockHashes(late, 16).slice(0, 3)).toEqual(base.slice(0, 3));
  });

  it('prefix digests are distinct for every length and never equal a boundary hash', () => {
    const bars = makeBars(70);
    const h = new BlockHasher(8);
    const digests = new Set<string>();
    for (const bar of bars) {
      h.append(bar);
      digests.add(h.prefixDigest());
    }
    expect(digests.size).toBe(70);
    const lazy = new BlockHasher(8);
    const later: (() => string)[] = [];
    const now: string[] = [];
    for (const bar of bars) {
      lazy.append(bar);
      later.push(lazy.prefixDigestLater());
      now.push(lazy.prefixDigest());
    }
    expect(later.map((f) => f())).toEqual(now);
    expect(new Set(chainedBlockHashes(bars, 16)).size).toBe(4);
    // Different block sizes never share a chain.
    expect(chainedBlockHashes(bars, 8)[1]).not.toBe(chainedBlockHashes(bars, 16)[0]);
    expect(() => new BlockHasher(0)).toThrow(RangeError);
  });
});
