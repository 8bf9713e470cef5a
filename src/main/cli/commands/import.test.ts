import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type DataMethodName, dataMethods } from '../../../shared/contract/data';
import { AppError, formatZodError } from '../../../shared/result';
import { dataHandlers } from '../../core/market/data-handlers';
import { cleanupTempDirs, createTestEngine, makeTempDir, PROJECT_ROOT, SHARED_DATA } from '../../core/testing/fixtures';
import { WorkerPool } from '../../core/workers/pool';
import type { CliContext } from '../context';
import { captureOutput } from '../testing';
import { importCommand, parseImportArgs } from './import';

const MARKET = path.join(SHARED_DATA, 'market');

const pools: WorkerPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
  cleanupTempDirs();
});

/**
 * A CLI context on a real test engine whose `call` reaches the real data handlers through the data contract's
 * schemas (the engine wires the same handlers into its dispatcher).
 */
async function runImport(args: string[]) {
  const { engine, dataDir } = createTestEngine();
  const pool = new WorkerPool(1);
  pools.push(pool);
  const handlers = dataHandlers({
    db: engine.db,
    databaseFile: engine.databaseFile,
    events: engine.events,
    pool,
    wallClock: () => 1_700_000_000_000,
  });
  const output = captureOutput();
  const { out, errOut } = output;
  const ctx: CliContext = {
    args,
    dataDir,
    projectRoot: PROJECT_ROOT,
    out,
    errOut,
    engine: () => engine,
    call: (async (method: DataMethodName, input: unknown) => {
      const parsed = dataMethods[method].input.safeParse(input);
      if (!parsed.success) throw new AppError('BAD_INPUT', formatZodError(parsed.error));
      return (handlers[method] as (a: unknown, c: { origin: 'cli' }) => unknown)(parsed.data, { origin: 'cli' });
    }) as unknown as CliContext['call'],
    close: () => engine.close(),
  };
  try {
    const code = await importCommand.run(ctx);
    return { code, stdout: output.stdout, stderr: output.stderr };
  } finally {
    await ctx.close();
  }
}

describe('parseImportArgs', () => {
  it('reads every option', () => {
    const parsed = parseImportArgs([
      'x.csv',
      '--symbol',
      'btc/usdt',
      '--timeframe=1m',
      '--day-first',
      '--tz',
      'UTC',
      '--no-adjust',
      '--strict',
      '--columns',
      'unix, date,symbol',
      '--data-dir',
      '/tmp/d',
      '--json',
    ]);
    expect(parsed.file).toBe(path.resolve('x.csv'));
    expect(parsed.json).toBe(true);
    expect(parsed.options).toEqual({
      symbol: 'btc/usdt',
      timeframe: '1m',
      dayFirst: true,
      timeZone: 'UTC',
      adjustSplits: false,
      strict: true,
      columns: ['unix', 'date', 'symbol'],
    });
    expect(parseImportArgs(['x.csv', '--month-first']).options).toEqual({ dayFirst: false });
  });

  it('refuses what it cannot use', () => {
    expect(() => parseImportArgs([])).toThrow(/Name a file/);
    expect(() => parseImportArgs(['a.csv', 'b.csv'])).toThrow(/one file at a time/);
    expect(() => parseImportArgs(['a.csv', '--timeframe', '2h'])).toThrow(
      /--timeframe must be one of 1m, 5m, 15m, 1h, 1d/,
    );
    expect(() => parseImportArgs(['a.csv', '--frobnicate'])).toThrow(/Unknown option --frobnicate/);
    expect(() => parseImportArgs(['a.csv', '--symbol'])).toThrow(/--symbol needs a value/);
    expect(() => parseImportArgs(['a.csv', '--day-first', '--month-first'])).toThrow(/contradict/);
  });
});

describe.skipIf(!fs.existsSync(MARKET))('npm run cli -- import', () => {
  it('imports a file and prints the summary with the rejected lines and the range', async () => {
    const { code, stdout, stderr } = await runImport([path.join(MARKET, 'daily', 'tesla-stock-price.csv')]);
    expect(code).toBe(0);
    expect(stdout).toContain('Imported tesla-stock-price.csv: 756 bars from 757 data lines');
    expect(stdout).toMatch(/TSLA\s+1d\s+756 bars\s+2015-10-15 → 2018-10-15\s+version \d+, new/);
    expect(stdout).toContain('Rejected 1 line:\n  line 2: not a date: "11:34"');
    expect(stdout).toContain('Rows in the file: newest first');
    expect(stderr).toMatch(/Importing tesla-stock-price.csv: 756 rows in \d+\.\d s/);
  });

  it('prints the summary as JSON on request', async () => {
    const { code, stdout, stderr } = await runImport([
      path.join(MARKET, 'intraday', 'Binance_BTCUSDT_minute.csv'),
      '--columns',
      'unix,date,symbol,open,high,low,close,volume,skip,skip',
      '--json',
    ]);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary.series[0]).toMatchObject({ symbol: 'BTC/USDT', timeframe: '1m', rows: 15_000, zeroVolumeBars: 342 });
    expect(stderr).toMatch(/Importing Binance_BTCUSDT_minute.csv: 15,000 rows in/);
  });

  it('exits 2 with the reason when a file is refused', async () => {
    const { code, stdout, stderr } = await runImport([path.join(MARKET, 'intraday', 'Binance_BTCUSDT_minute.csv')]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /Import refused \(REJECTED\): No header row: line 1 of Binance_BTCUSDT_minute.csv looks like data/,
    );
    expect(stderr).toContain('--columns unix,date,symbol,open,high,low,close,volume,skip,skip');
    expect(stderr).toContain('Nothing was written.');
    const missing = await runImport(['/no/such/file.csv']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Import refused (NOT_FOUND): No such file: /no/such/file.csv');
    const badArgs = await runImport([]);
    expect(badArgs.code).toBe(2);
  });

  it('shows a progress bar while a large file imports', async () => {
    const dir = makeTempDir();
    const file = path.join(dir, 'BIG.csv');
    const lines = ['Date,Open,High,Low,Close,Volume'];
    for (let i = 0; i < 150_000; i++) {
      lines.push(`${new Date(Date.UTC(1900, 0, 1) + i * 86_400_000).toISOString().slice(0, 10)},10,11,9,10.5,${i}`);
    }
    fs.writeFileSync(file, lines.join('\n'));
    const { code, stderr } = await runImport([file]);
    expect(code).toBe(0);
    // not a TTY here: one line per 10% step
    const steps = stderr.split('\n').filter((l) => /^Importing BIG.csv: +\d+% [\d,]+\/[\d,]+ rows$/.test(l));
    expect(steps.length).toBeGreaterThanOrEqual(3);
    expect(stderr).toMatch(/Importing BIG.csv: 150,000 rows in/);
  });

  it('prints the first 20 rejected lines of a refused file', async () => {
    const { code, stderr } = await runImport([path.join(MARKET, 'daily', 'tesla-stock-price.csv'), '--strict']);
    expect(code).toBe(2);
    expect(stderr).toContain('Import refused (REJECTED): Nothing imported (strict): 1 of 757 data lines');
    expect(stderr).toContain('Rejected lines:\n  line 2: not a date: "11:34"');
  });
});
