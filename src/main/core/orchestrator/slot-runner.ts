import type { CacheTier } from '../../../shared/domain/cache';
import type { SlotRun } from '../../../shared/domain/decision';
import type { SlotId } from '../../../shared/domain/intent';
import { AppError, toApiError } from '../../../shared/result';
import { cacheKey } from '../cache/cache-key';
import type { PatternCache } from '../cache/pattern-cache';
import type { PerfMonitor } from './perf-monitor';
import { slotCatalog } from './slot-catalog';

/** `cached`: results come from and go to the pattern cache. `traditional`: every slot recomputes from scratch. */
export type EngineMode = 'cached' | 'traditional';

/** One slot call: what the result is a function of, how to compute it, and how to say it in one line. */
export interface SlotCall<T> {
  slot: SlotId;
  /** Everything besides the inputs' fingerprint that the result depends on (plain JSON). */
  params: unknown;
  /** A digest of the inputs (bars, news version, question...). */
  fingerprint: string;
  tags?: readonly string[];
  compute: () => T;
  summarize: (value: T) => string;
  /** Keep the structured value in the slot run (for the UI); off for bulky values. */
  exposeValue?: boolean;
}

export interface SlotResult<T> {
  run: SlotRun;
  /** The value when the slot succeeded. */
  value: T | undefined;
  /** The cache key it lives under (cached mode), so other slots can read it. */
  key: string | null;
}

/**
 * Calls a slot through the safe wrapper: the pattern cache first (in cached mode), then the slot's own compute;
 * a slot that throws is reported (`ok: false`, the error) and the answer goes on without it. Latency is measured
 * per call and recorded in the performance monitor.
 *
 * Built-in slots are synchronous and run in microseconds to a millisecond on this thread, so nothing can interrupt
 * one mid-call; a slot that takes longer than its budget is reported with the time it took (its run carries the
 * error, and the answer lists it as degraded), so the UI and the benchmark see it. Work that is asynchronous (the
 * DQN policy's inference on onnxruntime, a future local LLM endpoint) goes through {@link withTimeout}, which does
 * stop waiting: the answer goes on without it.
 */
export class SlotRunner {
  constructor(
    private readonly cache: PatternCache,
    private readonly perf: PerfMonitor,
    public mode: EngineMode = 'cached',
    /** Per-call budget in µs before a slot counts as degraded. */
    private readonly budgetUs = 50_000,
  ) {}

  run<T>(call: SlotCall<T>): SlotResult<T> {
    const info = slotCatalog[call.slot];
    const started = process.hrtime.bigint();
    let value: T | undefined;
    let fromCache = false;
    let tier: CacheTier | null = null;
    let key: string | null = null;
    let error: string | undefined;
    try {
      if (this.mode === 'cached') {
        const outcome = this.cache.getOrComputeSync(
          {
            slot: call.slot,
            modelVersion: info.version,
            params: call.params,
            inputFingerprint: call.fingerprint,
            namespace: info.namespace,
            ttlClass: info.ttlClass,
            tags: call.tags,
          },
          call.compute,
        );
        value = outcome.value;
        key = outcome.key;
        fromCache = outcome.source === 'memory' || outcome.source === 'sqlite';
        tier = fromCache ? (outcome.source as CacheTier) : null;
      } else {
        value = call.compute();
      }
    } catch (e) {
      error = toApiError(e).message;
    }
    const latencyUs = Number(process.hrtime.bigint() - started) / 1000;
    if (error === undefined && latencyUs > this.budgetUs) {
      error = `took ${(latencyUs / 1000).toFixed(1)} ms, over its ${(this.budgetUs / 1000).toFixed(0)} ms budget`;
    }
    const ok = value !== undefined;
    let summary: string;
    try {
      summary = value !== undefined ? call.summarize(value) : `failed: ${error}`;
    } catch (e) {
      summary = `no summary (${toApiError(e).message})`;
    }
    this.perf.recordSlot(call.slot, latencyUs, fromCache, ok, summary);
    const run: SlotRun = {
      slot: call.slot,
      backend: `${info.backend} (${info.version})`,
      ok,
      fromCache,
      tier,
      latencyUs,
      summary,
      ...(call.exposeValue && value !== undefined ? { value } : {}),
      ...(error !== undefined ? { error } : {}),
    };
    return { run, value, key };
  }

  /** Stores a value computed elsewhere (the prefill worker) under the key the call would use. */
  store<T>(call: SlotCall<T>, value: T): void {
    if (this.mode !== 'cached') return;
    const info = slotCatalog[call.slot];
    const key = cacheKey({
      slot: call.slot,
      modelVersion: info.version,
      params: call.params,
      inputFingerprint: call.fingerprint,
    });
    this.cache.put(key, value, {
      namespace: info.namespace,
      slot: call.slot,
      modelVersion: info.version,
      ttlClass: info.ttlClass,
      ...(call.tags ? { tags: call.tags } : {}),
    });
  }

  /** Reads another slot's cached result without computing (how Qwen reads the slots that ran before). */
  peek<T>(slot: SlotId, params: unknown, fingerprint: string): T | undefined {
    if (this.mode !== 'cached') return undefined;
    const info = slotCatalog[slot];
    return this.cache.find<T>({
      slot,
      modelVersion: info.version,
      params,
      inputFingerprint: fingerprint,
      namespace: info.namespace,
    });
  }
}

/**
 * Waits for `work` at most `timeoutMs`; past that, rejects with a TIMEOUT error naming `what`, and the caller goes on
 * without the result (the work itself cannot be cancelled; its late result is dropped).
 */
export function withTimeout<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new AppError('TIMEOUT', `${what} did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
