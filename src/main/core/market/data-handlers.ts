import path from 'node:path';
import {
  BARS_DEFAULT_LIMIT,
  type DataMethodArgs,
  type DataMethodName,
  type DataMethodOutput,
  IMPORT_TEXT_MAX_CHARS,
  type ImportOptions,
  type ImportSummary,
  type SeriesChange,
} from '../../../shared/contract/data';
import type { Progress } from '../../../shared/domain/progress';
import { AppError, toApiError } from '../../../shared/result';
import type { Db } from '../db/database';
import type { EventBus } from '../events';
import type { CallContext } from '../handlers';
import type { WorkerPool } from '../workers/pool';
import { BarStore } from './bar-store';
import type { MarketImportInput } from './import/import-task';

export interface DataDeps {
  /** The engine's connection: reads, deletes. Imports write on the worker's own connection. */
  db: Db;
  databaseFile: string;
  events: EventBus;
  /** The engine's worker pool; imports run there so the desk keeps answering. */
  pool: Pick<WorkerPool, 'run'>;
  /** Wall clock for the import history and task ids. */
  wallClock: () => number;
  /** better_sqlite3.node for the worker's connection when the runtime is not Node (Electron). */
  sqliteNativeBinding?: string;
  /** Called after a series' bars changed (import, delete): emit `onSeriesChanged`, invalidate caches. */
  onSeriesChanged?: (change: SeriesChange) => void;
}

/** One handler per data method, typed by the data contract. */
export type DataHandlers = {
  [M in DataMethodName]: (
    args: DataMethodArgs<M>,
    ctx: CallContext,
  ) => DataMethodOutput<M> | Promise<DataMethodOutput<M>>;
};

/**
 * The market data commands. Imports run one at a time in the worker pool (a second waits for the first: both
 * would need SQLite's single write lock for their whole transaction) and report `onProgress` events
 * (kind 'import', unit 'rows'); `data.cancelImport` stops one and nothing of it is written.
 */
export function dataHandlers(deps: DataDeps): DataHandlers {
  const store = new BarStore(deps.db);
  const running = new Map<string, AbortController>();
  let queue: Promise<unknown> = Promise.resolve();
  let counter = 0;

  const emit = (progress: Progress) => deps.events.emit('onProgress', progress);

  async function runImport(
    source: MarketImportInput['source'],
    fileName: string,
    options: ImportOptions & { taskId?: string },
  ): Promise<ImportSummary> {
    const { taskId: givenId, ...importOptions } = options;
    const taskId = givenId ?? `import-${deps.wallClock()}-${++counter}`;
    if (running.has(taskId)) throw new AppError('CONFLICT', `An import with task id ${taskId} is already running`);
    const controller = new AbortController();
    running.set(taskId, controller);
    const label = `Importing ${fileName}`;
    const base = { taskId, kind: 'import' as const, label, unit: 'rows' };
    emit({
      ...base,
      done: 0,
      total: 0,
      state: 'running',
      message: running.size > 1 ? 'waiting for the import before it' : undefined,
    });
    const previous = queue;
    const mine = previous
      .catch(() => {})
      .then(() =>
        deps.pool.run(
          'market.import',
          {
            databaseFile: deps.databaseFile,
            ...(deps.sqliteNativeBinding ? { nativeBinding: deps.sqliteNativeBinding } : {}),
            source,
            options: importOptions,
            taskId,
            atMs: deps.wallClock(),
          },
          {
            signal: controller.signal,
            onProgress: (done, total) => emit({ ...base, done, total, state: 'running' }),
          },
        ),
      );
    queue = mine;
    try {
      const summary = await mine;
      emit({
        ...base,
        done: summary.importedRows,
        total: summary.importedRows,
        state: 'done',
        message: `${summary.importedRows.toLocaleString('en-US')} rows imported${
          summary.rejectedCount > 0 ? `, ${summary.rejectedCount} lines rejected` : ''
        }`,
      });
      for (const s of summary.series) {
        deps.onSeriesChanged?.({ symbol: s.symbol, timeframe: s.timeframe, version: s.version });
      }
      return summary;
    } catch (e) {
      const error = toApiError(e);
      emit({
        ...base,
        done: 0,
        total: 0,
        state: error.code === 'CANCELLED' ? 'cancelled' : 'failed',
        message: error.message,
      });
      throw e;
    } finally {
      running.delete(taskId);
    }
  }

  return {
    'data.import': ({ path: file, ...options }) => {
      const resolved = path.resolve(file);
      return runImport({ kind: 'file', path: resolved }, path.basename(resolved), options);
    },
    'data.importText': ({ fileName, text, ...options }) => {
      if (text.length > IMPORT_TEXT_MAX_CHARS) {
        throw new AppError(
          'BAD_INPUT',
          `${fileName} is ${(text.length / 1024 / 1024).toFixed(1)} MB; uploads are limited to ${
            IMPORT_TEXT_MAX_CHARS / 1024 / 1024
          } MB. Import larger files from disk: npm run cli -- import FILE`,
        );
      }
      const name = path.basename(fileName);
      return runImport({ kind: 'text', fileName: name, text }, name, options);
    },
    'data.cancelImport': ({ taskId }) => {
      const controller = running.get(taskId);
      if (!controller) return { cancelled: false };
      controller.abort();
      return { cancelled: true };
    },
    'data.series': (args) => (args?.symbol ? store.listSeriesOf(args.symbol) : store.listSeries()),
    'data.bars': ({ symbol, timeframe, from, to, limit, fromEnd }) => {
      if (from !== undefined && to !== undefined && from > to) {
        throw new AppError('BAD_INPUT', `from (${from}) is after to (${to})`);
      }
      if (!store.series(symbol, timeframe)) {
        throw new AppError(
          'NOT_FOUND',
          `No ${timeframe} bars are stored for ${symbol.toUpperCase()}: import a file first`,
        );
      }
      const count = limit ?? BARS_DEFAULT_LIMIT;
      return fromEnd
        ? store.latestBars(symbol, timeframe, count, from, to)
        : store.bars(symbol, timeframe, from, to, count);
    },
    'data.deleteSeries': ({ symbol, timeframe }) => {
      const result = store.deleteSeries(symbol, timeframe);
      if (result.deleted) deps.onSeriesChanged?.({ symbol: symbol.toUpperCase(), timeframe, version: null });
      return result;
    },
  };
}
