import type { PerfSample } from '../../../shared/contract/engine';
import type { LatencySummary } from '../../../shared/domain/cache';
import type { SlotId } from '../../../shared/domain/intent';
import { LatencyHistogram } from '../cache/latency-histogram';

interface SlotCounters {
  calls: number;
  errors: number;
  hits: number;
  latency: LatencyHistogram;
  last: { summary: string; latencyUs: number; fromCache: boolean; ok: boolean; t: number } | null;
}

const SAMPLES = 120;

/**
 * The performance monitor: latency histograms (p50/p95/p99) per slot, per query kind and for decisions, hit
 * counts, and a one-sample-per-second series for the desk's live plots. Recording costs two array writes.
 */
export class PerfMonitor {
  private readonly slots = new Map<SlotId, SlotCounters>();
  private readonly queries = new LatencyHistogram();
  private readonly byKind = new Map<string, LatencyHistogram>();
  private readonly decisions = new LatencyHistogram();
  private lookups = 0;
  private hits = 0;
  private readonly samples: PerfSample[] = [];
  // The current second's window.
  private window = { queries: 0, decisions: 0, lookups: 0, hits: 0, latency: new LatencyHistogram() };

  constructor(private readonly wallClock: () => number = Date.now) {}

  private slot(id: SlotId): SlotCounters {
    let s = this.slots.get(id);
    if (!s) {
      s = { calls: 0, errors: 0, hits: 0, latency: new LatencyHistogram(), last: null };
      this.slots.set(id, s);
    }
    return s;
  }

  recordSlot(id: SlotId, latencyUs: number, fromCache: boolean, ok: boolean, summary?: string): void {
    const s = this.slot(id);
    s.calls++;
    if (!ok) s.errors++;
    if (fromCache) s.hits++;
    s.latency.record(latencyUs * 1000);
    this.lookups++;
    this.window.lookups++;
    if (fromCache) {
      this.hits++;
      this.window.hits++;
    }
    if (summary !== undefined) s.last = { summary, latencyUs, fromCache, ok, t: this.wallClock() };
  }

  /** Keeps the slot's latest summary for the agent panel (the runner records latency separately). */
  noteLast(id: SlotId, last: { summary: string; latencyUs: number; fromCache: boolean; ok: boolean }): void {
    this.slot(id).last = { ...last, t: this.wallClock() };
  }

  recordQuery(kind: string, latencyUs: number): void {
    this.queries.record(latencyUs * 1000);
    let h = this.byKind.get(kind);
    if (!h) {
      h = new LatencyHistogram();
      this.byKind.set(kind, h);
    }
    h.record(latencyUs * 1000);
    this.window.queries++;
    this.window.latency.record(latencyUs * 1000);
  }

  recordDecision(latencyUs: number): void {
    this.decisions.record(latencyUs * 1000);
    this.window.decisions++;
    this.window.latency.record(latencyUs * 1000);
  }

  /** Closes the current one-second window (the engine calls it once a second). */
  sample(rejected: number): void {
    const w = this.window;
    this.samples.push({
      t: this.wallClock(),
      queriesPerSec: w.queries,
      decisionsPerSec: w.decisions,
      p99Us: w.latency.quantileNs(0.99) / 1000,
      hitRate: w.lookups === 0 ? 0 : w.hits / w.lookups,
      rejected,
    });
    if (this.samples.length > SAMPLES) this.samples.shift();
    this.window = { queries: 0, decisions: 0, lookups: 0, hits: 0, latency: new LatencyHistogram() };
  }

  slotStats(id: SlotId): {
    calls: number;
    errors: number;
    cacheHits: number;
    hitRate: number;
    latency: LatencySummary;
    last: SlotCounters['last'];
  } {
    const s = this.slot(id);
    return {
      calls: s.calls,
      errors: s.errors,
      cacheHits: s.hits,
      hitRate: s.calls === 0 ? 0 : s.hits / s.calls,
      latency: s.latency.summary(),
      last: s.last,
    };
  }

  queryStats(): { count: number; latency: LatencySummary; byKind: Record<string, LatencySummary> } {
    return {
      count: this.queries.count,
      latency: this.queries.summary(),
      byKind: Object.fromEntries([...this.byKind].map(([k, h]) => [k, h.summary()])),
    };
  }

  decisionStats(): { count: number; latency: LatencySummary } {
    return { count: this.decisions.count, latency: this.decisions.summary() };
  }

  hitRate(): number {
    return this.lookups === 0 ? 0 : this.hits / this.lookups;
  }

  recentSamples(): PerfSample[] {
    return [...this.samples];
  }
}
