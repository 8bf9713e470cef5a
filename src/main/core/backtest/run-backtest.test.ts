import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Bar } from '../../../shared/domain/market';
import { toE4 } from '../../../shared/money';
import { reconcileBooks } from '../broker/reconcile';
import { type Db, openDatabase } from '../db/database';
import { cleanupTempDirs, makeTempDir, SHARED_DATA } from '../testing/fixtures';
import { formatMetricsTable } from './metrics-table';
import { writeBacktestReport } from './report-files';
import { runBacktest } from './run-backtest';
import { SmaCrossover } from './sma-crossover';

afterEach(cleanupTempDirs);

const DAY = 86_400_000;
const dataDir = SHARED_DATA;
const aaplCsv = path.join(dataDir, 'market', 'daily', 'yahoofinance-AAPL-20040819-20180120.csv');

function tempDb(): Db {
  return openDatabase(path.join(makeTempDir('swaggy-backtest-'), 'broker.db'));
}

/** Daily bars from closes: each opens at the previous close. */
function barsFromCloses(closes: number[]): Bar[] {
  const t0 = Date.UTC(2021, 0, 4);
  return closes.map((c, i) => {
    const o = i === 0 ? c : (closes[i - 1] as number);
    return { t: t0 + i * DAY, o, h: Math.max(o, c) + 0.5, l: Math.min(o, c) - 0.5, c, v: 1_000_000 };
  });
}

function readYahoo(file: string): Bar[] {
  return fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [date, o, h, l, c, , v] = line.split(',');
      return {
        t: Date.parse(`${date}T00:00:00Z`),
        o: Number(o),
        h: Number(h),
        l: Number(l),
        c: Number(c),
        v: Number(v),
      };
    });
}

describe('backtest runner', () => {
  it('fills a signal at the next bar open through the broker, with its costs', () => {
    const closes = [10, 9, 8, 7, 8, 10, 12, 11, 9, 7, 7];
    const bars = barsFromCloses(closes);
    const db = tempDb();
    const result = runBacktest({
      symbol: 'TEST',
      timeframe: '1d',
      bars,
      strategy: new SmaCrossover({ fast: 2, slow: 4 }),
      db,
      broker: {
        startingCashE4: toE4(10_000),
        commissionPerShareE4: 50,
        commissionMinE4: 10_000,
        spreadBps: 0,
        slippageBps: 10,
        maxVolumeParticipation: 1,
      },
    });
    // Cross up on bar 5 (close $10), filled at bar 6's open ($10) plus 10 bp; cross down on bar 8, out at bar 9's open.
    expect(result.fills.map((f) => [f.t, f.side, f.priceE4])).toEqual([
      [(bars[6] as Bar).t, 'buy', 100_100],
      [(bars[9] as Bar).t, 'sell', 89_910],
    ]);
    const qty = result.fills[0]?.qty ?? 0;
    // The whole buying power, less the $1 minimum and 10 bp for slippage: floor(($10,000 − $1) / $10.015).
    expect(qty).toBe(Math.floor((10_000 * 10_000 - 10_000) / (100_100 + 50)));
    expect(result.trades).toHaveLength(1);
    const trade = result.trades[0];
    const commissions = 2 * Math.max(10_000, qty * 50);
    expect(trade?.netPnlE4).toBe(qty * (89_910 - 100_100) - commissions);
    expect(result.metrics.endingEquity).toBeCloseTo(10_000 + (trade?.netPnlE4 ?? 0) / 10_000, 6);
    expect(result.series.equity.at(-1)).toBeCloseTo(result.metrics.endingEquity, 6);
    // Held from bar 6's fill to bar 9's: three closes of eleven with a position.
    expect(result.metrics.exposure).toBeCloseTo(3 / 11, 12);
    expect(result.metrics.trades).toMatchObject({ trades: 1, winRate: 0, profitFactor: 0 });
    expect(result.metrics.buyAndHold.totalReturn).toBeCloseTo(7 / 10 - 1, 12);
    expect(reconcileBooks(db, 'backtest').problems).toEqual([]);
    db.close();
  });

  it('gives the same result twice on the same database (a run resets its own account)', () => {
    const closes = Array.from({ length: 400 }, (_, i) => 50 + 10 * Math.sin(i / 15) + i * 0.02);
    const db = tempDb();
    const run = () =>
      runBacktest({
        symbol: 'WAVE',
        timeframe: '1d',
        bars: barsFromCloses(closes),
        strategy: new SmaCrossover({ fast: 5, slow: 20 }),
        db,
      });
    const a = run();
    const b = run();
    expect(a.fills.length).toBeGreaterThan(4);
    expect(b.fills.map((f) => [f.t, f.qty, f.priceE4])).toEqual(a.fills.map((f) => [f.t, f.qty, f.priceE4]));
    expect(b.metrics).toEqual(a.metrics);
    db.close();
  });

  it('refuses bars out of order', () => {
    const bars = barsFromCloses([10, 11, 12]);
    const db = tempDb();
    expect(() =>
      runBacktest({
        symbol: 'TEST',
        timeframe: '1d',
        bars: [bars[0] as Bar, bars[2] as Bar, bars[1] as Bar],
        strategy: new SmaCrossover({ fast: 1, slow: 2 }),
        db,
      }),
    ).toThrow(/ascending time/);
    db.close();
  });
});

describe.skipIf(!fs.existsSync(aaplCsv))('backtest on real AAPL daily bars (2004-2018)', () => {
  it('replays 3,379 bars through the broker, reconciles and writes its report', () => {
    const bars = readYahoo(aaplCsv);
    expect(bars).toHaveLength(3379);
    const db = tempDb();
    const progress: number[] = [];
    const result = runBacktest({
      symbol: 'AAPL',
      timeframe: '1d',
      bars,
      totalBars: bars.length,
      strategy: new SmaCrossover({ fast: 20, slow: 50 }),
      db,
      onProgress: (done) => progress.push(done),
      progressEvery: 1000,
    });
    expect(progress).toEqual([1000, 2000, 3000, 3379]);
    expect(reconcileBooks(db, 'backtest').problems).toEqual([]);
    const m = result.metrics;
    const first = bars[0] as Bar;
    const last = bars.at(-1) as Bar;
    expect(m.buyAndHold.totalReturn).toBeCloseTo(last.c / first.o - 1, 10);
    // Daily stock data: ~252 bars a year, measured from the data.
    expect(m.period.periodsSource).toBe('measured');
    expect(m.period.periodsPerYear).toBeGreaterThan(245);
    expect(m.period.periodsPerYear).toBeLessThan(256);
    expect(m.trades.trades).toBeGreaterThan(20);
    expect(m.exposure).toBeGreaterThan(0.3);
    expect(m.exposure).toBeLessThan(1);
    // Every fill is at a price its bar traded, on a bar after the signal.
    const byT = new Map(bars.map((b) => [b.t, b]));
    for (const f of result.fills) {
      const b = byT.get(f.t) as Bar;
      expect(f.priceE4).toBeGreaterThanOrEqual(toE4(b.l));
      expect(f.priceE4).toBeLessThanOrEqual(toE4(b.h));
    }
    // Closed and open trades together explain the whole change in equity (open ones at their realised part only).
    if (result.trades.every((t) => t.exitT !== null)) {
      const net = result.trades.reduce((s, t) => s + t.netPnlE4, 0) / 10_000;
      expect(net).toBeCloseTo(m.endingEquity - m.startingCash, 6);
    }

    const out = path.join(makeTempDir('swaggy-backtest-report-'), 'AAPL');
    const files = writeBacktestReport(result, out);
    const trades = fs.readFileSync(files.trades, 'utf8').trim().split('\n');
    expect(trades[0]).toBe(
      'symbol,side,entry_time,exit_time,entry_qty,exit_qty,max_qty,entry_price,exit_price,commission,net_pnl,return_pct,fills',
    );
    expect(trades).toHaveLength(result.trades.length + 1);
    const equity = fs.readFileSync(files.equityCsv, 'utf8').trim().split('\n');
    expect(equity).toHaveLength(3380);
    expect(equity[1]).toMatch(/^2004-08-19T00:00:00.000Z,100000.0000,100000.0000,/);
    const report = JSON.parse(fs.readFileSync(files.reportJson, 'utf8'));
    expect(report.metrics.strategy.totalReturn).toBeCloseTo(m.strategy.totalReturn, 12);
    expect(report.equityCurve.length).toBeLessThanOrEqual(2001);
    const svg = fs.readFileSync(files.equitySvg, 'utf8');
    expect(svg).toContain('AAPL 1d: sma-crossover');
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(fs.readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const table = formatMetricsTable(result);
    for (const label of [
      'Total return',
      'CAGR',
      'Sharpe',
      'Sortino',
      'Max drawdown',
      'Win rate',
      'Profit factor',
      'Exposure',
    ]) {
      expect(table).toContain(label);
    }
    db.close();
  });
});
