/**
 * CSV import throughput: generates a Yahoo Finance-format daily CSV (default 1,000,000 rows), imports it through
 * the real path (read file, parse, one SQLite transaction on a real temp database) and reports rows per second.
 * Also times the same import through the worker pool (`market.import`), as the desk and the CLI run it.
 *
 * Alone: `npx tsx bench/import-bench.ts [rows]` prints a table and writes bench/results/import.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../src/main/core/db/database';
import { importMarketCsv } from '../src/main/core/market/import/import-file';
import { WorkerPool } from '../src/main/core/workers/pool';

export interface ImportBenchOptions {
  /** Rows in the generated file (default 1,000,000). */
  rows?: number;
  /** Also run the import through the worker pool (default true). */
  viaWorker?: boolean;
  /** Folder for the CSV and the database (default: a fresh temp dir, removed afterwards). */
  dir?: string;
}

export interface ImportBenchResult {
  rows: number;
  fileBytes: number;
  /** In-process end to end: read the file, parse, write in one transaction, commit. */
  seconds: number;
  rowsPerSec: number;
  /** CPU time (user + system) of the in-process import: what it costs when the cores are not shared. */
  cpuSeconds: number;
  /** The same file through the worker pool's `market.import` task (worker already started), or null. */
  workerSeconds: number | null;
  workerRowsPerSec: number | null;
  node: string;
  cpus: number;
}

const DAY_MS = 86_400_000;

/** A Yahoo-format file: `Date,Open,High,Low,Close,Adj Close,Volume`, consecutive calendar days, 6 decimals. */
export function writeYahooCsv(file: string, rows: number, seed = 42): void {
  let state = seed >>> 0;
  const random = () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
  const fd = fs.openSync(file, 'w');
  try {
    let chunk = 'Date,Open,High,Low,Close,Adj Close,Volume\n';
    // A million consecutive calendar days span 2,738 years: synthetic, but every line is a real Yahoo line.
    const start = Date.UTC(1900, 0, 1);
    let price = 100;
    for (let i = 0; i < rows; i++) {
      const open = price;
      const close = Math.max(0.01, open * (1 + (random() - 0.5) * 0.04));
      const high = Math.max(open, close) * (1 + random() * 0.01);
      const low = Math.min(open, close) * (1 - random() * 0.01);
      const volume = Math.floor(random() * 50_000_000);
      const date = new Date(start + i * DAY_MS).toISOString().slice(0, 10);
      chunk += `${date},${open.toFixed(6)},${high.toFixed(6)},${low.toFixed(6)},${close.toFixed(6)},${(close * 0.98).toFixed(6)},${volume}\n`;
      price = close;
      if (chunk.length > 1 << 20) {
        fs.writeSync(fd, chunk);
        chunk = '';
      }
    }
    fs.writeSync(fd, chunk);
  } finally {
    fs.closeSync(fd);
  }
}

export async function benchImport(options: ImportBenchOptions = {}): Promise<ImportBenchResult> {
  const rows = options.rows ?? 1_000_000;
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'swaggy-import-bench-'));
  const ownDir = options.dir === undefined;
  try {
    const csv = path.join(dir, 'BENCH_yahoo.csv');
    writeYahooCsv(csv, rows);
    const fileBytes = fs.statSync(csv).size;

    const dbFile = path.join(dir, 'swaggy.db');
    const db = openDatabase(dbFile);
    let seconds: number;
    let cpuSeconds: number;
    try {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const bytes = fs.readFileSync(csv);
      const summary = importMarketCsv(db, { bytes, fileName: path.basename(csv), atMs: 0, taskId: 'bench' });
      seconds = (performance.now() - started) / 1000;
      const used = process.cpuUsage(cpu);
      cpuSeconds = (used.user + used.system) / 1e6;
      if (summary.importedRows !== rows) throw new Error(`imported ${summary.importedRows} of ${rows} rows`);
    } finally {
      db.close();
    }

    let workerSeconds: number | null = null;
    if (options.viaWorker !== false) {
      const pool = new WorkerPool(1);
      try {
        // Start the worker (and tsx's compile of the task) before timing.
        await pool.run('self-test', { n: 1 });
        const started = performance.now();
        const summary = await pool.run('market.import', {
          // a fresh database, so both runs write a new series (a re-import also deletes the old bars)
          databaseFile: path.join(dir, 'worker.db'),
          source: { kind: 'file', path: csv },
          options: {},
          taskId: 'bench-worker',
          atMs: 0,
        });
        workerSeconds = (performance.now() - started) / 1000;
        if (summary.importedRows !== rows) throw new Error(`worker imported ${summary.importedRows} of ${rows} rows`);
      } finally {
        await pool.close();
      }
    }
    return {
      rows,
      fileBytes,
      seconds,
      rowsPerSec: rows / seconds,
      cpuSeconds,
      workerSeconds,
      workerRowsPerSec: workerSeconds === null ? null : rows / workerSeconds,
      node: process.version,
      cpus: os.availableParallelism(),
    };
  } finally {
    if (ownDir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const rows = Number(process.argv[2] ?? 1_000_000);
  benchImport({ rows }).then(
    (r) => {
      const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
      console.table({
        'in-process': {
          rows: fmt(r.rows),
          seconds: r.seconds.toFixed(2),
          'rows/s': fmt(r.rowsPerSec),
          'cpu s': r.cpuSeconds.toFixed(2),
        },
        ...(r.workerSeconds !== null && r.workerRowsPerSec !== null
          ? {
              'worker pool': {
                rows: fmt(r.rows),
                seconds: r.workerSeconds.toFixed(2),
                'rows/s': fmt(r.workerRowsPerSec),
              },
            }
          : {}),
      });
      const out = path.join(__dirname, 'results');
      fs.mkdirSync(out, { recursive: true });
      fs.writeFileSync(
        path.join(out, 'import.json'),
        `${JSON.stringify({ ...r, at: new Date().toISOString() }, null, 2)}\n`,
      );
      console.log(`file ${(r.fileBytes / 1024 / 1024).toFixed(1)} MB; wrote bench/results/import.json`);
    },
    (e) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
