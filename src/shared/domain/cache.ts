/**
 * The pattern cache as the rest of the app sees it: namespaces, TTL classes, tiers, and the metrics that cross the
 * API (`cache.stats`). Pure TypeScript and zod: the renderer imports it too.
 */
import { z } from 'zod';

/** The seed's namespaces. Every entry lives in exactly one. */
export const cacheNamespaces = ['market_data', 'pattern', 'decision', 'market_insight', 'model_analysis'] as const;
export const cacheNamespaceSchema = z.enum(cacheNamespaces);
export type CacheNamespace = z.infer<typeof cacheNamespaceSchema>;

/**
 * TTL classes with the seed's numbers, in milliseconds of the cache's clock (market time during replay, wall time
 * live). `immutable` is ours: for results that are a pure function of their key (streaming indicator state over
 * fixed bars), which must not expire in market time (a daily replay advances 86,400 s per bar, past every other
 * class); they leave the cache only by byte-bound eviction or invalidation.
 */
export const cacheTtlMs = {
  market_data: 300_000,
  analysis: 1_800_000,
  signal: 600_000,
  default: 3_600_000,
  immutable: null,
} as const satisfies Record<CacheTtlClass, number | null>;
export const cacheTtlClassSchema = z.enum(['market_data', 'analysis', 'signal', 'default', 'immutable']);
export type CacheTtlClass = z.infer<typeof cacheTtlClassSchema>;

/** The two tiers, like Mooncake's DRAM/SSD pool. */
export const cacheTiers = ['memory', 'sqlite'] as const;
export const cacheTierSchema = z.enum(cacheTiers);
export type CacheTier = z.infer<typeof cacheTierSchema>;

/** Which clock TTLs are counted in: market time (replay, backtest) or wall time (live). */
export const cacheClockDomainSchema = z.enum(['market', 'wall']);
export type CacheClockDomain = z.infer<typeof cacheClockDomainSchema>;

/**
 * The model slots that share results through the cache, by their seed names (lower case), plus the DQN policy.
 * Slot ids are free strings in the cache itself; this list is what the UI knows how to label.
 */
export const cacheSlotIds = ['internlm2', 'moonshot', 'deepseek', 'yi', 'chatglm', 'qwen', 'minimax', 'dqn'] as const;

/** A slot id as the API accepts it. */
export const cacheSlotSchema = z.string().trim().min(1, 'a slot id is not empty').max(64);

/** Lookup latency from a log-bucketed histogram (relative error under 7 %), in microseconds. */
export const latencySummarySchema = z.object({
  count: z.number().int().nonnegative(),
  meanUs: z.number().nonnegative(),
  p50Us: z.number().nonnegative(),
  p95Us: z.number().nonnegative(),
  p99Us: z.number().nonnegative(),
  maxUs: z.number().nonnegative(),
});
export type LatencySummary = z.infer<typeof latencySummarySchema>;

const counters = {
  hits: z.number().int().nonnegative(),
  misses: z.number().int().nonnegative(),
  puts: z.number().int().nonnegative(),
  evictions: z.number().int().nonnegative(),
  expirations: z.number().int().nonnegative(),
  /** Entries that failed to decrypt or parse (tampered, wrong key); each was deleted and served as a miss. */
  integrityFailures: z.number().int().nonnegative(),
};

/** One tier: how full it is and how its lookups went. */
export const cacheTierStatsSchema = z.object({
  tier: cacheTierSchema,
  entries: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  maxBytes: z.number().int().nonnegative(),
  ...counters,
  /** Lookups that reached this tier: hits / (hits + misses), 0 when none. */
  hitRatio: z.number().min(0).max(1),
  lookupLatency: latencySummarySchema,
});
export type CacheTierStats = z.infer<typeof cacheTierStatsSchema>;

/** One namespace or one slot, across both tiers. */
export const cacheGroupStatsSchema = z.object({
  name: z.string(),
  memoryEntries: z.number().int().nonnegative(),
  memoryBytes: z.number().int().nonnegative(),
  sqliteEntries: z.number().int().nonnegative(),
  sqliteBytes: z.number().int().nonnegative(),
  ...counters,
  hitRatio: z.number().min(0).max(1),
  /** Calls of the slot's compute function on a miss, and how long they took (wall time). */
  computes: z.number().int().nonnegative(),
  /** Misses that waited for an identical compute already running instead of starting their own. */
  coalesced: z.number().int().nonnegative(),
  lookupLatency: latencySummarySchema,
  computeLatency: latencySummarySchema,
});
export type CacheGroupStats = z.infer<typeof cacheGroupStatsSchema>;

/** What `cache.stats` returns. */
export const cacheStatsSchema = z.object({
  clock: cacheClockDomainSchema,
  encrypted: z.boolean(),
  totals: z.object({
    lookups: z.number().int().nonnegative(),
    hits: z.number().int().nonnegative(),
    misses: z.number().int().nonnegative(),
    hitRatio: z.number().min(0).max(1),
    puts: z.number().int().nonnegative(),
    /** Values refused because they were larger than the SQLite tier's whole budget, or not JSON. */
    rejectedPuts: z.number().int().nonnegative(),
    computes: z.number().int().nonnegative(),
    coalesced: z.number().int().nonnegative(),
    /** Writes queued for the SQLite tier and not yet committed. */
    pendingWrites: z.number().int().nonnegative(),
    lookupLatency: latencySummarySchema,
  }),
  tiers: z.object({ memory: cacheTierStatsSchema, sqlite: cacheTierStatsSchema }),
  namespaces: z.array(cacheGroupStatsSchema),
  slots: z.array(cacheGroupStatsSchema),
});
export type CacheStats = z.infer<typeof cacheStatsSchema>;

/** `cache.clear`: everything, or one namespace and/or one slot (both given: entries matching both). */
export const cacheClearInputSchema = z
  .object({ namespace: cacheNamespaceSchema.optional(), slot: cacheSlotSchema.optional() })
  .strict()
  .optional();
export type CacheClearInput = z.infer<typeof cacheClearInputSchema>;

/** `cache.invalidate`: the entries about one symbol and/or of one slot; at least one must be given. */
export const cacheInvalidateInputSchema = z
  .object({
    symbol: z.string().trim().toUpperCase().min(1).max(15).optional(),
    slot: cacheSlotSchema.optional(),
  })
  .strict()
  .refine((v) => v.symbol !== undefined || v.slot !== undefined, {
    message: 'name a symbol or a slot to invalidate (use cache.clear to empty the cache)',
  });
export type CacheInvalidateInput = z.infer<typeof cacheInvalidateInputSchema>;

/** How many distinct entries an invalidation or a clear removed, over both tiers. */
export const cacheRemovalSchema = z.object({ removed: z.number().int().nonnegative() });
export type CacheRemoval = z.infer<typeof cacheRemovalSchema>;
