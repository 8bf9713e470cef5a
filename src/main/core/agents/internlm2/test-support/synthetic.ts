/**
 * Test-only deterministic bar series: a seeded random walk (or flat noise) whose every bar is a valid OHLCV bar.
 * Used where a test needs many bars or a controlled shape; real-data checks read /work/shared/data instead.
 */
import type { Bar } from '../../../../../shared/domain/market';
import { seededRandom } from '../../../testing/seeded-random';

/** Standard normal draws from a seeded uniform source (Box-Muller). */
export function seededNormal(seed: number): () => number {
  const u = seededRandom(seed);
  return () => {
    const a = Math.max(u(), 1e-12);
    return Math.sqrt(-2 * Math.log(a)) * Math.cos(2 * Math.PI * u());
  };
}

export interface SyntheticOptions {
  seed?: number;
  start?: number;
  /** Per-bar log-return standard deviation of the walk. */
  vol?: number;
  /** `walk`: prices drift as a random walk; `flat`: every close is `start` plus independent noise. */
  mode?: 'walk' | 'flat';
  t0?: number;
  stepMs?: number;
}

export function syntheticBars(count: number, options: SyntheticOptions = {}): Bar[] {
  const { seed = 1, start = 100, vol = 0.01, mode = 'walk', t0 = Date.UTC(2020, 0, 1), stepMs = 86_400_000 } = options;
  const normal = seededNormal(seed);
  const uniform = seededRandom(seed + 1);
  const bars: Bar[] = [];
  let prev = start;
  for (let i = 0; i < count; i++) {
    const o = prev * Math.exp(vol * 0.2 * normal());
    const c = mode === 'walk' ? o * Math.exp(vol * normal()) : start * Math.exp(vol * normal());
    const h = Math.max(o, c) * (1 + vol * 0.5 * uniform());
    const l = Math.min(o, c) * (1 - vol * 0.5 * uniform());
    bars.push({ t: t0 + i * stepMs, o, h, l, c, v: Math.round(1_000_000 * (0.5 + uniform())) });
    prev = c;
  }
  return bars;
}
