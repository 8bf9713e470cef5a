import type { CurveMetrics } from './metrics';
import type { BacktestResult } from './run-backtest';

/** The metrics as a plain-text table: strategy beside buy-and-hold. */
export function formatMetricsTable(result: BacktestResult): string {
  const m = result.metrics;
  const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(2)}%`);
  const num = (x: number | null, digits = 2) => (x === null ? 'n/a' : x.toFixed(digits));
  const usd = (x: number) => `$${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  const curve = (c: CurveMetrics): string[] => [
    pct(c.totalReturn),
    pct(c.cagr),
    num(c.sharpe),
    num(c.sortino),
    pct(c.maxDrawdown),
    pct(c.volatility),
  ];
  const s = curve(m.strategy);
  const b = curve(m.buyAndHold);
  const t = m.trades;
  const rows: [string, string, string][] = [
    ['', 'strategy', 'buy & hold'],
    ['Total return', s[0] as string, b[0] as string],
    ['CAGR', s[1] as string, b[1] as string],
    ['Sharpe (annualised)', s[2] as string, b[2] as string],
    ['Sortino (annualised)', s[3] as string, b[3] as string],
    ['Max drawdown', s[4] as string, b[4] as string],
    ['Volatility (annualised)', s[5] as string, b[5] as string],
    ['Ending equity', usd(m.endingEquity), usd(m.startingCash * (1 + m.buyAndHold.totalReturn))],
    ['Exposure', pct(m.exposure), '100.00%'],
    ['Round trips (closed)', String(t.trades), ''],
    ['Win rate', pct(t.winRate), ''],
    ['Profit factor', t.profitFactor === null ? (t.trades > 0 ? '∞ (no losses)' : 'n/a') : num(t.profitFactor), ''],
    ['Average trade', t.averageTradePct === null ? 'n/a' : `${t.averageTradePct.toFixed(2)}%`, ''],
    ['Commissions', usd(m.commissions), ''],
    ['Fills / refused orders', `${m.fills} / ${m.rejectedOrders}`, ''],
    [
      'Bars / periods per year',
      `${result.bars.toLocaleString('en-US')} / ${Math.round(m.period.periodsPerYear).toLocaleString('en-US')} (${m.period.periodsSource})`,
      '',
    ],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  return `${rows.map(([a, x, y]) => `  ${a.padEnd(w0)}  ${x.padStart(w1)}  ${y}`.trimEnd()).join('\n')}\n`;
}
