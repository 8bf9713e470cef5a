/**
 * Where Q-values are cached. The engine plugs in the pattern cache's "decision" namespace; on its own the policy
 * uses {@link LruQValueCache}. A key is {@link decisionCacheKey}: the model version and the state's fingerprint, so
 * a cached value is never served for another model or another state.
 */
export interface QValueCache {
  get(key: string): readonly number[] | undefined;
  set(key: string, qValues: readonly number[]): void;
}

/** The cache key of one decision: `policy:<model version>:<state fingerprint>`. */
export function decisionCacheKey(modelVersion: string, fingerprint: string): string {
  return `policy:${modelVersion}:${fingerprint}`;
}

/** An in-process least-recently-used cache of Q-values, bounded by entry count. */
export class LruQValueCache implements QValueCache {
  private readonly entries = new Map<string, readonly number[]>();
  hits = 0;
  misses = 0;

  constructor(readonly capacity = 10_000) {}

  get(key: string): readonly number[] | undefined {
    const value = this.entries.get(key);
    if (value === undefined) {
      this.misses++;
      return undefined;
    }
    // Re-insert to mark as most recently used (Map keeps insertion order).
    this.entries.delete(key);
    this.entries.set(key, value);
    this.hits++;
    return value;
  }

  set(key: string, qValues: readonly number[]): void {
    this.entries.delete(key);
    this.entries.set(key, qValues);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  get size(): number {
    return this.entries.size;
  }
}
