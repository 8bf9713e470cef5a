/**
 * DeepSeek slot, built-in model: answers "calculate the Black-Scholes price of a TSLA 250 call expiring in 30 days".
 * What the user did not say is taken from the data (spot = last close, volatility = realised volatility of recent
 * closes) or from a stated default (rate, dividend yield), and every input comes back as an {@link Assumption} with
 * its source, so the answer can say what it assumed.
 */
import {
  type Assumption,
  defaultPeriodsPerYear,
  type OptionAnalysis,
  type OptionRequest,
  optionRequestSchema,
} from '../../../../shared/domain/analysis';
import type { Bar, Timeframe } from '../../../../shared/domain/market';
import { AppError, formatZodError } from '../../../../shared/result';
import { bsPrice, priceOption } from './black-scholes';
import { MODEL_VERSION } from './model-version';

export { MODEL_VERSION };

/** Risk-free rate used when the user gives none (continuously compounded, annual). */
export const DEFAULT_RATE = 0.045;
/** Bars of realised volatility used when the user gives no volatility (30 trading days on daily bars). */
export const DEFAULT_VOL_WINDOW = 30;
const MIN_VOL_RETURNS = 10;

export interface OptionData {
  /** The symbol's bars, oldest first. */
  bars: readonly Bar[];
  /** Timeframe of the bars, for annualising volatility (default daily). */
  timeframe?: Timeframe;
  /** Bars per year, overriding the timeframe's default (24/7 markets). */
  periodsPerYear?: number;
}

/**
 * Annualised realised volatility: sample standard deviation of the last `window` log returns × √(bars per year).
 * Uses fewer returns when fewer exist; throws `BAD_INPUT` below 2.
 */
export function realizedVolatility(bars: readonly Bar[], window: number, periodsPerYear: number): number {
  const start = Math.max(1, bars.length - window);
  const returns: number[] = [];
  for (let i = start; i < bars.length; i++) returns.push(Math.log((bars[i] as Bar).c / (bars[i - 1] as Bar).c));
  if (returns.length < 2) throw new AppError('BAD_INPUT', 'Realised volatility needs at least 3 bars');
  const mean = returns.reduce((s, r) => s + r, 0) / returns.length;
  const ss = returns.reduce((s, r) => s + (r - mean) ** 2, 0);
  return Math.sqrt(ss / (returns.length - 1)) * Math.sqrt(periodsPerYear);
}

function day(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * Prices the requested option with Black-Scholes-Merton, filling missing inputs from `data` and defaults. Throws
 * `BAD_INPUT` for impossible inputs (a strike or spot that is not positive, an expiry that is not in the future) or
 * when a missing input cannot be taken from the data (no bars, too few bars for a volatility).
 */
export function analyzeOptionRequest(request: OptionRequest, data: OptionData): OptionAnalysis {
  const parsed = optionRequestSchema.safeParse(request);
  if (!parsed.success) throw new AppError('BAD_INPUT', `Invalid option request: ${formatZodError(parsed.error)}`);
  const req = parsed.data;
  const symbol = req.symbol.toUpperCase();
  if (!(Number.isFinite(req.strike) && req.strike > 0)) {
    throw new AppError('BAD_INPUT', `Strike must be a positive price, got ${req.strike}`);
  }
  if (!(Number.isFinite(req.daysToExpiry) && req.daysToExpiry > 0)) {
    throw new AppError(
      'BAD_INPUT',
      `Days to expiry must be more than 0, got ${req.daysToExpiry}: an expired option has only its intrinsic value`,
    );
  }
  if (req.daysToExpiry > 3650)
    throw new AppError('BAD_INPUT', 'Days to expiry above 10 years is not an option we price');
  const bars = data.bars;
  const last = bars.at(-1);
  const assumptions: Assumption[] = [];
  let usedData = false;

  let spot: number;
  if (req.spot !== undefined) {
    if (!(Number.isFinite(req.spot) && req.spot > 0))
      throw new AppError('BAD_INPUT', `Spot must be a positive price, got ${req.spot}`);
    spot = req.spot;
    assumptions.push({ input: 'spot', value: spot, source: 'user', note: 'Spot price as given' });
  } else {
    if (!last) {
      throw new AppError(
        'BAD_INPUT',
        `No spot price given and no bars for ${symbol}: import its prices or give a spot`,
      );
    }
    spot = last.c;
    usedData = true;
    assumptions.push({ input: 'spot', value: spot, source: 'data', note: `Last close of ${symbol} on ${day(last.t)}` });
  }

  let volatility: number;
  if (req.volatility !== undefined) {
    if (!(Number.isFinite(req.volatility) && req.volatility > 0 && req.volatility <= 10)) {
      throw new AppError('BAD_INPUT', `Volatility must be a positive fraction (0.45 = 45%), got ${req.volatility}`);
    }
    volatility = req.volatility;
    assumptions.push({ input: 'volatility', value: volatility, source: 'user', note: 'Volatility as given' });
  } else {
    if (bars.length < MIN_VOL_RETURNS + 1) {
      throw new AppError(
        'BAD_INPUT',
        `No volatility given and only ${bars.length} bars of ${symbol}: at least ${MIN_VOL_RETURNS + 1} are needed to estimate it`,
      );
    }
    const timeframe = data.timeframe ?? '1d';
    const perYear = data.periodsPerYear ?? defaultPeriodsPerYear[timeframe];
    const returns = Math.min(DEFAULT_VOL_WINDOW, bars.length - 1);
    volatility = realizedVolatility(bars, DEFAULT_VOL_WINDOW, perYear);
    if (!(volatility > 0)) {
      throw new AppError(
        'BAD_INPUT',
        `${symbol}'s recent closes do not move (realised volatility 0): give a volatility`,
      );
    }
    usedData = true;
    const unit = timeframe === '1d' ? 'daily' : `${timeframe}`;
    assumptions.push({
      input: 'volatility',
      value: volatility,
      source: 'data',
      note: `Realised volatility of the last ${returns} ${unit} log returns to ${day((last as Bar).t)}, annualised ×√${perYear}; implied volatility is usually different`,
    });
  }

  const rate = req.rate ?? DEFAULT_RATE;
  if (!Number.isFinite(rate) || Math.abs(rate) > 1)
    throw new AppError('BAD_INPUT', `Rate must be a fraction (0.045 = 4.5%), got ${rate}`);
  assumptions.push({
    input: 'rate',
    value: rate,
    source: req.rate === undefined ? 'default' : 'user',
    note:
      req.rate === undefined
        ? `No rate given: ${DEFAULT_RATE * 100}% risk-free (continuously compounded) assumed`
        : 'Rate as given',
  });

  const dividendYield = req.dividendYield ?? 0;
  if (!Number.isFinite(dividendYield) || dividendYield < 0 || dividendYield > 1) {
    throw new AppError('BAD_INPUT', `Dividend yield must be a fraction between 0 and 1, got ${dividendYield}`);
  }
  assumptions.push({
    input: 'dividendYield',
    value: dividendYield,
    source: req.dividendYield === undefined ? 'default' : 'user',
    note: req.dividendYield === undefined ? 'No dividend yield given: 0 assumed' : 'Continuous dividend yield as given',
  });

  const timeYears = req.daysToExpiry / 365;
  assumptions.push({
    input: 'timeYears',
    value: timeYears,
    source: 'default',
    note: `${req.daysToExpiry} calendar days / 365; European exercise (an American put can be worth more)`,
  });

  const quote = priceOption({ right: req.right, spot, strike: req.strike, timeYears, volatility, rate, dividendYield });
  const parityPrice = bsPrice({ ...quote.inputs, right: req.right === 'call' ? 'put' : 'call' });
  return {
    symbol,
    daysToExpiry: req.daysToExpiry,
    quote,
    parityPrice,
    asOfT: usedData && last ? last.t : null,
    assumptions,
  };
}
