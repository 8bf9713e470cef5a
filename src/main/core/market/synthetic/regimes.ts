/**
 * The market-wide regime of the synthetic market: a Markov chain over trading days, shared by every symbol. A
 * regime sets the market's drift, the level of volatility (every factor scales with it), how often jumps happen and
 * how busy trading is.
 */
import type { Prng } from './prng';

/** The regimes, in the order of {@link REGIMES}. */
export const regimeNames = ['calm-bull', 'choppy', 'high-vol-bear'] as const;
export type RegimeName = (typeof regimeNames)[number];

/** How one regime shapes the market. */
export interface RegimeParams {
  name: RegimeName;
  /** Multiplier on every factor's volatility. */
  volMult: number;
  /** Annualised drift of the market factor, in log return. */
  driftAnnual: number;
  /** Multiplier on jump intensities. */
  jumpMult: number;
  /** Multiplier on traded volume. */
  volumeMult: number;
  /** Mean length of the regime in trading days. */
  meanDays: number;
  /** Where the chain goes when it leaves this regime: probabilities over all regimes (own entry 0). */
  exits: readonly [number, number, number];
}

/** The three regimes. Average durations: calm bull 70 days, choppy 35, high-volatility bear 22. */
export const REGIMES: readonly RegimeParams[] = [
  {
    name: 'calm-bull',
    volMult: 0.75,
    driftAnnual: 0.22,
    jumpMult: 0.5,
    volumeMult: 0.85,
    meanDays: 70,
    exits: [0, 0.8, 0.2],
  },
  { name: 'choppy', volMult: 1.05, driftAnnual: 0, jumpMult: 1, volumeMult: 1, meanDays: 35, exits: [0.6, 0, 0.4] },
  {
    name: 'high-vol-bear',
    volMult: 1.9,
    driftAnnual: -0.45,
    jumpMult: 3,
    volumeMult: 1.5,
    meanDays: 22,
    exits: [0.35, 0.65, 0],
  },
];

/** The next day's regime index. */
export function nextRegime(current: number, rng: Prng): number {
  const params = REGIMES[current] as RegimeParams;
  if (!rng.chance(1 / params.meanDays)) return current;
  const u = rng.next();
  let acc = 0;
  for (let i = 0; i < REGIMES.length; i++) {
    acc += params.exits[i] as number;
    if (u < acc) return i;
  }
  return current === 0 ? 1 : 0;
}
