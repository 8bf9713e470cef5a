import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/result';
import type { Db } from '../../core/db/database';
import { BarStore } from '../../core/market/bar-store';
import { cleanupTempDirs, makeTempDir, PROJECT_ROOT } from '../../core/testing/fixtures';
import { runCommand } from '../testing';
import { backtestCommand, parseBacktestArgs } from './backtest';

afterEach(cleanupTempDirs);

const aaplCsv = path.join(
  PROJECT_ROOT,
  '..',
  'shared',
  'data',
  'market',
  'daily',
  'yahoofinance-AAPL-20040819-20180120.csv',
);

function run(args: string[], seed?: (db: Db) => void) {
  return runCommand(backtestCommand, args, seed ? (ctx) => seed(ctx.engine().db) : undefined);
}

describe('backtest command', () => {
  it('reads its flags and refuses bad ones with the reason', () => {
    expect(
      parseBacktestArgs([
        '--symbol',
        'aapl',
        '--fast=10',
        '--slow',
        '30',
        '--from',
        '2010-01-01',
        '--to',
        '2010-12-31',
      ]),
    ).toMatchObject({
      symbol: 'AAPL',
      fast: 10,
      slow: 30,
      fromT: Date.UTC(2010, 0, 1),
      toT: Date.UTC(2011, 0, 1) - 1,
    });
    expect(() => parseBacktestArgs([])).toThrow(/--symbol/);
    expect(() => parseBacktestArgs(['--symbol', 'X', '--fast', '50', '--slow', '20'])).toThrow(/longer than --fast/);
    expect(() => parseBacktestArgs(['--symbol', 'X', '--timeframe', '2h'])).toThrow(/--timeframe must be one of/);
    expect(() => parseBacktestArgs(['--symbol', 'X', '--from', 'yesterday'])).toThrow(/date like/);
    expect(() => parseBacktestArgs(['--symbol', 'X', '--cash', '-5'])).toThrow(/--cash/);
    expect(() => parseBacktestArgs(['--symbol', 'X', '--frobnicate'])).toThrow(/Unknown option/);
  });

  it('explains that a symbol has no bars yet', async () => {
    const dir = makeTempDir();
    await expect(run(['--symbol', 'NOPE', '--data-dir', dir])).rejects.toSatisfy(
      (e: unknown) => e instanceof AppError && e.code === 'NOT_FOUND' && /Import some first/.test(e.message),
    );
  });

  it.skipIf(!fs.existsSync(aaplCsv))('backtests stored AAPL bars and writes the report files', async () => {
    const dir = makeTempDir();
    const outDir = path.join(makeTempDir(), 'report');
    const rows = fs.readFileSync(aaplCsv, 'utf8').trim().split('\n').slice(1);
    const columns = {
      t: [] as number[],
      o: [] as number[],
      h: [] as number[],
      l: [] as number[],
      c: [] as number[],
      v: [] as number[],
    };
    for (const line of rows) {
      const [date, o, h, l, c, , v] = line.split(',');
      columns.t.push(Date.parse(`${date}T00:00:00Z`));
      columns.o.push(Number(o));
      columns.h.push(Number(h));
      columns.l.push(Number(l));
      columns.c.push(Number(c));
      columns.v.push(Number(v));
    }
    const { code, stdout, stderr } = await run(
      [
        '--symbol',
        'AAPL',
        '--from',
        '2010-01-01',
        '--fast',
        '10',
        '--slow',
        '40',
        '--cash',
        '50000',
        '--out',
        outDir,
        '--data-dir',
        dir,
      ],
      (db) => {
        const store = new BarStore(db);
        db.transaction(() => {
          store.writeSeries(
            { symbol: 'AAPL', timeframe: '1d', source: 'imported', n: rows.length, ...columns },
            { importId: null, atMs: 0 },
          );
        })();
      },
    );
    expect(stderr).toMatch(/Backtest AAPL 1d.*done|bars in/);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /Backtest AAPL 1d, 2010-01-04 → 2018-01-19: SMA crossover fast 10, slow 40, starting cash \$50,000/,
    );
    for (const label of [
      'Total return',
      'CAGR',
      'Sharpe',
      'Sortino',
      'Max drawdown',
      'Win rate',
      'Profit factor',
      'Exposure',
      'buy & hold',
    ]) {
      expect(stdout).toContain(label);
    }
    for (const file of ['trades.csv', 'fills.csv', 'equity.csv', 'report.json', 'equity.svg', 'broker.db']) {
      expect(fs.existsSync(path.join(outDir, file)), file).toBe(true);
    }
    const report = JSON.parse(fs.readFileSync(path.join(outDir, 'report.json'), 'utf8'));
    expect(report).toMatchObject({
      symbol: 'AAPL',
      timeframe: '1d',
      from: '2010-01-04T00:00:00.000Z',
      strategy: { params: { fast: 10, slow: 40 } },
    });
    expect(report.metrics.startingCash).toBe(50_000);
  });
});
