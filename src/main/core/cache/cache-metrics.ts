import type { CacheGroupStats, CacheTier, CacheTierStats } from '../../../shared/domain/cache';
import { LatencyHistogram } from './latency-histogram';

/** Counters every scope keeps (a tier, a namespace, a slot). Mutable on purpose: the hot path adds to them. */
export class CacheCounters {
  hits = 0;
  misses = 0;
  puts = 0;
  evictions = 0;
  expirations = 0;
  integrityFailures = 0;
  readonly lookupLatency = new LatencyHistogram();

  protected counterSnapshot() {
    const lookups = this.hits + this.misses;
    return {
      hits: this.hits,
      misses: this.misses,
      puts: this.puts,
      evictions: this.evictions,
      expirations: this.expirations,
      integrityFailures: this.integrityFailures,
      hitRatio: lookups === 0 ? 0 : this.hits / lookups,
      lookupLatency: this.lookupLatency.summary(),
    };
  }
}

/** One tier's counters. Entries and bytes are the tier's own bookkeeping, filled in at snapshot time. */
export class TierMetrics extends CacheCounters {
  constructor(readonly tier: CacheTier) {
    super();
  }

  snapshot(entries: number, bytes: number, maxBytes: number): CacheTierStats {
    return { tier: this.tier, entries, bytes, maxBytes, ...this.counterSnapshot() };
  }
}

/**
 * One namespace's or one slot's counters over both tiers. The memory tier's share of entries and bytes is kept here
 * incrementally (entries point at their group, so no map lookup on the hot path); the SQLite share is counted by a
 * query when a snapshot is taken.
 */
export class GroupMetrics extends CacheCounters {
  memoryEntries = 0;
  memoryBytes = 0;
  computes = 0;
  coalesced = 0;
  readonly computeLatency = new LatencyHistogram();

  constructor(readonly name: string) {
    super();
  }

  snapshot(sqliteEntries: number, sqliteBytes: number): CacheGroupStats {
    return {
      name: this.name,
      memoryEntries: this.memoryEntries,
      memoryBytes: this.memoryBytes,
      sqliteEntries,
      sqliteBytes,
      ...this.counterSnapshot(),
      computes: this.computes,
      coalesced: this.coalesced,
      computeLatency: this.computeLatency.summary(),
    };
  }
}

/** Groups by name, created on first use. */
export class GroupRegistry {
  private readonly groups = new Map<string, GroupMetrics>();

  get(name: string): GroupMetrics {
    let g = this.groups.get(name);
    if (!g) {
      g = new GroupMetrics(name);
      this.groups.set(name, g);
    }
    return g;
  }

  names(): string[] {
    return [...this.groups.keys()];
  }
}
