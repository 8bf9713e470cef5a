import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Progress } from '../../../shared/domain/progress';
import { type Db, openDatabase } from '../db/database';
import { EventBus } from '../events';
import type { CallContext } from '../handlers';
import { cleanupTempDirs, makeTempDir, PROJECT_ROOT } from '../testing/fixtures';
import { WorkerPool } from '../workers/pool';
import { type DataHandlers, dataHandlers } from './data-handlers';

const YAHOO = path.join(
  PROJECT_ROOT,
  '..',
  'shared',
  'data',
  'market',
  'daily',
  'yahoofinance-AAPL-20040819-20180120.csv',
);
const ctx: CallContext = { origin: 'test' };
const DAY = 86_400_000;

let pool: WorkerPool;
let db: Db;
let dir: string;
let events: EventBus;
let progress: Progress[];
let changes: Array<{ symbol: string; timeframe: string; version: number | null }>;
let handlers: DataHandlers;

beforeEach(() => {
  dir = makeTempDir();
  const databaseFile = path.join(dir, 'swaggy.db');
  db = openDatabase(databaseFile);
  pool = new WorkerPool(1);
  events = new EventBus();
  progress = [];
  changes = [];
  events.on('onProgress', (p) => progress.push(p));
  let clock = 1_700_000_000_000;
  handlers = dataHandlers({
    db,
    databaseFile,
    events,
    pool,
    wallClock: () => clock++,
    onSeriesChanged: (c) => changes.push(c),
  });
});

afterEach(async () => {
  await pool.close();
  db.close();
  cleanupTempDirs();
});

function bigCsv(rows: number): string {
  const file = path.join(dir, 'BIG.csv');
  const lines = ['Date,Open,High,Low,Close,Volume'];
  for (let i = 0; i < rows; i++) {
    lines.push(`${new Date(Date.UTC(1900, 0, 1) + i * DAY).toISOString().slice(0, 10)},10,11,9,10.5,${i}`);
  }
  fs.writeFileSync(file, lines.join('\n'));
  return file;
}

describe.skipIf(!fs.existsSync(YAHOO))('data handlers', () => {
  it('imports a file in a worker, reports progress, and serves series and bars', async () => {
    const summary = await handlers['data.import']({ path: YAHOO, taskId: 'job-1' }, ctx);
    expect(summary.series[0]).toMatchObject({ symbol: 'AAPL', timeframe: '1d', rows: 3379 });
    expect(progress[0]).toMatchObject({ taskId: 'job-1', kind: 'import', state: 'running', unit: 'rows' });
    expect(progress.at(-1)).toMatchObject({ taskId: 'job-1', state: 'done', done: 3379, total: 3379 });
    expect(changes).toEqual([{ symbol: 'AAPL', timeframe: '1d', version: summary.series[0]?.version }]);

    const series = await handlers['data.series'](undefined, ctx);
    expect(series).toEqual([
      expect.objectContaining({ symbol: 'AAPL', timeframe: '1d', rows: 3379, version: summary.series[0]?.version }),
    ]);
    expect(await handlers['data.series']({ symbol: 'MSFT' }, ctx)).toEqual([]);

    const firstFive = await handlers['data.bars']({ symbol: 'aapl', timeframe: '1d', limit: 5 }, ctx);
    expect(firstFive.map((b) => new Date(b.t).toISOString().slice(0, 10))).toEqual([
      '2004-08-19',
      '2004-08-20',
      '2004-08-23',
      '2004-08-24',
      '2004-08-25',
    ]);
    const lastTwo = await handlers['data.bars']({ symbol: 'AAPL', timeframe: '1d', limit: 2, fromEnd: true }, ctx);
    expect(lastTwo.map((b) => b.t)).toEqual([Date.UTC(2018, 0, 18), Date.UTC(2018, 0, 19)]);
    const range = await handlers['data.bars'](
      { symbol: 'AAPL', timeframe: '1d', from: Date.UTC(2018, 0, 1), to: Date.UTC(2018, 0, 31) },
      ctx,
    );
    expect(range).toHaveLength(13);
    expect((await handlers['data.bars']({ symbol: 'AAPL', timeframe: '1d' }, ctx)).length).toBe(3379);
    await expect(
      Promise.resolve().then(() => handlers['data.bars']({ symbol: 'AAPL', timeframe: '1m' }, ctx)),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });

    expect(await handlers['data.deleteSeries']({ symbol: 'AAPL', timeframe: '1d' }, ctx)).toEqual({
      deleted: true,
      rows: 3379,
    });
    expect(changes.at(-1)).toEqual({ symbol: 'AAPL', timeframe: '1d', version: null });
    expect(await handlers['data.series'](undefined, ctx)).toEqual([]);
  });

  it('reports progress every 50,000 rows of a large file', async () => {
    const file = bigCsv(120_000);
    await handlers['data.import']({ path: file, symbol: 'BIG' }, ctx);
    const running = progress.filter((p) => p.state === 'running' && p.total > 0);
    expect(running.length).toBeGreaterThanOrEqual(4);
    const done = running.map((p) => p.done);
    expect([...done].sort((a, b) => a - b)).toEqual(done);
    expect(running.every((p) => p.done <= p.total)).toBe(true);
  });

  it('cancels a running import: nothing is written', async () => {
    const file = bigCsv(300_000);
    events.on('onProgress', (p) => {
      if (p.taskId === 'big' && p.state === 'running' && p.total > 0)
        void handlers['data.cancelImport']({ taskId: 'big' }, ctx);
    });
    await expect(handlers['data.import']({ path: file, symbol: 'BIG', taskId: 'big' }, ctx)).rejects.toMatchObject({
      code: 'CANCELLED',
    });
    expect(progress.at(-1)).toMatchObject({ taskId: 'big', state: 'cancelled' });
    expect(db.prepare('SELECT COUNT(*) FROM bars').pluck().get()).toBe(0);
    expect(db.prepare('SELECT COUNT(*) FROM imports').pluck().get()).toBe(0);
    expect(await handlers['data.cancelImport']({ taskId: 'big' }, ctx)).toEqual({ cancelled: false });
  });

  it('runs imports one at a time and both land', async () => {
    const [a, b] = await Promise.all([
      handlers['data.importText'](
        { fileName: 'AAA.csv', text: 'Date,Open,High,Low,Close,Volume\n2020-01-02,1,2,0.5,1.5,10\n' },
        ctx,
      ),
      handlers['data.importText'](
        { fileName: 'BBB.csv', text: 'Date,Open,High,Low,Close,Volume\n2020-01-02,1,2,0.5,1.5,10\n' },
        ctx,
      ),
    ]);
    expect([a.series[0]?.symbol, b.series[0]?.symbol]).toEqual(['AAA', 'BBB']);
    expect((await handlers['data.series'](undefined, ctx)).map((s) => s.symbol)).toEqual(['AAA', 'BBB']);
  });

  it('carries refusals from the worker with their details, and refuses oversized uploads', async () => {
    const text = 'Date,Open,High,Low,Close,Volume\n2020-01-02,1,2,0.5,x,10\n2020-01-03,1,2,0.5,y,10\n';
    await expect(handlers['data.importText']({ fileName: 'ACME.csv', text }, ctx)).rejects.toMatchObject({
      code: 'REJECTED',
      details: { rejectedCount: 2, rejected: [{ line: 2, reason: 'Close is not a number: "x"' }, { line: 3 }] },
    });
    expect(progress.at(-1)).toMatchObject({ state: 'failed', message: expect.stringMatching(/^Nothing imported/) });
    await expect(handlers['data.import']({ path: path.join(dir, 'missing.csv') }, ctx)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/^No such file: .*missing\.csv$/),
    });
    expect(() =>
      handlers['data.importText']({ fileName: 'huge.csv', text: 'x'.repeat(64 * 1024 * 1024 + 1) }, ctx),
    ).toThrow(
      /huge.csv is 64.0 MB; uploads are limited to 64 MB\. Import larger files from disk: npm run cli -- import FILE/,
    );
  });
});
