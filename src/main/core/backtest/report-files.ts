import fs from 'node:fs';
import path from 'node:path';
import { fromE4 } from '../../../shared/money';
import { renderEquitySvg } from './equity-svg';
import type { BacktestResult } from './run-backtest';

export interface BacktestFiles {
  trades: string;
  fills: string;
  equityCsv: string;
  reportJson: string;
  equitySvg: string;
}

/** Points of the equity curve kept in report.json (equity.csv has every bar). */
const JSON_POINTS = 2000;

/**
 * Writes a backtest's files into `dir` (created if needed):
 * - `trades.csv`: round trips (entry, exit, prices, shares, net P&L, return);
 * - `fills.csv`: every broker fill;
 * - `equity.csv`: per bar, equity, cash, buy-and-hold equity and position;
 * - `report.json`: parameters, metrics, and the equity curve thinned to 2,000 points;
 * - `equity.svg`: the strategy against buy-and-hold.
 * Each file is written to a temporary name and renamed, so a crash never leaves a half-written report.
 */
export function writeBacktestReport(result: BacktestResult, dir: string): BacktestFiles {
  fs.mkdirSync(dir, { recursive: true });
  const files: BacktestFiles = {
    trades: path.join(dir, 'trades.csv'),
    fills: path.join(dir, 'fills.csv'),
    equityCsv: path.join(dir, 'equity.csv'),
    reportJson: path.join(dir, 'report.json'),
    equitySvg: path.join(dir, 'equity.svg'),
  };
  const iso = (t: number) => new Date(t).toISOString();
  const money = (e4: number) => fromE4(e4).toFixed(4);

  writeAtomically(files.trades, (write) => {
    write(
      'symbol,side,entry_time,exit_time,entry_qty,exit_qty,max_qty,entry_price,exit_price,commission,net_pnl,return_pct,fills\n',
    );
    for (const t of result.trades) {
      write(
        `${t.symbol},${t.side},${iso(t.entryT)},${t.exitT === null ? '' : iso(t.exitT)},${t.entryQty},${t.exitQty},${t.maxQty},` +
          `${money(t.entryPriceE4)},${t.exitPriceE4 === null ? '' : money(t.exitPriceE4)},${money(t.commissionE4)},` +
          `${money(t.netPnlE4)},${t.returnPct.toFixed(4)},${t.fills}\n`,
      );
    }
  });

  writeAtomically(files.fills, (write) => {
    write('id,order_id,time,symbol,side,qty,price,commission,realized_pnl,position_after\n');
    for (const f of result.fills) {
      write(
        `${f.id},${f.orderId},${iso(f.t)},${f.symbol},${f.side},${f.qty},${money(f.priceE4)},${money(f.commissionE4)},` +
          `${money(f.realizedPnlE4)},${f.positionAfter}\n`,
      );
    }
  });

  const s = result.series;
  writeAtomically(files.equityCsv, (write) => {
    write('time,equity,cash,buy_and_hold,position\n');
    for (let i = 0; i < s.t.length; i++) {
      write(
        `${iso(s.t[i] as number)},${(s.equity[i] as number).toFixed(4)},${(s.cash[i] as number).toFixed(4)},` +
          `${(s.buyAndHold[i] as number).toFixed(4)},${s.position[i]}\n`,
      );
    }
  });

  const stride = Math.max(1, Math.ceil(s.t.length / JSON_POINTS));
  const curve: { t: number; equity: number; buyAndHold: number }[] = [];
  for (let i = 0; i < s.t.length; i += stride) {
    curve.push({ t: s.t[i] as number, equity: s.equity[i] as number, buyAndHold: s.buyAndHold[i] as number });
  }
  const last = s.t.length - 1;
  if (last >= 0 && curve.at(-1)?.t !== s.t[last]) {
    curve.push({ t: s.t[last] as number, equity: s.equity[last] as number, buyAndHold: s.buyAndHold[last] as number });
  }
  const report = {
    symbol: result.symbol,
    timeframe: result.timeframe,
    from: iso(result.firstT),
    to: iso(result.lastT),
    bars: result.bars,
    strategy: result.strategy,
    broker: result.broker,
    metrics: result.metrics,
    rejections: result.rejections,
    equityCurve: curve,
  };
  writeAtomically(files.reportJson, (write) => write(`${JSON.stringify(report, null, 2)}\n`));

  const m = result.metrics;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  writeAtomically(files.equitySvg, (write) =>
    write(
      renderEquitySvg({
        title: `${result.symbol} ${result.timeframe}: ${result.strategy.name} (${Object.entries(result.strategy.params)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')})`,
        subtitle: `${iso(result.firstT).slice(0, 10)} to ${iso(result.lastT).slice(0, 10)}, ${result.bars.toLocaleString('en-US')} bars. Strategy ${pct(m.strategy.totalReturn)}, max drawdown ${pct(m.strategy.maxDrawdown)}; buy and hold ${pct(m.buyAndHold.totalReturn)}`,
        t: s.t,
        series: [
          { label: 'Strategy', color: '#1f6feb', values: s.equity },
          { label: 'Buy and hold', color: '#8b949e', values: s.buyAndHold, dashed: true },
        ],
      }),
    ),
  );
  return files;
}

function writeAtomically(file: string, fill: (write: (text: string) => void) => void): void {
  const temp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(temp, 'w');
  try {
    let buffer = '';
    fill((text) => {
      buffer += text;
      if (buffer.length > 1 << 20) {
        fs.writeSync(fd, buffer);
        buffer = '';
      }
    });
    fs.writeSync(fd, buffer);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw e;
  }
  fs.closeSync(fd);
  fs.renameSync(temp, file);
}
