import { performance } from 'node:perf_hooks';
import type { CacheNamespace, CacheTtlClass } from '../../../shared/domain/cache';
import type { Bar } from '../../../shared/domain/market';
import { AppError } from '../../../shared/result';
import { BlockHasher, chainedBlockHashes, DEFAULT_BLOCK_SIZE } from './block-hasher';
import { cacheKeyer } from './cache-key';
import type { PatternCache } from './pattern-cache';

/**
 * A streaming computation over bars (InternLM2's indicators, a pattern scanner's rolling window): an initial state
 * and a step that folds in one bar. The state must be plain JSON (it is stored); the step may mutate it in place.
 */
export interface StreamingModel<S> {
  readonly slot: string;
  readonly modelVersion: string;
  /** Everything besides the bars the state depends on (periods, thresholds); plain JSON. */
  readonly params: unknown;
  init(): S;
  step(state: S, bar: Bar, index: number): S;
}

export interface PrefixStateCacheOptions {
  cache: PatternCache;
  /** Bars per block; states are kept at every block boundary and at the end of the last run. Default 64. */
  blockSize?: number;
  /** Default `model_analysis`. */
  namespace?: CacheNamespace;
  /**
   * Default `immutable`: a state is a pure function of its key, and a market-time TTL would expire every state of a
   * daily replay before the next bar arrives.
   */
  ttlClass?: CacheTtlClass;
}

/** Where a resume found state. */
export interface PrefixResume<S> {
  /** The state after `bars[0 .. fromIndex)`, a private mutable copy; null when nothing was cached. */
  state: S | null;
  /** How many leading bars the state covers; the caller computes only `bars[fromIndex ..]`. */
  fromIndex: number;
}

/** The outcome of {@link PrefixStateCache.run}. */
export interface PrefixRun<S> {
  /** The state after every bar: the caller's own copy. */
  state: S;
  /** Leading bars served from the cache. */
  fromIndex: number;
  /** Bars stepped through in this run (`bars.length - fromIndex`). */
  computed: number;
}

interface Candidate {
  length: number;
  /** The prefix digest, finished on demand (most candidates are never tried). */
  digest: () => string;
}

/** Keys of one model's states: slot, version and params encoded once per run. */
type StateKeyer = (length: number, digest: string) => string;

/**
 * Prefix reuse of streaming state, like vLLM's block-hash prefix cache: states are stored at block boundaries of
 * the chained block hashes and at the exact end of each run, so the state after bar N is found by the longest cached
 * prefix and only the new bars are computed. Extending a series by one bar steps exactly once.
 *
 * The search tries the exact ends inside the last (partial) block, then the block boundaries, longest first: a
 * state stored mid-way through an earlier block is not found, so a resume can redo up to one block more than the
 * ideal.
 */
export class PrefixStateCache {
  private readonly cache: PatternCache;
  readonly blockSize: number;
  private readonly namespace: CacheNamespace;
  private readonly ttlClass: CacheTtlClass;

  constructor(options: PrefixStateCacheOptions) {
    this.cache = options.cache;
    this.blockSize = options.blockSize ?? DEFAULT_BLOCK_SIZE;
    this.namespace = options.namespace ?? 'model_analysis';
    this.ttlClass = options.ttlClass ?? 'immutable';
    // Validates the block size now rather than at the first run.
    chainedBlockHashes([], this.blockSize);
  }

  /** The cache key of the state after the prefix named by `digest` (of `length` bars). */
  keyOf(model: StreamingModel<unknown>, length: number, digest: string): string {
    return this.keyer(model)(length, digest);
  }

  /** @internal */
  keyer(model: StreamingModel<unknown>): StateKeyer {
    const key = cacheKeyer({ slot: model.slot, modelVersion: model.modelVersion, params: model.params });
    const b = this.blockSize;
    return (length, digest) => key(`prefix:b${b}:n${length}:${digest}`);
  }

  /** The longest cached prefix of `bars`, without computing anything. */
  resume<S>(model: StreamingModel<S>, bars: readonly Bar[]): PrefixResume<S> {
    const t0 = performance.now();
    const { candidates } = this.scan(bars);
    const found = this.find(model, this.keyer(model), candidates);
    if (found) return found;
    if (bars.length > 0) {
      this.cache.recordMiss({ namespace: this.namespace, slot: model.slot }, (performance.now() - t0) * 1e6);
    }
    return { state: null, fromIndex: 0 };
  }

  /**
   * The state after every bar of `bars`: resumes from the longest cached prefix, steps through the rest, and stores
   * the state at each block boundary passed and at the end. `tags` label the stored states (e.g. `symbol:AAPL`).
   */
  run<S>(model: StreamingModel<S>, bars: readonly Bar[], options: { tags?: readonly string[] } = {}): PrefixRun<S> {
    return this.advance(model, bars, options.tags ?? []).run;
  }

  /**
   * Like {@link run}, and keeps going: the returned stream takes each new closed bar with one step and O(1)
   * hashing (the live decode path).
   */
  open<S>(model: StreamingModel<S>, bars: readonly Bar[], options: { tags?: readonly string[] } = {}): PrefixStream<S> {
    const tags = options.tags ?? [];
    const { run, hasher, tailKey, keyer } = this.advance(model, bars, tags);
    return new PrefixStream(this, model, keyer, hasher, run.state, tailKey, tags);
  }

  /**
   * Stores states computed elsewhere (the prefill worker) for `bars`: each given `length` must be a block boundary
   * or `bars.length` itself, and its state the one after `bars[0 .. length)`. Later runs over `bars` (or a longer
   * series with the same start) resume from them. Returns how many states were stored.
   */
  seed<S>(
    model: StreamingModel<S>,
    bars: readonly Bar[],
    states: readonly { length: number; state: S }[],
    options: { tags?: readonly string[] } = {},
  ): number {
    checkOrder(bars);
    const keyer = this.keyer(model);
    const { candidates, boundaries } = this.scan(bars);
    const b = this.blockSize;
    let stored = 0;
    for (const { length, state } of states) {
      let digest: string | undefined;
      if (length > 0 && length % b === 0 && length <= bars.length) digest = boundaries[length / b - 1];
      else if (length === bars.length && length % b !== 0) digest = (candidates[0] as Candidate).digest();
      if (digest === undefined) {
        throw new AppError(
          'BAD_INPUT',
          `A seeded state must end at a block boundary or at the last bar (got ${length})`,
        );
      }
      this.store(model as StreamingModel<unknown>, keyer(length, digest), state, options.tags ?? []);
      stored++;
    }
    return stored;
  }

  private advance<S>(
    model: StreamingModel<S>,
    bars: readonly Bar[],
    tags: readonly string[],
  ): { run: PrefixRun<S>; hasher: BlockHasher; tailKey: string | null; keyer: StateKeyer } {
    checkOrder(bars);
    const keyer = this.keyer(model);
    const t0 = performance.now();
    const { candidates, boundaries, hasher } = this.scan(bars);
    const n = bars.length;
    const found = this.find(model, keyer, candidates);
    const probeNs = (performance.now() - t0) * 1e6;
    let state: S;
    let from: number;
    if (found) {
      state = found.state;
      from = found.fromIndex;
    } else {
      if (n > 0) this.cache.recordMiss({ namespace: this.namespace, slot: model.slot }, probeNs);
      state = model.init();
      from = 0;
    }
    const b = this.blockSize;
    for (let i = from; i < n; i++) {
      state = model.step(state, bars[i] as Bar, i);
      const length = i + 1;
      if (length % b === 0) this.store(model, keyer(length, boundaries[length / b - 1] as string), state, tags);
    }
    let tailKey: string | null = null;
    if (n % b !== 0) {
      tailKey = keyer(n, (candidates[0] as Candidate).digest());
      if (from < n) this.store(model, tailKey, state, tags);
    }
    // A state stored mid-block is only useful until the series grows past it.
    if (found && from < n && from % b !== 0) {
      this.cache.delete(keyer(from, (candidates.find((c) => c.length === from) as Candidate).digest()));
    }
    return { run: { state, fromIndex: from, computed: n - from }, hasher, tailKey, keyer };
  }

  /** Every prefix worth trying, longest first, and a hasher positioned after the last bar. */
  private scan(bars: readonly Bar[]): { candidates: Candidate[]; boundaries: string[]; hasher: BlockHasher } {
    const b = this.blockSize;
    const hasher = new BlockHasher(b);
    const boundaries: string[] = [];
    const full = Math.floor(bars.length / b);
    for (let k = 0; k < full; k++) boundaries.push(hasher.appendBlock(bars, k * b));
    const candidates: Candidate[] = [];
    for (let i = full * b; i < bars.length; i++) {
      hasher.append(bars[i] as Bar);
      candidates.push({ length: i + 1, digest: hasher.prefixDigestLater() });
    }
    candidates.reverse();
    for (let k = full; k >= 1; k--) {
      const digest = boundaries[k - 1] as string;
      candidates.push({ length: k * b, digest: () => digest });
    }
    return { candidates, boundaries, hasher };
  }

  private find<S>(
    model: StreamingModel<S>,
    keyer: StateKeyer,
    candidates: readonly Candidate[],
  ): { state: S; fromIndex: number } | null {
    const attribution = { namespace: this.namespace, slot: model.slot };
    for (const c of candidates) {
      const hit = this.cache.lookup<S>(keyer(c.length, c.digest()), attribution, { countMiss: false });
      // The cached value is frozen and shared; the step mutates, so it gets its own copy.
      if (hit) return { state: structuredClone(hit.value) as S, fromIndex: c.length };
    }
    return null;
  }

  /** @internal Stores a state under its key. */
  store(model: StreamingModel<unknown>, key: string, state: unknown, tags: readonly string[]): void {
    this.cache.put(key, state, {
      namespace: this.namespace,
      slot: model.slot,
      modelVersion: model.modelVersion,
      ttlClass: this.ttlClass,
      tags,
    });
  }

  /** @internal */
  deleteKey(key: string): void {
    this.cache.delete(key);
  }
}

/** A live series: one step and O(1) hashing per new bar, with its state stored after each. */
export class PrefixStream<S> {
  constructor(
    private readonly owner: PrefixStateCache,
    private readonly model: StreamingModel<S>,
    private readonly keyer: StateKeyer,
    private readonly hasher: BlockHasher,
    private current: S,
    private tailKey: string | null,
    private readonly tags: readonly string[],
  ) {}

  /** The state after the last bar (the stream's own; read it, do not keep it across appends). */
  get state(): S {
    return this.current;
  }

  /** Bars folded in so far. */
  get count(): number {
    return this.hasher.count;
  }

  /** Folds in the next closed bar (strictly later than the last) and stores the new state. */
  append(bar: Bar): S {
    if (!(bar.t > this.hasher.lastBarT)) {
      throw new AppError(
        'BAD_INPUT',
        `Bars must arrive in time order: ${bar.t} is not after ${this.hasher.lastBarT} (append only closed bars)`,
      );
    }
    this.current = this.model.step(this.current, bar, this.hasher.count);
    const boundary = this.hasher.append(bar);
    const key = this.keyer(this.hasher.count, boundary ?? this.hasher.prefixDigest());
    this.owner.store(this.model, key, this.current, this.tags);
    if (this.tailKey !== null) this.owner.deleteKey(this.tailKey);
    this.tailKey = boundary === null ? key : null;
    return this.current;
  }
}

function checkOrder(bars: readonly Bar[]): void {
  for (let i = 1; i < bars.length; i++) {
    if (!((bars[i] as Bar).t > (bars[i - 1] as Bar).t)) {
      throw new AppError('BAD_INPUT', `Bars must be in strictly increasing time order; bar ${i} is not`);
    }
  }
}
