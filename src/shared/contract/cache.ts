import {
  cacheClearInputSchema,
  cacheInvalidateInputSchema,
  cacheRemovalSchema,
  cacheStatsSchema,
} from '../domain/cache';
import { method, noInput } from './define';

/**
 * The pattern cache's API: its metrics, and the two ways a user empties part of it. Merge into `methods` in
 * `contract/index.ts` with `...cacheMethods`.
 */
export const cacheMethods = {
  'cache.stats': method({
    summary:
      'Pattern cache metrics per tier (memory, SQLite), per namespace and per slot: hits, misses, bytes, evictions, lookup latency percentiles.',
    input: noInput,
    output: cacheStatsSchema,
  }),
  'cache.clear': method({
    summary: 'Empties the pattern cache, or only one namespace and/or one slot; returns how many entries went.',
    input: cacheClearInputSchema,
    output: cacheRemovalSchema,
  }),
  'cache.invalidate': method({
    summary:
      'Drops the cached results about one symbol and/or of one slot (after a re-import or a model change); they are recomputed on next use.',
    input: cacheInvalidateInputSchema,
    output: cacheRemovalSchema,
  }),
} as const;
