/**
 * Position sizing: how many shares to buy. Three methods a trader uses: risk a fixed fraction of equity to a stop
 * (the default for discretionary trades), a capped fraction of the Kelly bet (for a system with a measured edge),
 * and volatility targeting (size so the position's volatility is a set share of equity). Sizes are whole lots,
 * rounded down: sizing never rounds up into more risk than asked.
 */
import type { Assumption, PositionSizingResult } from '../../../../shared/domain/analysis';
import { AppError } from '../../../../shared/result';

function positive(name: string, x: number): void {
  if (!(Number.isFinite(x) && x > 0)) throw new AppError('BAD_INPUT', `${name} must be a positive number, got ${x}`);
}

function wholeLots(amount: number, price: number, lotSize: number): number {
  const lots = Math.floor(amount / price / lotSize + 1e-9);
  return Math.max(0, lots) * lotSize;
}

function lotSizeOf(lotSize: number | undefined): number {
  const lot = lotSize ?? 1;
  if (!(Number.isInteger(lot) && lot >= 1))
    throw new AppError('BAD_INPUT', `Lot size must be a whole number ≥ 1, got ${lot}`);
  return lot;
}

export interface FixedFractionalInput {
  equity: number;
  /** Fraction of equity lost if the stop is hit (0.01 = 1%). */
  riskFraction: number;
  entryPrice: number;
  stopPrice: number;
  lotSize?: number;
  /** The position's notional may not exceed this fraction of equity (default 1: no leverage). */
  maxPositionFraction?: number;
}

/** Shares such that hitting the stop loses `riskFraction` of equity, capped by `maxPositionFraction`. */
export function fixedFractionalSize(input: FixedFractionalInput): PositionSizingResult {
  positive('Equity', input.equity);
  positive('Entry price', input.entryPrice);
  positive('Stop price', input.stopPrice);
  if (!(input.riskFraction > 0 && input.riskFraction <= 1)) {
    throw new AppError('BAD_INPUT', `Risk fraction must be in (0, 1] (0.01 = 1% of equity), got ${input.riskFraction}`);
  }
  const lot = lotSizeOf(input.lotSize);
  const maxFraction = input.maxPositionFraction ?? 1;
  positive('Maximum position fraction', maxFraction);
  const riskPerShare = Math.abs(input.entryPrice - input.stopPrice);
  if (riskPerShare === 0)
    throw new AppError('BAD_INPUT', 'The stop is at the entry price: there is no distance to size on');
  const byRisk = Math.max(0, Math.floor((input.equity * input.riskFraction) / riskPerShare / lot + 1e-9)) * lot;
  const byCap = wholeLots(input.equity * maxFraction, input.entryPrice, lot);
  const shares = Math.min(byRisk, byCap);
  const notional = shares * input.entryPrice;
  return {
    method: 'fixed_fractional',
    shares,
    notional,
    fraction: notional / input.equity,
    riskAmount: shares * riskPerShare,
    capped: byCap < byRisk,
    assumptions: [
      {
        input: 'riskFraction',
        value: input.riskFraction,
        source: 'user',
        note: `Risk ${(input.riskFraction * 100).toFixed(2)}% of equity between entry ${input.entryPrice} and stop ${input.stopPrice}`,
      },
      {
        input: 'maxPositionFraction',
        value: maxFraction,
        source: input.maxPositionFraction === undefined ? 'default' : 'user',
        note:
          input.maxPositionFraction === undefined
            ? 'No cap given: the position may use at most 100% of equity (no leverage)'
            : 'Notional capped at this fraction of equity',
      },
      {
        input: 'gapRisk',
        value: riskPerShare,
        source: 'default',
        note: 'Assumes the stop fills at its price; a gap through it loses more',
      },
    ],
  };
}

/** Full Kelly fraction for a bet won with probability p paying `winLossRatio` times the amount lost: p − (1 − p)/b. */
export function kellyFraction(winProbability: number, winLossRatio: number): number {
  if (!(winProbability >= 0 && winProbability <= 1)) {
    throw new AppError('BAD_INPUT', `Win probability must be between 0 and 1, got ${winProbability}`);
  }
  positive('Win/loss ratio', winLossRatio);
  return winProbability - (1 - winProbability) / winLossRatio;
}

export interface KellyInput {
  equity: number;
  price: number;
  winProbability: number;
  /** Average win divided by average loss. */
  winLossRatio: number;
  /** Multiplier on full Kelly (default 0.5, "half Kelly": estimation error makes full Kelly too aggressive). */
  kellyMultiplier?: number;
  /** Hard cap on the fraction of equity (default 0.25). */
  cap?: number;
  lotSize?: number;
}

/** Shares worth min(cap, multiplier × Kelly) of equity; none without an edge. */
export function kellySize(input: KellyInput): PositionSizingResult {
  positive('Equity', input.equity);
  positive('Price', input.price);
  const lot = lotSizeOf(input.lotSize);
  const multiplier = input.kellyMultiplier ?? 0.5;
  const cap = input.cap ?? 0.25;
  if (!(multiplier > 0 && multiplier <= 1)) throw new AppError('BAD_INPUT', 'Kelly multiplier must be in (0, 1]');
  if (!(cap > 0 && cap <= 1)) throw new AppError('BAD_INPUT', 'Kelly cap must be in (0, 1]');
  const full = kellyFraction(input.winProbability, input.winLossRatio);
  const wanted = Math.max(0, full * multiplier);
  const fraction = Math.min(wanted, cap);
  const shares = wholeLots(input.equity * fraction, input.price, lot);
  const notional = shares * input.price;
  const assumptions: Assumption[] = [
    {
      input: 'kellyMultiplier',
      value: multiplier,
      source: input.kellyMultiplier === undefined ? 'default' : 'user',
      note: `Full Kelly is ${(full * 100).toFixed(1)}% of equity${full <= 0 ? ' (no edge: no position)' : ''}; ${multiplier === 0.5 ? 'half' : `${multiplier}×`} Kelly used`,
    },
    {
      input: 'cap',
      value: cap,
      source: input.cap === undefined ? 'default' : 'user',
      note: `At most ${(cap * 100).toFixed(0)}% of equity whatever Kelly says`,
    },
  ];
  return {
    method: 'kelly',
    shares,
    notional,
    fraction: notional / input.equity,
    riskAmount: null,
    capped: wanted > cap,
    assumptions,
  };
}

export interface VolatilityTargetInput {
  equity: number;
  price: number;
  /** Annualised volatility the position should contribute (0.10 = 10% of equity). */
  targetVolatility: number;
  /** The asset's annualised volatility (realised or implied). */
  assetVolatility: number;
  /** Notional cap as a multiple of equity (default 1: no leverage). */
  maxLeverage?: number;
  lotSize?: number;
}

/** Shares worth equity × target/asset volatility, capped at `maxLeverage` × equity. */
export function volatilityTargetSize(input: VolatilityTargetInput): PositionSizingResult {
  positive('Equity', input.equity);
  positive('Price', input.price);
  positive('Target volatility', input.targetVolatility);
  positive('Asset volatility', input.assetVolatility);
  const lot = lotSizeOf(input.lotSize);
  const maxLeverage = input.maxLeverage ?? 1;
  positive('Maximum leverage', maxLeverage);
  const wanted = input.targetVolatility / input.assetVolatility;
  const weight = Math.min(wanted, maxLeverage);
  const shares = wholeLots(input.equity * weight, input.price, lot);
  const notional = shares * input.price;
  return {
    method: 'volatility_target',
    shares,
    notional,
    fraction: notional / input.equity,
    riskAmount: null,
    capped: wanted > maxLeverage,
    assumptions: [
      {
        input: 'assetVolatility',
        value: input.assetVolatility,
        source: 'user',
        note: 'Assumes the asset keeps this volatility over the holding period',
      },
      {
        input: 'maxLeverage',
        value: maxLeverage,
        source: input.maxLeverage === undefined ? 'default' : 'user',
        note:
          input.maxLeverage === undefined
            ? 'No leverage: notional at most equity'
            : 'Notional cap as a multiple of equity',
      },
    ],
  };
}
