import { createHash } from 'node:crypto';
import type { ImportOptions, ImportSummary, RejectedLine } from '../../../../shared/contract/data';
import { AppError } from '../../../../shared/result';
import type { Db } from '../../db/database';
import { BarStore } from '../bar-store';
import { type ParsedFile, parseMarketCsv } from './parse-file';
import { isCryptoSymbol } from './symbols';

/** Above this share of rejected data lines the file is probably in a format the importer misread. */
export const MAX_REJECTED_SHARE = 0.05;

/** The summary keeps this many rejected lines; `rejectedCount` has them all. */
export const SUMMARY_REJECTED_LIMIT = 1000;

/** What the import reports while it runs. */
export interface ImportContext {
  progress?(done: number, total: number): void;
  cancelled?(): boolean;
}

export interface ImportRequest {
  bytes: Uint8Array;
  fileName: string;
  /** Wall-clock time of the import, for the history (market time never comes from here). */
  atMs: number;
  taskId: string;
  options?: ImportOptions;
}

// Parsing is roughly a third of the work and the SQLite write the rest: progress weights them so.
const PARSE_SHARE = 0.35;

/**
 * Imports one OHLCV CSV into the bar store.
 *
 * Rejection policy:
 * - A data line that cannot be a bar is rejected with its 1-based physical line number (the header is line 1)
 *   and a reason: wrong number of fields, not a date, a missing or "null" value, a value that is not a number,
 *   a price that is not positive, negative volume, high below low, open or close outside low..high, a
 *   duplicate timestamp (the first line keeps it), a missing symbol in a multi-symbol file.
 * - Zero volume is valid (halts, no-trade minutes, vendor glitches): the bars are kept and counted in a warning.
 * - The valid rows of every series in the file are written in ONE SQLite transaction: all or nothing.
 * - The whole file is refused (REJECTED, nothing written) when no line is valid, when more than 5% of its data
 *   lines are rejected (the format was probably misread), or, with the `strict` option, on any rejection. The
 *   error's details carry the first rejected lines.
 * - Re-importing a series replaces all its bars in the same transaction and gives it a new version, so caches
 *   keyed by version see the change.
 * - Cancelling (ctx.cancelled) rolls the transaction back: nothing is written.
 */
export function importMarketCsv(db: Db, request: ImportRequest, ctx: ImportContext = {}): ImportSummary {
  const started = performance.now();
  const { bytes, fileName, options = {} } = request;
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let estimated = 0;
  const parsed = parseMarketCsv(bytes, fileName, options, {
    progress: (rows, total) => {
      estimated = total;
      ctx.progress?.(Math.round(rows * PARSE_SHARE), total);
    },
    cancelled: ctx.cancelled,
  });
  refuseIfPolicySaysSo(parsed, fileName, options.strict === true);

  const total = parsed.series.reduce((sum, s) => sum + s.n, 0);
  estimated = total;
  const store = new BarStore(db);
  const earlier = store.importsOf(sha256);
  const warnings = [...parsed.warnings];
  const first = earlier[earlier.length - 1];
  if (first) {
    warnings.push(
      `this file was imported before (as ${first.fileName} on ${new Date(first.atMs).toISOString().slice(0, 10)}); its series were replaced`,
    );
  }

  const summary = db.transaction((): ImportSummary => {
    const importId = store.recordImport(fileName, sha256, request.atMs, '{}');
    let writtenBefore = 0;
    const series: ImportSummary['series'] = [];
    for (const s of parsed.series) {
      const result = store.writeSeries(
        { ...s, source: 'imported' },
        {
          importId,
          atMs: request.atMs,
          kind: isCryptoSymbol(s.symbol) ? 'crypto' : 'equity',
          onProgress: (written) =>
            ctx.progress?.(
              Math.round(estimated * PARSE_SHARE + (writtenBefore + written) * (1 - PARSE_SHARE)),
              estimated,
            ),
          cancelled: ctx.cancelled,
        },
      );
      writtenBefore += s.n;
      series.push({
        symbol: s.symbol,
        timeframe: s.timeframe,
        rows: s.n,
        firstT: s.t[0] as number,
        lastT: s.t[s.n - 1] as number,
        version: result.version,
        replaced: result.replaced,
        previousRows: result.previousRows,
        zeroVolumeBars: s.zeroVolumeBars,
        splitsApplied: s.splitsApplied,
      });
    }
    const done: ImportSummary = {
      taskId: request.taskId,
      fileName,
      sha256,
      bytes: bytes.length,
      dataLines: parsed.dataLines,
      importedRows: total,
      series,
      rejected: parsed.rejected.slice(0, SUMMARY_REJECTED_LIMIT),
      rejectedCount: parsed.rejected.length,
      warnings,
      notes: parsed.notes,
      columns: parsed.columns,
      ignoredColumns: parsed.ignoredColumns,
      timeZone: parsed.timeZone,
      order: parsed.order,
      durationMs: 0,
    };
    store.updateImportSummary(importId, JSON.stringify(done));
    return done;
  })();
  ctx.progress?.(estimated, estimated);
  summary.durationMs = Math.round(performance.now() - started);
  return summary;
}

function refuseIfPolicySaysSo(parsed: ParsedFile, fileName: string, strict: boolean): void {
  const rejected = parsed.rejected.length;
  const imported = parsed.series.reduce((sum, s) => sum + s.n, 0);
  const details = {
    dataLines: parsed.dataLines,
    rejectedCount: rejected,
    rejected: parsed.rejected.slice(0, 100),
  };
  if (imported === 0) {
    throw new AppError(
      'REJECTED',
      parsed.dataLines === 0
        ? `Nothing imported: ${fileName} has a header but no data lines.`
        : `Nothing imported: none of the ${parsed.dataLines} data lines of ${fileName} is a valid bar (${firstReasons(parsed.rejected)}).`,
      details,
    );
  }
  if (strict && rejected > 0) {
    throw new AppError(
      'REJECTED',
      `Nothing imported (strict): ${rejected} of ${parsed.dataLines} data lines of ${fileName} were rejected (${firstReasons(parsed.rejected)}).`,
      details,
    );
  }
  if (rejected > parsed.dataLines * MAX_REJECTED_SHARE) {
    const pct = ((rejected / parsed.dataLines) * 100).toFixed(1);
    throw new AppError(
      'REJECTED',
      `Nothing imported: ${rejected} of ${parsed.dataLines} data lines of ${fileName} (${pct}%) were rejected, more than the ${MAX_REJECTED_SHARE * 100}% that a few bad rows explain, so the format was probably misread (${firstReasons(parsed.rejected)}). Check the date order and the columns, or name the columns with --columns.`,
      details,
    );
  }
}

function firstReasons(rejected: RejectedLine[], count = 3): string {
  const shown = rejected
    .slice(0, count)
    .map((r) => `line ${r.line}: ${r.reason}`)
    .join('; ');
  return rejected.length > count ? `${shown}; …` : shown;
}
