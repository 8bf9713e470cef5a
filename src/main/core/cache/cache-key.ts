import { hash } from 'node:crypto';
import { AppError } from '../../../shared/result';
import { canonicalJson } from './canonical-json';

/** Bumped when the key encoding changes, so keys of an older build can never match keys of this one. */
const KEY_FORMAT = 'swaggy-cache/1';

/**
 * What a cached result is a function of. Two specs give the same key exactly when all four parts are equal, so a
 * result is never served for different inputs or a different model version. A slot that caches several kinds of
 * result names the kind in `params` (e.g. `{ kind: 'patterns', lookback: 50 }`).
 */
export interface CacheKeySpec {
  /** The slot that computes the value: `internlm2`, `moonshot`, ..., `dqn`. */
  readonly slot: string;
  /** The slot's model version; a new version never sees results of an old one. */
  readonly modelVersion: string;
  /** Everything else the result depends on; plain JSON, compared with sorted keys. */
  readonly params: unknown;
  /** A digest of the inputs (see bar-fingerprint.ts); includes the series version for stored data. */
  readonly inputFingerprint: string;
}

/**
 * The content-addressed key: SHA-256 (base64url, 43 characters) over an unambiguous encoding of the spec. The parts
 * are JSON strings inside a JSON array, so no choice of slot or fingerprint text can make two specs collide.
 */
export function cacheKey(spec: CacheKeySpec): string {
  return cacheKeyer(spec)(spec.inputFingerprint);
}

/**
 * {@link cacheKey} with slot, version and params encoded once: for callers that key many inputs of one
 * computation (a prefix search tries dozens of fingerprints). `cacheKeyer(spec)(fp) === cacheKey({ ...spec, fp })`.
 */
export function cacheKeyer(spec: Omit<CacheKeySpec, 'inputFingerprint'>): (inputFingerprint: string) => string {
  if (typeof spec.slot !== 'string' || spec.slot.length === 0) {
    throw new AppError('BAD_INPUT', 'A cache key needs a slot id');
  }
  if (typeof spec.modelVersion !== 'string' || spec.modelVersion.length === 0) {
    throw new AppError('BAD_INPUT', `A cache key of slot ${spec.slot} needs a model version`);
  }
  const head = `[${JSON.stringify(KEY_FORMAT)},${JSON.stringify(spec.slot)},${JSON.stringify(spec.modelVersion)},${canonicalJson(spec.params ?? null)},`;
  return (inputFingerprint) =>
    hash('sha256', `${head}${JSON.stringify(checkFingerprint(spec.slot, inputFingerprint))}]`, 'base64url');
}

function checkFingerprint(slot: string, fp: string): string {
  if (typeof fp !== 'string' || fp.length === 0) {
    throw new AppError('BAD_INPUT', `A cache key of slot ${slot} needs an input fingerprint`);
  }
  return fp;
}

/** The tag every entry about a symbol carries, so a re-import of that symbol can drop them all. */
export function symbolTag(symbol: string): string {
  return `symbol:${symbol.trim().toUpperCase()}`;
}
