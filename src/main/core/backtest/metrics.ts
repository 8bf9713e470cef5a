import { type Timeframe, timeframeMs } from '../../../shared/domain/market';
import type { RoundTrip } from './round-trips';

const YEAR_MS = 365.25 * 86_400_000;

/**
 * Bars per year of a US equity session (252 days of 6.5 hours), used when the data is too short to measure its
 * own density.
 */
export const sessionPeriodsPerYear: Record<Timeframe, number> = {
  '1m': 252 * 390,
  '5m': 252 * 78,
  '15m': 252 * 26,
  '1h': 252 * 6.5,
  '1d': 252,
};

/** Risk and return of one equity curve. Ratios are fractions (0.12 is 12%); null where undefined. */
export interface CurveMetrics {
  totalReturn: number;
  cagr: number | null;
  /** Annualised mean over standard deviation of bar returns (risk-free rate 0). */
  sharpe: number | null;
  /** Annualised mean over downside deviation of bar returns (target 0). */
  sortino: number | null;
  /** Largest peak-to-trough fall, as a positive fraction of the peak. */
  maxDrawdown: number;
  /** Bars from that peak to the recovery (or to the end, if it never recovered). */
  maxDrawdownBars: number;
  /** Annualised standard deviation of bar returns. */
  volatility: number | null;
}

export interface TradeMetrics {
  trades: number;
  /** Share of closed trades with a positive net P&L; null without closed trades. */
  winRate: number | null;
  /** Gross profit over gross loss of closed trades; null when there is no loss (or no trade). */
  profitFactor: number | null;
  averageTradePct: number | null;
  bestTradePct: number | null;
  worstTradePct: number | null;
}

export interface PeriodInfo {
  bars: number;
  years: number;
  periodsPerYear: number;
  /** `measured`: bars per year of this data; `session`: the equity-session table (data shorter than 3 months). */
  periodsSource: 'measured' | 'session';
}

/**
 * How many bars make a year for annualising: measured from the data itself when it spans three months or more
 * (so daily stock data gives ~252, 24/7 minute data ~525,960, each with its own holidays and gaps), otherwise the
 * US equity-session count for the timeframe.
 */
export function periodInfo(firstT: number, lastT: number, bars: number, timeframe: Timeframe): PeriodInfo {
  const spanMs = lastT - firstT + timeframeMs[timeframe];
  const years = spanMs / YEAR_MS;
  if (years >= 0.25 && bars >= 30) return { bars, years, periodsPerYear: bars / years, periodsSource: 'measured' };
  return { bars, years, periodsPerYear: sessionPeriodsPerYear[timeframe], periodsSource: 'session' };
}

/** Metrics of an equity curve sampled once per bar, starting from `start` before the first bar. */
export function curveMetrics(start: number, equity: ArrayLike<number>, period: PeriodInfo): CurveMetrics {
  const n = equity.length;
  const end = n > 0 ? (equity[n - 1] as number) : start;
  const totalReturn = end / start - 1;
  const cagr = period.years > 0 ? (end > 0 ? (end / start) ** (1 / period.years) - 1 : -1) : null;

  let sum = 0;
  let sumSq = 0;
  let downSq = 0;
  let prev = start;
  let peak = start;
  let peakIndex = -1;
  let maxDrawdown = 0;
  let maxDrawdownBars = 0;
  let ddStart = -1;
  for (let i = 0; i < n; i++) {
    const e = equity[i] as number;
    const r = prev > 0 ? e / prev - 1 : 0;
    sum += r;
    sumSq += r * r;
    if (r < 0) downSq += r * r;
    prev = e;
    if (e >= peak) {
      if (ddStart >= 0) maxDrawdownBars = Math.max(maxDrawdownBars, i - ddStart);
      ddStart = -1;
      peak = e;
      peakIndex = i;
    } else {
      if (ddStart < 0) ddStart = peakIndex;
      const dd = (peak - e) / peak;
      if (dd > maxDrawdown) maxDrawdown = dd;
    }
  }
  if (ddStart >= 0) maxDrawdownBars = Math.max(maxDrawdownBars, n - 1 - ddStart);
  const mean = n > 0 ? sum / n : 0;
  const variance = n > 1 ? (sumSq - n * mean * mean) / (n - 1) : 0;
  const sd = Math.sqrt(Math.max(0, variance));
  const downside = n > 0 ? Math.sqrt(downSq / n) : 0;
  const annual = Math.sqrt(period.periodsPerYear);
  return {
    totalReturn,
    cagr,
    sharpe: sd > 0 ? (mean / sd) * annual : null,
    sortino: downside > 0 ? (mean / downside) * annual : null,
    maxDrawdown,
    maxDrawdownBars,
    volatility: n > 1 ? sd * annual : null,
  };
}

/** Win rate and profit factor over closed round trips (open ones are left out: their result is not known). */
export function tradeMetrics(trips: readonly RoundTrip[]): TradeMetrics {
  const closed = trips.filter((t) => t.exitT !== null);
  if (closed.length === 0) {
    return {
      trades: 0,
      winRate: null,
      profitFactor: null,
      averageTradePct: null,
      bestTradePct: null,
      worstTradePct: null,
    };
  }
  let wins = 0;
  let grossProfit = 0;
  let grossLoss = 0;
  let sumPct = 0;
  let best = Number.NEGATIVE_INFINITY;
  let worst = Number.POSITIVE_INFINITY;
  for (const t of closed) {
    if (t.netPnlE4 > 0) {
      wins++;
      grossProfit += t.netPnlE4;
    } else grossLoss -= t.netPnlE4;
    sumPct += t.returnPct;
    best = Math.max(best, t.returnPct);
    worst = Math.min(worst, t.returnPct);
  }
  return {
    trades: closed.length,
    winRate: wins / closed.length,
    profitFactor: grossLoss > 0 ? grossProfit / grossLoss : null,
    averageTradePct: sumPct / closed.length,
    bestTradePct: best,
    worstTradePct: worst,
  };
}
