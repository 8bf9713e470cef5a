import type { Timeframe } from '../../../shared/domain/market';
import type { Performance } from '../../../shared/domain/policy';

/**
 * Bars per year for annualising: US equity sessions (252 days of 6.5 hours). The synthetic market follows the same
 * session clock, so its Sharpe ratios are comparable with the real files'.
 */
export const barsPerYear: Record<Timeframe, number> = {
  '1m': 252 * 390,
  '5m': 252 * 78,
  '15m': 252 * 26,
  '1h': 252 * 6.5,
  '1d': 252,
};

/** Performance of an equity curve (E4, one value per bar close) with the account's traded notional and costs. */
export function measurePerformance(
  equityE4: ArrayLike<number>,
  timeframe: Timeframe,
  trading: { tradedNotionalE4: number; costsE4: number; trades: number },
): Performance {
  const n = equityE4.length;
  const first = n > 0 ? (equityE4[0] as number) : 0;
  const last = n > 0 ? (equityE4[n - 1] as number) : 0;
  let mean = 0;
  let m2 = 0;
  let k = 0;
  let peak = first;
  let maxDrawdown = 0;
  for (let i = 1; i < n; i++) {
    const prev = equityE4[i - 1] as number;
    const cur = equityE4[i] as number;
    const r = prev > 0 ? cur / prev - 1 : 0;
    k++;
    const d = r - mean;
    mean += d / k;
    m2 += d * (r - mean);
    if (cur > peak) peak = cur;
    if (peak > 0) maxDrawdown = Math.max(maxDrawdown, (peak - cur) / peak);
  }
  const sd = k > 1 ? Math.sqrt(m2 / (k - 1)) : 0;
  return {
    totalReturn: first > 0 ? last / first - 1 : 0,
    sharpe: sd > 1e-12 ? (mean / sd) * Math.sqrt(barsPerYear[timeframe]) : 0,
    maxDrawdown,
    turnover: first > 0 ? trading.tradedNotionalE4 / first : 0,
    trades: trading.trades,
    costsPaid: trading.costsE4 / 10_000,
    bars: n,
  };
}
