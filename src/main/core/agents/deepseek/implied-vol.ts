/**
 * Implied volatility by safeguarded Newton: Newton steps on vega while they stay inside a bracket that always holds
 * the root, bisection whenever a step would leave it or vega is too flat (deep out of the money, near expiry). It
 * cannot diverge, and it refuses a price no volatility can produce.
 */
import type { ImpliedVolResult, OptionInputsInput } from '../../../../shared/domain/analysis';
import { AppError } from '../../../../shared/result';
import { bsPrice, bsVegaRaw, checkOptionInputs } from './black-scholes';

export interface ImpliedVolInput extends Omit<OptionInputsInput, 'volatility'> {
  /** Observed option price. */
  price: number;
}

const VOL_MIN = 1e-6;
const VOL_MAX = 20;

/**
 * The volatility at which Black-Scholes-Merton reproduces `price`. Throws `BAD_INPUT` when the price is at or
 * outside the no-arbitrage bounds (call: max(0, S·e^(−qT) − K·e^(−rT)) < C < S·e^(−qT); put: max(0, K·e^(−rT) −
 * S·e^(−qT)) < P < K·e^(−rT)), with the bounds in `details`.
 */
export function impliedVolatility(input: ImpliedVolInput): ImpliedVolResult {
  const { price, ...rest } = input;
  if (!Number.isFinite(price)) throw new AppError('BAD_INPUT', 'Option price must be a finite number');
  const x = checkOptionInputs({ ...rest, volatility: 0.2 });
  const fwdSpot = x.spot * Math.exp(-x.dividendYield * x.timeYears);
  const pvStrike = x.strike * Math.exp(-x.rate * x.timeYears);
  const lower = Math.max(0, x.right === 'call' ? fwdSpot - pvStrike : pvStrike - fwdSpot);
  const upper = x.right === 'call' ? fwdSpot : pvStrike;
  // Within a hair of the lower bound there is no time value left to invert: the volatility is undetermined.
  const hair = 1e-12 * Math.max(upper, 1);
  if (!(price > lower + hair && price < upper)) {
    throw new AppError(
      'BAD_INPUT',
      `A ${x.right} price of ${price} is outside the no-arbitrage bounds (${lower.toFixed(6)}, ${upper.toFixed(6)}) for these inputs, so no volatility produces it`,
      { lower, upper },
    );
  }
  const at = (volatility: number) => ({ ...x, volatility });
  if (bsPrice(at(VOL_MAX)) < price) {
    throw new AppError('BAD_INPUT', `A ${x.right} price of ${price} implies a volatility above ${VOL_MAX * 100}%`);
  }

  let lo = VOL_MIN;
  let hi = VOL_MAX;
  // Manaster-Koehler start: the volatility at which the option's inflection point sits at the money.
  const guess = Math.sqrt(
    (2 * Math.abs(Math.log(x.spot / x.strike) + (x.rate - x.dividendYield) * x.timeYears)) / x.timeYears,
  );
  let vol = Math.min(Math.max(Number.isFinite(guess) && guess > 0.01 ? guess : 0.3, 0.01), 5);
  let method: ImpliedVolResult['method'] = 'newton';
  const tol = 1e-12 * Math.max(1, price);
  let iterations = 0;
  let diff = bsPrice(at(vol)) - price;
  while (iterations < 200 && Math.abs(diff) > tol && hi - lo > 1e-15) {
    iterations++;
    if (diff > 0) hi = vol;
    else lo = vol;
    const vega = bsVegaRaw(at(vol));
    const step = vega > 1e-300 ? vol - diff / vega : Number.NaN;
    if (step > lo && step < hi) {
      vol = step;
    } else {
      vol = 0.5 * (lo + hi);
      method = 'newton+bisection';
    }
    diff = bsPrice(at(vol)) - price;
  }
  return { volatility: vol, iterations, method, priceError: diff };
}
