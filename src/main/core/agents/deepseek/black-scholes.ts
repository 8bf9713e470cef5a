/**
 * Black-Scholes-Merton prices and Greeks for European options on a stock with a continuous dividend yield.
 * Greeks are in trader units (see {@link greeksSchema}): vega per volatility point, theta per calendar day, rho per
 * 1% of rate.
 */
import {
  type Greeks,
  type OptionInputs,
  type OptionInputsInput,
  type OptionQuote,
  optionInputsSchema,
} from '../../../../shared/domain/analysis';
import { AppError, formatZodError } from '../../../../shared/result';
import { normCdf, normPdf } from './normal';

/** Checks and completes option inputs; throws `BAD_INPUT` naming the field (a zero strike, a negative time…). */
export function checkOptionInputs(input: OptionInputsInput): OptionInputs {
  const parsed = optionInputsSchema.safeParse(input);
  if (!parsed.success) throw new AppError('BAD_INPUT', `Invalid option inputs: ${formatZodError(parsed.error)}`);
  if (parsed.data.volatility > 10) {
    throw new AppError('BAD_INPUT', `Volatility ${parsed.data.volatility} is over 1000%: give it as a fraction (0.45)`);
  }
  return parsed.data;
}

interface Terms {
  d1: number;
  d2: number;
  sqrtT: number;
  /** S·e^(−qT) */
  fwdSpot: number;
  /** K·e^(−rT) */
  pvStrike: number;
}

function terms(x: OptionInputs): Terms {
  const sqrtT = Math.sqrt(x.timeYears);
  const volT = x.volatility * sqrtT;
  const d1 = (Math.log(x.spot / x.strike) + (x.rate - x.dividendYield + 0.5 * x.volatility ** 2) * x.timeYears) / volT;
  return {
    d1,
    d2: d1 - volT,
    sqrtT,
    fwdSpot: x.spot * Math.exp(-x.dividendYield * x.timeYears),
    pvStrike: x.strike * Math.exp(-x.rate * x.timeYears),
  };
}

/** The model price alone (the inner loop of implied volatility). Inputs must already be checked. */
export function bsPrice(x: OptionInputs): number {
  const { d1, d2, fwdSpot, pvStrike } = terms(x);
  return x.right === 'call'
    ? fwdSpot * normCdf(d1) - pvStrike * normCdf(d2)
    : pvStrike * normCdf(-d2) - fwdSpot * normCdf(-d1);
}

/** ∂price/∂σ per unit of volatility (not per point): what Newton's method needs. Inputs must already be checked. */
export function bsVegaRaw(x: OptionInputs): number {
  const { d1, sqrtT, fwdSpot } = terms(x);
  return fwdSpot * normPdf(d1) * sqrtT;
}

export function bsGreeks(x: OptionInputs): Greeks {
  const { d1, d2, sqrtT, fwdSpot, pvStrike } = terms(x);
  const pdf = normPdf(d1);
  const q = x.dividendYield;
  const decay = (-fwdSpot * pdf * x.volatility) / (2 * sqrtT);
  if (x.right === 'call') {
    return {
      delta: Math.exp(-q * x.timeYears) * normCdf(d1),
      gamma: (Math.exp(-q * x.timeYears) * pdf) / (x.spot * x.volatility * sqrtT),
      vega: (fwdSpot * pdf * sqrtT) / 100,
      theta: (decay - x.rate * pvStrike * normCdf(d2) + q * fwdSpot * normCdf(d1)) / 365,
      rho: (x.strike * x.timeYears * Math.exp(-x.rate * x.timeYears) * normCdf(d2)) / 100,
    };
  }
  return {
    delta: Math.exp(-q * x.timeYears) * (normCdf(d1) - 1),
    gamma: (Math.exp(-q * x.timeYears) * pdf) / (x.spot * x.volatility * sqrtT),
    vega: (fwdSpot * pdf * sqrtT) / 100,
    theta: (decay + x.rate * pvStrike * normCdf(-d2) - q * fwdSpot * normCdf(-d1)) / 365,
    rho: (-x.strike * x.timeYears * Math.exp(-x.rate * x.timeYears) * normCdf(-d2)) / 100,
  };
}

/** Price, Greeks, intrinsic and time value, and the risk-neutral probability of expiring in the money. */
export function priceOption(input: OptionInputsInput): OptionQuote {
  const x = checkOptionInputs(input);
  const price = bsPrice(x);
  const intrinsic = Math.max(0, x.right === 'call' ? x.spot - x.strike : x.strike - x.spot);
  const { d2 } = terms(x);
  return {
    inputs: x,
    price,
    greeks: bsGreeks(x),
    intrinsic,
    timeValue: price - intrinsic,
    probabilityItm: x.right === 'call' ? normCdf(d2) : normCdf(-d2),
  };
}

/**
 * Put-call parity residual C − P − (S·e^(−qT) − K·e^(−rT)): zero for consistent European prices; a trader reads a
 * non-zero value as a mispricing (or as dividends or early exercise the model does not know about).
 */
export function putCallParityGap(
  callPrice: number,
  putPrice: number,
  x: Pick<OptionInputs, 'spot' | 'strike' | 'timeYears' | 'rate' | 'dividendYield'>,
): number {
  const fwdSpot = x.spot * Math.exp(-x.dividendYield * x.timeYears);
  const pvStrike = x.strike * Math.exp(-x.rate * x.timeYears);
  return callPrice - putPrice - (fwdSpot - pvStrike);
}
