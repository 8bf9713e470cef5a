import type { z } from 'zod';
import { cacheMethods } from '../../../shared/contract/cache';
import type { AuditLog } from '../db/audit-log';
import type { CallContext } from '../handlers';
import { symbolTag } from './cache-key';
import type { PatternCache } from './pattern-cache';

type CacheMethods = typeof cacheMethods;
type CacheMethodName = keyof CacheMethods;

/**
 * The cache's slice of the handler map. Typed from `contract/cache.ts` so it compiles before the methods are merged
 * into the contract; once they are, it is exactly `Pick<Handlers, 'cache.stats' | 'cache.clear' | 'cache.invalidate'>`.
 */
export type CacheHandlers = {
  [M in CacheMethodName]: (
    args: z.output<CacheMethods[M]['input']>,
    ctx: CallContext,
  ) => z.output<CacheMethods[M]['output']> | Promise<z.output<CacheMethods[M]['output']>>;
};

export interface CacheHandlerDeps {
  cache: PatternCache;
  /** Clearing and invalidating are user-visible state changes: they go to the audit log. */
  audit?: AuditLog;
  wallClock?: () => number;
}

/** Handlers for `cache.stats`, `cache.clear` and `cache.invalidate`. */
export function cacheHandlers(deps: CacheHandlerDeps): CacheHandlers {
  const { cache, audit } = deps;
  const wallClock = deps.wallClock ?? Date.now;
  return {
    'cache.stats': () => cache.stats(),
    'cache.clear': (args, ctx) => {
      const filter = {
        ...(args?.namespace !== undefined ? { namespace: args.namespace } : {}),
        ...(args?.slot !== undefined ? { slot: args.slot } : {}),
      };
      const removed = cache.clear(filter);
      audit?.record(wallClock(), ctx.origin, 'cache.clear', { ...filter, removed });
      return { removed };
    },
    'cache.invalidate': ({ symbol, slot }, ctx) => {
      const removed = cache.invalidate({
        ...(symbol !== undefined ? { tag: symbolTag(symbol) } : {}),
        ...(slot !== undefined ? { slot } : {}),
      });
      audit?.record(wallClock(), ctx.origin, 'cache.invalidate', { symbol, slot, removed });
      return { removed };
    },
  };
}

/** The method names this slice serves, for the lead's wiring checks. */
export const cacheMethodNames = Object.keys(cacheMethods) as CacheMethodName[];
