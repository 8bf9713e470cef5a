/**
 * Backtest throughput: a seeded random walk of 1,000,000 one-minute bars replayed through the real paper broker
 * (a real SQLite file in a temp folder, a transaction per order acceptance and per fill, marks and equity samples
 * buffered) with the built-in SMA crossover. Reports bars per second for the broker alone (bars in memory) and for
 * the whole CLI path (bars streamed from the SQLite bar store), plus the time to write the report files.
 *
 * Alone: `npx tsx bench/backtest-bench.ts [bars]` prints a table and writes bench/results/backtest.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readBarsInChunks } from '../src/main/core/backtest/read-bars';
import { writeBacktestReport } from '../src/main/core/backtest/report-files';
import { runBacktest } from '../src/main/core/backtest/run-backtest';
import { SmaCrossover } from '../src/main/core/backtest/sma-crossover';
import { type Db, openDatabase } from '../src/main/core/db/database';
import { BarStore } from '../src/main/core/market/bar-store';
import type { Bar } from '../src/shared/domain/market';

export interface BacktestBenchOptions {
  /** Bars in the random walk (default 1,000,000). */
  bars?: number;
  seed?: number;
  fast?: number;
  slow?: number;
  /** Also time the path through the SQLite bar store (default true). */
  viaBarStore?: boolean;
  /** Folder for the databases and report (default: a fresh temp dir, removed afterwards). */
  dir?: string;
}

export interface BacktestBenchRun {
  label: string;
  bars: number;
  /** Wall-clock seconds of the run (other processes on a shared machine inflate it). */
  seconds: number;
  /** CPU seconds this process used (user + system). */
  cpuSeconds: number;
  barsPerSec: number;
  orders: number;
  fills: number;
  trades: number;
}

export interface BacktestBenchResult {
  bars: number;
  fast: number;
  slow: number;
  runs: BacktestBenchRun[];
  /** Writing trades.csv, fills.csv, equity.csv (every bar), report.json and equity.svg. */
  reportSeconds: number;
  brokerDbBytes: number;
  node: string;
  cpus: number;
}

/** A seeded random walk of one-minute bars around $100 with realistic ranges and volumes. */
export function* randomWalkBars(count: number, seed = 7): Generator<Bar> {
  let state = seed >>> 0;
  const random = () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
  let price = 100;
  const start = Date.UTC(2020, 0, 1);
  for (let i = 0; i < count; i++) {
    const o = price;
    const c = Math.max(1, o * (1 + (random() - 0.5) * 0.004));
    const h = Math.max(o, c) * (1 + random() * 0.001);
    const l = Math.min(o, c) * (1 - random() * 0.001);
    price = c;
    yield { t: start + i * 60_000, o, h, l, c, v: 5_000 + Math.floor(random() * 50_000) };
  }
}

export async function benchBacktest(options: BacktestBenchOptions = {}): Promise<BacktestBenchResult> {
  const bars = options.bars ?? 1_000_000;
  const fast = options.fast ?? 20;
  const slow = options.slow ?? 100;
  const seed = options.seed ?? 7;
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'swaggy-backtest-bench-'));
  const ownDir = options.dir === undefined;
  const runs: BacktestBenchRun[] = [];

  const timed = (label: string, db: Db, source: Iterable<Bar>, commitEveryBars?: number) => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const result = runBacktest({
      symbol: 'WALK',
      timeframe: '1m',
      bars: source,
      totalBars: bars,
      strategy: new SmaCrossover({ fast, slow }),
      db,
      commitEveryBars,
    });
    const used = process.cpuUsage(cpu);
    const seconds = (performance.now() - started) / 1000;
    const orders = db.prepare("SELECT COUNT(*) FROM orders WHERE account_id = 'backtest'").pluck().get() as number;
    runs.push({
      label,
      bars: result.bars,
      seconds,
      cpuSeconds: (used.user + used.system) / 1e6,
      barsPerSec: result.bars / seconds,
      orders,
      fills: result.fills.length,
      trades: result.metrics.trades.trades,
    });
    return result;
  };

  try {
    const brokerFile = path.join(dir, 'broker.db');
    const brokerDb = openDatabase(brokerFile);
    let reportSeconds: number;
    try {
      const result = timed('broker, bars in memory (group commit)', brokerDb, randomWalkBars(bars, seed));
      const reportStarted = performance.now();
      writeBacktestReport(result, path.join(dir, 'report'));
      reportSeconds = (performance.now() - reportStarted) / 1000;
      timed('broker, bars in memory (commit per change)', brokerDb, randomWalkBars(bars, seed), 1);
    } finally {
      brokerDb.close();
    }
    const brokerDbBytes = fs.statSync(brokerFile).size + walSize(brokerFile);

    if (options.viaBarStore !== false) {
      const marketDb = openDatabase(path.join(dir, 'market.db'));
      try {
        const store = new BarStore(marketDb);
        const columns = {
          t: new Float64Array(bars),
          o: new Float64Array(bars),
          h: new Float64Array(bars),
          l: new Float64Array(bars),
          c: new Float64Array(bars),
          v: new Float64Array(bars),
        };
        let i = 0;
        for (const b of randomWalkBars(bars, seed)) {
          columns.t[i] = b.t;
          columns.o[i] = b.o;
          columns.h[i] = b.h;
          columns.l[i] = b.l;
          columns.c[i] = b.c;
          columns.v[i] = b.v;
          i++;
        }
        marketDb.transaction(() =>
          store.writeSeries(
            { symbol: 'WALK', timeframe: '1m', source: 'synthetic', n: bars, ...columns },
            { importId: null, atMs: 0 },
          ),
        )();
        timed('bar store → broker (CLI path)', marketDb, readBarsInChunks(store, 'WALK', '1m'));
      } finally {
        marketDb.close();
      }
    }
    return {
      bars,
      fast,
      slow,
      runs,
      reportSeconds,
      brokerDbBytes,
      node: process.version,
      cpus: os.availableParallelism(),
    };
  } finally {
    if (ownDir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

function walSize(file: string): number {
  try {
    return fs.statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
}

if (require.main === module) {
  const bars = Number(process.argv[2] ?? 1_000_000);
  benchBacktest({ bars }).then(
    (r) => {
      const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
      console.table(
        Object.fromEntries(
          r.runs.map((run) => [
            run.label,
            {
              bars: fmt(run.bars),
              seconds: run.seconds.toFixed(2),
              'cpu s': run.cpuSeconds.toFixed(2),
              'bars/s': fmt(run.barsPerSec),
              orders: fmt(run.orders),
              fills: fmt(run.fills),
              'round trips': fmt(run.trades),
            },
          ]),
        ),
      );
      console.log(
        `SMA ${r.fast}/${r.slow}; report files written in ${r.reportSeconds.toFixed(2)} s; broker database ${(r.brokerDbBytes / 1024 / 1024).toFixed(1)} MB`,
      );
      const out = path.join(__dirname, 'results');
      fs.mkdirSync(out, { recursive: true });
      fs.writeFileSync(
        path.join(out, 'backtest.json'),
        `${JSON.stringify({ ...r, at: new Date().toISOString() }, null, 2)}\n`,
      );
      console.log('wrote bench/results/backtest.json');
    },
    (e) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
