/**
 * How each simulated symbol behaves. The default watchlist has hand-set profiles shaped like the real names (SPY
 * tracks the market factor, NVDA and TSLA carry high beta and big earnings moves); any other ticker gets a profile
 * derived from a hash of its name, the same in every session and for every seed (the seed picks the path, the
 * profile the character).
 */
import { hashKey, Prng } from './prng';

/** The character of one simulated symbol. */
export interface SymbolProfile {
  symbol: string;
  /** Price at the synthetic epoch, and the level the log price reverts to (very slowly, half-life of a year). */
  anchorPrice: number;
  /** Long-run annualised volatility of daily log returns (all components together). */
  annualVol: number;
  /** Loading on the market factor. */
  beta: number;
  /** Sector whose factor the symbol shares ('index' has none). */
  sector: string;
  /** Idiosyncratic jumps per year (earnings, news), mostly as gaps at the open. */
  jumpsPerYear: number;
  /** Standard deviation of an idiosyncratic jump, in log return. */
  jumpSd: number;
  /** Average shares traded per regular session. */
  avgDailyVolume: number;
  /** Average trade prints per minute (more at the open and close, fewer at lunch). */
  ticksPerMinute: number;
}

/** Annualised volatility of the market factor, long run over the regimes. */
export const MARKET_ANNUAL_VOL = 0.15;

/** Annualised volatility of each sector factor. */
export const SECTOR_VOL: Readonly<Record<string, number>> = {
  index: 0,
  tech: 0.12,
  auto: 0.15,
  finance: 0.1,
  energy: 0.18,
  health: 0.1,
  consumer: 0.08,
  industrial: 0.09,
};

const DERIVED_SECTORS = ['tech', 'finance', 'energy', 'health', 'consumer', 'industrial'] as const;

/** Profiles of the default watchlist, shaped like the real names (start prices near their 2024 levels). */
export const DEFAULT_PROFILES: Readonly<Record<string, SymbolProfile>> = {
  SPY: {
    symbol: 'SPY',
    anchorPrice: 470,
    annualVol: 0.155,
    beta: 1,
    sector: 'index',
    jumpsPerYear: 0,
    jumpSd: 0,
    avgDailyVolume: 70_000_000,
    ticksPerMinute: 30,
  },
  AAPL: {
    symbol: 'AAPL',
    anchorPrice: 185,
    annualVol: 0.27,
    beta: 1.1,
    sector: 'tech',
    jumpsPerYear: 4,
    jumpSd: 0.04,
    avgDailyVolume: 55_000_000,
    ticksPerMinute: 26,
  },
  MSFT: {
    symbol: 'MSFT',
    anchorPrice: 375,
    annualVol: 0.25,
    beta: 1.0,
    sector: 'tech',
    jumpsPerYear: 4,
    jumpSd: 0.04,
    avgDailyVolume: 22_000_000,
    ticksPerMinute: 20,
  },
  NVDA: {
    symbol: 'NVDA',
    anchorPrice: 130,
    annualVol: 0.5,
    beta: 1.8,
    sector: 'tech',
    jumpsPerYear: 4,
    jumpSd: 0.07,
    avgDailyVolume: 250_000_000,
    ticksPerMinute: 30,
  },
  TSLA: {
    symbol: 'TSLA',
    anchorPrice: 250,
    annualVol: 0.58,
    beta: 1.9,
    sector: 'auto',
    jumpsPerYear: 5,
    jumpSd: 0.08,
    avgDailyVolume: 100_000_000,
    ticksPerMinute: 28,
  },
};

/** The profile of a symbol: the default one, or one derived from its name. */
export function profileFor(symbol: string): SymbolProfile {
  const known = DEFAULT_PROFILES[symbol];
  if (known) return known;
  const rng = new Prng(hashKey(0, 'profile', symbol));
  const logPrice = Math.log(10) + rng.next() * Math.log(40);
  return {
    symbol,
    anchorPrice: Math.round(Math.exp(logPrice) * 100) / 100,
    annualVol: 0.2 + rng.next() * 0.35,
    beta: 0.6 + rng.next() * 1.0,
    sector: DERIVED_SECTORS[rng.int(DERIVED_SECTORS.length)] as string,
    jumpsPerYear: 4,
    jumpSd: 0.03 + rng.next() * 0.05,
    avgDailyVolume: Math.round(Math.exp(Math.log(1e6) + rng.next() * Math.log(40))),
    ticksPerMinute: 8 + rng.int(12),
  };
}

/**
 * Annualised idiosyncratic volatility: what the total leaves after the market and sector factors (at least 1%, so
 * SPY still has a little tracking noise).
 */
export function idiosyncraticVol(profile: SymbolProfile): number {
  const sector = SECTOR_VOL[profile.sector] ?? 0;
  const rest = profile.annualVol ** 2 - (profile.beta * MARKET_ANNUAL_VOL) ** 2 - sector ** 2;
  return Math.sqrt(Math.max(rest, 0.01 ** 2));
}
