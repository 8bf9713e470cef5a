import type { LatencySummary } from '../../../shared/domain/cache';

// HDR-style log-linear buckets over nanoseconds: values below 32 ns get a bucket each, above that every power of two
// is split into 16 buckets, so a bucket is at most 1/16 (6.25 %) wider than its lower bound. 2^32 ns (4.3 s) and up
// share the last bucket; nothing a lookup should ever take.
const SUB_BITS = 4;
const SUB = 1 << SUB_BITS;
const LINEAR = SUB * 2;
const MAX_EXP = 31;
const BUCKETS = LINEAR + (MAX_EXP - SUB_BITS) * SUB;
const MAX_NS = 2 ** 32 - 1;

function bucketOf(ns: number): number {
  if (ns < LINEAR) return ns < 0 ? 0 : Math.floor(ns);
  const v = ns >= MAX_NS ? MAX_NS : Math.floor(ns);
  const e = 31 - Math.clz32(v);
  const mantissa = v >>> (e - SUB_BITS);
  return LINEAR + (e - SUB_BITS - 1) * SUB + (mantissa - SUB);
}

/** Upper bound (exclusive) of a bucket, in ns. */
function bucketTop(index: number): number {
  if (index < LINEAR) return index + 1;
  const i = index - LINEAR;
  const e = Math.floor(i / SUB) + SUB_BITS + 1;
  const mantissa = (i % SUB) + SUB;
  return (mantissa + 1) * 2 ** (e - SUB_BITS);
}

/**
 * A fixed-size latency histogram: recording is two array writes, and percentiles are read from cumulative counts.
 * Percentiles report a bucket's upper bound (never better than the truth), capped at the largest value seen.
 */
export class LatencyHistogram {
  private readonly counts = new Float64Array(BUCKETS);
  private n = 0;
  private sumNs = 0;
  private maxNs = 0;

  /** Records one duration in nanoseconds. */
  record(ns: number): void {
    const i = bucketOf(ns);
    this.counts[i] = (this.counts[i] as number) + 1;
    this.n++;
    this.sumNs += ns;
    if (ns > this.maxNs) this.maxNs = ns;
  }

  get count(): number {
    return this.n;
  }

  /** The `q` quantile (0..1) in nanoseconds; 0 when nothing was recorded. */
  quantileNs(q: number): number {
    if (this.n === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.n));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i] as number;
      if (seen >= rank) return Math.min(bucketTop(i), this.maxNs);
    }
    return this.maxNs;
  }

  summary(): LatencySummary {
    const us = (ns: number) => Math.round(ns) / 1000;
    return {
      count: this.n,
      meanUs: this.n === 0 ? 0 : us(this.sumNs / this.n),
      p50Us: us(this.quantileNs(0.5)),
      p95Us: us(this.quantileNs(0.95)),
      p99Us: us(this.quantileNs(0.99)),
      maxUs: us(this.maxNs),
    };
  }

  reset(): void {
    this.counts.fill(0);
    this.n = 0;
    this.sumNs = 0;
    this.maxNs = 0;
  }
}
