/**
 * Value at risk and expected shortfall (CVaR), historical and parametric (variance-covariance). Results are
 * positive loss fractions of the position; a multi-day horizon is scaled from per-period returns by √h (and the
 * mean by h), which assumes independent, identically distributed returns: each result states that assumption.
 */
import type { Assumption, VarResult } from '../../../../shared/domain/analysis';
import type { Bar } from '../../../../shared/domain/market';
import { AppError } from '../../../../shared/result';
import { normInv, normPdf } from './normal';

export interface VarOptions {
  /** 0.95 or 0.99 usually; anything strictly between 0.5 and 1. Default 0.95. */
  confidence?: number;
  /** Horizon in return periods (days for daily returns). Default 1. */
  horizonDays?: number;
  /** Position value in currency, to report the VaR as an amount too. */
  positionValue?: number;
}

function resolveVarOptions(o: VarOptions): { confidence: number; horizonDays: number; assumptions: Assumption[] } {
  const confidence = o.confidence ?? 0.95;
  const horizonDays = o.horizonDays ?? 1;
  if (!(confidence > 0.5 && confidence < 1)) {
    throw new AppError('BAD_INPUT', `VaR confidence must be between 0.5 and 1 (for example 0.95), got ${confidence}`);
  }
  if (!(horizonDays > 0 && Number.isFinite(horizonDays))) {
    throw new AppError('BAD_INPUT', `VaR horizon must be a positive number of days, got ${horizonDays}`);
  }
  if (o.positionValue !== undefined && !(Number.isFinite(o.positionValue) && o.positionValue >= 0)) {
    throw new AppError('BAD_INPUT', 'Position value must be a non-negative amount');
  }
  const assumptions: Assumption[] = [
    {
      input: 'confidence',
      value: confidence,
      source: o.confidence === undefined ? 'default' : 'user',
      note: o.confidence === undefined ? 'No confidence given: 95% used' : `${confidence * 100}% confidence`,
    },
    {
      input: 'horizonDays',
      value: horizonDays,
      source: o.horizonDays === undefined ? 'default' : 'user',
      note:
        horizonDays === 1
          ? 'One-period horizon, read directly from the returns'
          : `Scaled from one-period returns by √${horizonDays} (assumes independent, identically distributed returns)`,
    },
  ];
  return { confidence, horizonDays, assumptions };
}

function checkReturns(returns: readonly number[], what = 'returns'): void {
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i] as number;
    if (!Number.isFinite(r) || r <= -1) {
      throw new AppError('BAD_INPUT', `${what}[${i}] = ${r} is not a usable return (finite, above −100%)`);
    }
  }
}

/** Simple close-to-close returns c[t]/c[t−1] − 1 of a bar series (oldest first). */
export function simpleReturns(bars: readonly Bar[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < bars.length; i++) out.push((bars[i] as Bar).c / (bars[i - 1] as Bar).c - 1);
  return out;
}

function amounts(v: number, cv: number, positionValue: number | undefined) {
  return {
    varAmount: positionValue === undefined ? null : v * positionValue,
    cvarAmount: positionValue === undefined ? null : cv * positionValue,
  };
}

/**
 * Historical VaR: the (1 − confidence) quantile of the observed returns (linear interpolation between order
 * statistics, Hyndman-Fan type 7), negated; CVaR is the mean of the returns at or below that quantile, negated.
 * Needs at least 1/(1 − confidence) returns (20 at 95%, 100 at 99%) so that the tail holds an observation.
 */
export function historicalVar(returns: readonly number[], options: VarOptions = {}): VarResult {
  const { confidence, horizonDays, assumptions } = resolveVarOptions(options);
  checkReturns(returns);
  const n = returns.length;
  const need = Math.ceil(1 / (1 - confidence) - 1e-9);
  if (n < need) {
    throw new AppError(
      'BAD_INPUT',
      `A ${confidence * 100}% historical VaR needs at least ${need} returns, got ${n}: load more history or use the parametric method`,
    );
  }
  const sorted = [...returns].sort((a, b) => a - b);
  const h = (n - 1) * (1 - confidence);
  const i = Math.floor(h);
  const x0 = sorted[i] as number;
  const quantile = x0 + (h - i) * ((sorted[Math.min(i + 1, n - 1)] as number) - x0);
  let tailSum = 0;
  let tailCount = 0;
  for (const r of sorted) {
    if (r > quantile) break;
    tailSum += r;
    tailCount++;
  }
  const scale = Math.sqrt(horizonDays);
  const v = -quantile * scale;
  const cv = -(tailSum / Math.max(1, tailCount)) * scale;
  return {
    method: 'historical',
    confidence,
    horizonDays,
    var: v,
    cvar: cv,
    ...amounts(v, cv, options.positionValue),
    observations: n,
    assumptions: [
      ...assumptions,
      {
        input: 'observations',
        value: n,
        source: 'data',
        note: `Empirical distribution of ${n} returns; ${tailCount} in the tail beyond the VaR`,
      },
    ],
  };
}

export interface ParametricVarInput extends VarOptions {
  /** Returns to estimate the mean and standard deviation from... */
  returns?: readonly number[];
  /** ...or the per-period mean and standard deviation directly. */
  mean?: number;
  stdev?: number;
  /** Count the expected return against the loss (default true); false gives the zero-mean VaR regulators use. */
  includeMean?: boolean;
}

function meanStdev(returns: readonly number[]): { mean: number; stdev: number } {
  const n = returns.length;
  let mean = 0;
  let m2 = 0;
  returns.forEach((r, k) => {
    const d = r - mean;
    mean += d / (k + 1);
    m2 += d * (r - mean);
  });
  return { mean, stdev: Math.sqrt(m2 / (n - 1)) };
}

/**
 * Parametric (normal) VaR: z·σ·√h − μ·h, and CVaR σ·√h·φ(z)/(1 − confidence) − μ·h, with z = Φ⁻¹(confidence).
 * Normal tails are thinner than real ones: the result says so.
 */
export function parametricVar(input: ParametricVarInput): VarResult {
  const { confidence, horizonDays, assumptions } = resolveVarOptions(input);
  let mean: number;
  let stdev: number;
  let observations = 0;
  const extra: Assumption[] = [];
  if (input.returns !== undefined) {
    checkReturns(input.returns);
    if (input.returns.length < 2) throw new AppError('BAD_INPUT', 'Parametric VaR needs at least 2 returns');
    ({ mean, stdev } = meanStdev(input.returns));
    observations = input.returns.length;
    extra.push(
      { input: 'mean', value: mean, source: 'data', note: `Sample mean of ${observations} returns` },
      { input: 'stdev', value: stdev, source: 'data', note: `Sample standard deviation of ${observations} returns` },
    );
  } else {
    if (input.stdev === undefined || !(input.stdev >= 0 && Number.isFinite(input.stdev))) {
      throw new AppError('BAD_INPUT', 'Parametric VaR needs returns, or a non-negative standard deviation');
    }
    stdev = input.stdev;
    mean = input.mean ?? 0;
    if (!Number.isFinite(mean)) throw new AppError('BAD_INPUT', 'Mean return must be finite');
    extra.push(
      { input: 'stdev', value: stdev, source: 'user', note: 'Per-period standard deviation as given' },
      {
        input: 'mean',
        value: mean,
        source: input.mean === undefined ? 'default' : 'user',
        note: input.mean === undefined ? 'No mean return given: 0 assumed' : 'Per-period mean as given',
      },
    );
  }
  const includeMean = input.includeMean ?? true;
  const mu = includeMean ? mean * horizonDays : 0;
  const sigma = stdev * Math.sqrt(horizonDays);
  const z = normInv(confidence);
  const v = z * sigma - mu;
  const cv = (sigma * normPdf(z)) / (1 - confidence) - mu;
  extra.push({
    input: 'distribution',
    value: z,
    source: 'default',
    note: `Normal returns assumed (z = ${z.toFixed(4)}); real returns have fatter tails, so this understates extreme losses`,
  });
  return {
    method: 'parametric',
    confidence,
    horizonDays,
    var: v,
    cvar: cv,
    ...amounts(v, cv, input.positionValue),
    observations,
    assumptions: [...assumptions, ...extra],
  };
}

export interface PortfolioVarInput extends Omit<VarOptions, 'positionValue'> {
  /** Currency value of each position (negative for a short). */
  positionValues: readonly number[];
  /** Per-period returns of each position's asset, aligned in time (same length for all). */
  returns: readonly (readonly number[])[];
  includeMean?: boolean;
}

/**
 * Variance-covariance VaR of a portfolio: σ_p = √(wᵀ Σ w) with w the position values and Σ the sample covariance
 * of the assets' returns. `var` is a fraction of the gross exposure Σ|w|; `varAmount` is in currency.
 */
export function parametricPortfolioVar(input: PortfolioVarInput): VarResult {
  const { confidence, horizonDays, assumptions } = resolveVarOptions(input);
  const w = input.positionValues;
  const m = w.length;
  if (m === 0 || input.returns.length !== m) {
    throw new AppError(
      'BAD_INPUT',
      `Give one return series per position (${m} positions, ${input.returns.length} series)`,
    );
  }
  const n = input.returns[0]?.length ?? 0;
  if (n < 2 || input.returns.some((r) => r.length !== n)) {
    throw new AppError('BAD_INPUT', 'Return series must all have the same length, at least 2');
  }
  input.returns.forEach((r, k) => {
    checkReturns(r, `returns[${k}]`);
  });
  if (w.some((x) => !Number.isFinite(x))) throw new AppError('BAD_INPUT', 'Position values must be finite');
  const gross = w.reduce((s, x) => s + Math.abs(x), 0);
  if (gross === 0) throw new AppError('BAD_INPUT', 'The portfolio has no exposure');
  const means = input.returns.map((r) => r.reduce((s, x) => s + x, 0) / n);
  let variance = 0;
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < m; b++) {
      const ra = input.returns[a] as readonly number[];
      const rb = input.returns[b] as readonly number[];
      const ma = means[a] as number;
      const mb = means[b] as number;
      let cov = 0;
      for (let t = 0; t < n; t++) cov += ((ra[t] as number) - ma) * ((rb[t] as number) - mb);
      variance += (w[a] as number) * (w[b] as number) * (cov / (n - 1));
    }
  }
  const includeMean = input.includeMean ?? true;
  const mu = includeMean ? w.reduce((s, x, k) => s + x * (means[k] as number), 0) * horizonDays : 0;
  const sigma = Math.sqrt(Math.max(0, variance)) * Math.sqrt(horizonDays);
  const z = normInv(confidence);
  const varAmount = z * sigma - mu;
  const cvarAmount = (sigma * normPdf(z)) / (1 - confidence) - mu;
  return {
    method: 'parametric',
    confidence,
    horizonDays,
    var: varAmount / gross,
    cvar: cvarAmount / gross,
    varAmount,
    cvarAmount,
    observations: n,
    assumptions: [
      ...assumptions,
      {
        input: 'distribution',
        value: z,
        source: 'default',
        note: `Jointly normal returns with the sample covariance of ${n} periods; fat tails and changing correlations are not modelled`,
      },
      { input: 'grossExposure', value: gross, source: 'user', note: 'VaR as a fraction of Σ|position value|' },
    ],
  };
}
