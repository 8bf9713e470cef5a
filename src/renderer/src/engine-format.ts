/**
 * Display formatting for the engine's numbers: latencies (measured in microseconds), hit rates, byte counts and the
 * slots' display names. Kept apart from `format.ts`, which formats money and prices.
 */
import { type SlotId, slotIds, slotNames } from '../../shared/domain/intent';

/** "18 µs", "0.62 ms", "9.7 ms", "42 ms", "1.25 s"; an em dash when there is nothing measured. */
export function formatLatencyUs(us: number | null | undefined): string {
  if (us === null || us === undefined || !Number.isFinite(us) || us < 0) return '—';
  if (us < 100) return `${Math.round(us)} µs`;
  if (us < 1_000) return `${(us / 1_000).toFixed(2)} ms`;
  if (us < 10_000) return `${(us / 1_000).toFixed(1)} ms`;
  if (us < 1_000_000) return `${Math.round(us / 1_000)} ms`;
  return `${(us / 1_000_000).toFixed(2)} s`;
}

/** A ratio from 0 to 1 as a whole percentage: "67%"; an em dash when undefined. */
export function formatRatio(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  return `${Math.round(ratio * 100)}%`;
}

/** "512 B", "261 KB", "12.4 MB" (powers of 1024, as the cache budgets are set in MB). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

/** Whole counts with grouping: "1,204". */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** The seed's name of a slot ("Moonshot"), "DQN policy" for the policy, or the id itself for anything unknown. */
export function slotLabel(id: string): string {
  if (id === 'policy' || id === 'dqn') return 'DQN policy';
  return (slotIds as readonly string[]).includes(id) ? slotNames[id as SlotId] : id;
}

/** A signal from -1 to +1 as "+0.81" / "-0.14". */
export function formatSignal(signal: number): string {
  if (!Number.isFinite(signal)) return '—';
  return `${signal > 0 ? '+' : signal < 0 ? '-' : '±'}${Math.abs(signal).toFixed(2)}`;
}
