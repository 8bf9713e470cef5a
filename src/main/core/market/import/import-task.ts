import fs from 'node:fs';
import path from 'node:path';
import type { ImportOptions, ImportSummary } from '../../../../shared/contract/data';
import { AppError } from '../../../../shared/result';
import { openDatabase } from '../../db/database';
import type { Task } from '../../workers/protocol';
import { importMarketCsv } from './import-file';

/** Files above this size are refused before reading (a million daily bars is about 60 MB). */
export const MAX_IMPORT_FILE_BYTES = 1024 * 1024 * 1024;

/** Input of the `market.import` worker task: structured-cloneable. */
export interface MarketImportInput {
  /** The app database; the worker opens its own connection (WAL lets the engine keep reading). */
  databaseFile: string;
  /** better_sqlite3.node for this runtime when it is not Node's own (Electron). */
  nativeBinding?: string;
  /** A file on disk, or text uploaded through the API. */
  source: { kind: 'file'; path: string } | { kind: 'text'; fileName: string; text: string };
  options: ImportOptions;
  taskId: string;
  atMs: number;
}

/**
 * Imports a CSV file in a worker thread: reads it, parses it, writes it in one transaction on the worker's own
 * connection, and reports progress every 50,000 rows. Cancelling rolls everything back.
 */
export const marketImportTask: Task<MarketImportInput, ImportSummary> = (input, ctx) => {
  const { bytes, fileName } = readSource(input.source);
  const db = openDatabase(input.databaseFile, input.nativeBinding ? { nativeBinding: input.nativeBinding } : {});
  try {
    return importMarketCsv(
      db,
      { bytes, fileName, atMs: input.atMs, taskId: input.taskId, options: input.options },
      { progress: (done, total) => ctx.progress(done, total), cancelled: () => ctx.cancelled() },
    );
  } finally {
    db.close();
  }
};

function readSource(source: MarketImportInput['source']): { bytes: Buffer; fileName: string } {
  if (source.kind === 'text') return { bytes: Buffer.from(source.text, 'utf8'), fileName: source.fileName };
  const file = source.path;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new AppError('NOT_FOUND', `No such file: ${file}`);
    throw new AppError('REJECTED', `Cannot read ${file} (${code ?? String(e)})`);
  }
  if (stat.isDirectory()) throw new AppError('BAD_INPUT', `${file} is a folder; choose a CSV file`);
  if (stat.size > MAX_IMPORT_FILE_BYTES) {
    throw new AppError(
      'REJECTED',
      `${file} is ${(stat.size / 1024 / 1024).toFixed(0)} MB; files up to ${MAX_IMPORT_FILE_BYTES / 1024 / 1024} MB can be imported. Split it by symbol or year.`,
    );
  }
  try {
    return { bytes: fs.readFileSync(file), fileName: path.basename(file) };
  } catch (e) {
    throw new AppError('REJECTED', `Cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}
