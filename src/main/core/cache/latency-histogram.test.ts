import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from './latency-histogram';

describe('LatencyHistogram', () => {
  it('is empty before anything is recorded', () => {
    expect(new LatencyHistogram().summary()).toEqual({ count: 0, meanUs: 0, p50Us: 0, p95Us: 0, p99Us: 0, maxUs: 0 });
  });

  it('reports percentiles within the bucket error, never below the truth', () => {
    const h = new LatencyHistogram();
    // 1 .. 100,000 µs in ns, uniformly.
    for (let i = 1; i <= 100_000; i++) h.record(i * 1000);
    for (const [q, truth] of [
      [0.5, 50_000_000],
      [0.95, 95_000_000],
      [0.99, 99_000_000],
    ] as const) {
      const got = h.quantileNs(q);
      expect(got).toBeGreaterThanOrEqual(truth);
      expect(got).toBeLessThanOrEqual(truth * 1.0625);
    }
    const s = h.summary();
    expect(s.count).toBe(100_000);
    expect(s.meanUs).toBeCloseTo(50_000.5, 1);
    expect(s.maxUs).toBe(100_000);
  });

  it('rounds small values up to the next nanosecond; values past 4.3 s share the last bucket', () => {
    const h = new LatencyHistogram();
    for (const v of [3, 3, 3, 17]) h.record(v);
    expect(h.quantileNs(0.5)).toBe(4); // bucket [3, 4)
    expect(h.quantileNs(1)).toBe(17);
    const big = new LatencyHistogram();
    big.record(1e13);
    expect(big.quantileNs(0.99)).toBe(2 ** 32);
    big.reset();
    expect(big.count).toBe(0);
  });
});
