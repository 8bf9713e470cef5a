import fs from 'node:fs';
import path from 'node:path';
import { type Timeframe, timeframes } from '../../../shared/domain/market';
import { centsToE4, toE4 } from '../../../shared/money';
import { AppError } from '../../../shared/result';
import { formatMetricsTable } from '../../core/backtest/metrics-table';
import { readBarsInChunks } from '../../core/backtest/read-bars';
import { writeBacktestReport } from '../../core/backtest/report-files';
import { runBacktest } from '../../core/backtest/run-backtest';
import { SmaCrossover } from '../../core/backtest/sma-crossover';
import { openDatabase } from '../../core/db/database';
import { BarStore } from '../../core/market/bar-store';
import type { CliCommand } from '../command';
import { ProgressBar } from '../progress-bar';

const USAGE =
  'backtest --symbol SYM [--timeframe 1m|5m|15m|1h|1d] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--fast 20] [--slow 50] ' +
  '[--cash 100000] [--commission 0.005] [--slippage-bps 1] [--spread-bps 2] [--participation 0.1] [--out DIR] [--json]';

const VALUE_FLAGS = new Set([
  '--symbol',
  '--timeframe',
  '--from',
  '--to',
  '--fast',
  '--slow',
  '--cash',
  '--commission',
  '--slippage-bps',
  '--spread-bps',
  '--participation',
  '--out',
  '--data-dir',
]);
const BOOLEAN_FLAGS = new Set(['--json']);

/** The command line of `backtest`, checked. */
export interface BacktestArgs {
  symbol: string;
  /** Null: the symbol's only stored timeframe, or 1d. */
  timeframe: Timeframe | null;
  fromT: number | undefined;
  toT: number | undefined;
  fast: number;
  slow: number;
  /** Null: the `broker.startingCashCents` setting. */
  cashE4: number | null;
  commissionPerShareE4: number | undefined;
  slippageBps: number | undefined;
  spreadBps: number | undefined;
  participation: number | undefined;
  out: string | null;
  json: boolean;
}

/** Reads the command line; throws BAD_INPUT naming the problem. */
export function parseBacktestArgs(args: readonly string[]): BacktestArgs {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (VALUE_FLAGS.has(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
      if (value === undefined || value === '') throw new AppError('BAD_INPUT', `${name} needs a value`);
      values.set(name, value);
    } else if (BOOLEAN_FLAGS.has(name) && eq < 0) {
      flags.add(name);
    } else {
      throw new AppError('BAD_INPUT', `Unknown option ${arg}. Usage: npm run cli -- ${USAGE}`);
    }
  }
  const symbol = values.get('--symbol')?.trim().toUpperCase();
  if (!symbol) throw new AppError('BAD_INPUT', `Name a symbol with --symbol. Usage: npm run cli -- ${USAGE}`);
  const timeframe = values.get('--timeframe');
  if (timeframe !== undefined && !(timeframes as readonly string[]).includes(timeframe)) {
    throw new AppError('BAD_INPUT', `--timeframe must be one of ${timeframes.join(', ')} (got ${timeframe})`);
  }
  const number = (name: string, check: (n: number) => boolean, rule: string): number | undefined => {
    const raw = values.get(name);
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || !check(n)) throw new AppError('BAD_INPUT', `${name} must be ${rule} (got "${raw}")`);
    return n;
  };
  const fast = number('--fast', (n) => Number.isInteger(n) && n >= 1, 'a whole number of bars ≥ 1') ?? 20;
  const slow = number('--slow', (n) => Number.isInteger(n) && n >= 2, 'a whole number of bars ≥ 2') ?? 50;
  if (slow <= fast) throw new AppError('BAD_INPUT', `--slow (${slow}) must be longer than --fast (${fast})`);
  const cash = number('--cash', (n) => n > 0 && n <= 1e12, 'an amount in dollars above zero');
  const commission = number('--commission', (n) => n >= 0 && n < 100, 'dollars per share, 0 or more');
  const fromT = parseDate(values.get('--from'), '--from', false);
  const toT = parseDate(values.get('--to'), '--to', true);
  if (fromT !== undefined && toT !== undefined && toT < fromT) {
    throw new AppError('BAD_INPUT', '--to is before --from');
  }
  return {
    symbol,
    timeframe: (timeframe as Timeframe | undefined) ?? null,
    fromT,
    toT,
    fast,
    slow,
    cashE4: cash === undefined ? null : toE4(cash),
    commissionPerShareE4: commission === undefined ? undefined : toE4(commission),
    slippageBps: number('--slippage-bps', (n) => n >= 0 && n <= 1000, 'basis points, 0 to 1000'),
    spreadBps: number('--spread-bps', (n) => n >= 0 && n <= 1000, 'basis points, 0 to 1000'),
    participation: number('--participation', (n) => n > 0 && n <= 1, 'a share of bar volume in (0, 1]'),
    out: values.get('--out') ?? null,
    json: flags.has('--json'),
  };
}

/** `2020-01-31` (UTC day; `--to` includes the whole day) or a full ISO time. */
function parseDate(raw: string | undefined, name: string, endOfDay: boolean): number | undefined {
  if (raw === undefined) return undefined;
  const dayOnly = /^\d{4}-\d{2}-\d{2}$/.test(raw);
  const t = Date.parse(dayOnly ? `${raw}T00:00:00Z` : raw);
  if (!Number.isFinite(t)) throw new AppError('BAD_INPUT', `${name} must be a date like 2020-01-31 (got "${raw}")`);
  return dayOnly && endOfDay ? t + 86_400_000 - 1 : t;
}

export const backtestCommand: CliCommand = {
  name: 'backtest',
  summary: 'Replay stored bars through the paper broker with an SMA crossover; metrics, trades, equity curve.',
  usage: USAGE,
  async run(ctx) {
    const args = parseBacktestArgs(ctx.args);
    const engine = ctx.engine();
    const store = new BarStore(engine.db);
    const stored = store.listSeriesOf(args.symbol);
    if (stored.length === 0) {
      throw new AppError(
        'NOT_FOUND',
        `No bars are stored for ${args.symbol}. Import some first: npm run cli -- import FILE --symbol ${args.symbol}`,
      );
    }
    const timeframe = args.timeframe ?? (stored.length === 1 ? (stored[0]?.timeframe as Timeframe) : '1d');
    const series = stored.find((s) => s.timeframe === timeframe);
    if (!series) {
      throw new AppError(
        'NOT_FOUND',
        `${args.symbol} has no ${timeframe} bars; stored: ${stored.map((s) => s.timeframe).join(', ')}. Pick one with --timeframe.`,
      );
    }
    const out = path.resolve(args.out ?? path.join('backtests', `${args.symbol}-${timeframe}`));
    const cashE4 = args.cashE4 ?? centsToE4(engine.settings.get('broker.startingCashCents'));
    const total = estimateRows(series.rows, series.firstT, series.lastT, args.fromT, args.toT);

    // The run keeps its books in its own file beside the report: the desk's paper account is never touched.
    fs.mkdirSync(out, { recursive: true });
    const brokerFile = path.join(out, 'broker.db');
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${brokerFile}${suffix}`, { force: true });
    const brokerDb = openDatabase(brokerFile);
    const progress = new ProgressBar(`Backtest ${args.symbol} ${timeframe}`, 'bars', ctx.errOut);
    try {
      const strategy = new SmaCrossover({ fast: args.fast, slow: args.slow });
      const result = runBacktest({
        symbol: args.symbol,
        timeframe,
        bars: readBarsInChunks(store, args.symbol, timeframe, args.fromT, args.toT),
        totalBars: total,
        strategy,
        db: brokerDb,
        broker: {
          startingCashE4: cashE4,
          ...(args.commissionPerShareE4 === undefined ? {} : { commissionPerShareE4: args.commissionPerShareE4 }),
          ...(args.slippageBps === undefined ? {} : { slippageBps: args.slippageBps }),
          ...(args.spreadBps === undefined ? {} : { spreadBps: args.spreadBps }),
          ...(args.participation === undefined ? {} : { maxVolumeParticipation: args.participation }),
        },
        onProgress: (done, all) => progress.update(done, Math.max(done, all)),
      });
      progress.finish(`${result.bars.toLocaleString('en-US')} bars`);
      const files = writeBacktestReport(result, out);
      if (args.json) {
        ctx.out.write(`${JSON.stringify({ ...result, series: undefined, fills: undefined, files }, null, 2)}\n`);
        return 0;
      }
      const iso = (t: number) =>
        new Date(t)
          .toISOString()
          .slice(0, timeframe === '1d' ? 10 : 16)
          .replace('T', ' ');
      ctx.out.write(
        `Backtest ${args.symbol} ${timeframe}, ${iso(result.firstT)} → ${iso(result.lastT)}: SMA crossover fast ${args.fast}, slow ${args.slow}, starting cash $${(cashE4 / 10_000).toLocaleString('en-US')}\n\n`,
      );
      ctx.out.write(formatMetricsTable(result));
      if (result.rejections.length > 0) {
        ctx.out.write(`\nRefused strategy orders (first ${result.rejections.length}):\n`);
        for (const r of result.rejections.slice(0, 5)) ctx.out.write(`  ${r}\n`);
      }
      ctx.out.write('\nFiles:\n');
      for (const file of [...Object.values(files), brokerFile]) ctx.out.write(`  ${file}\n`);
      return 0;
    } finally {
      brokerDb.close();
    }
  },
};

/** Bars in the chosen range, estimated from the series' time span (for the progress bar only). */
function estimateRows(
  rows: number,
  firstT: number | null,
  lastT: number | null,
  fromT: number | undefined,
  toT: number | undefined,
): number {
  if (firstT === null || lastT === null || lastT <= firstT) return rows;
  const from = Math.max(firstT, fromT ?? firstT);
  const to = Math.min(lastT, toT ?? lastT);
  if (to < from) return 0;
  return Math.max(1, Math.round((rows * (to - from)) / (lastT - firstT)));
}
