/**
 * Market data methods: importing OHLCV CSV files, listing stored series, reading bars, deleting a series.
 * Import progress is pushed as `onProgress` events (kind 'import', unit 'rows'); see `../domain/progress.ts`.
 */
import { z } from 'zod';
import { barSchema, seriesInfoSchema, timeframeSchema } from '../domain/market';
import { event, method } from './define';

/** Browser uploads travel as text through the API; larger files go through `npm run cli -- import FILE`. */
export const IMPORT_TEXT_MAX_CHARS = 64 * 1024 * 1024;

/** The most bars one `data.bars` call returns, and the default when no limit is given. */
export const BARS_MAX_LIMIT = 100_000;
export const BARS_DEFAULT_LIMIT = 5_000;

/** The symbol rule shared by import overrides and queries: letters, digits and `. - / ^ = _`, up to 32 characters. */
export const symbolSchema = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .regex(/^[A-Za-z0-9.\-/^=_]+$/, 'A symbol is letters, digits and . - / ^ = _ only');

/** How to read a CSV file. Every option is optional: the importer detects what the file says. */
export const importOptionsSchema = z.object({
  /** The symbol to store the bars under; wins over a symbol column, column prefixes and the file name. */
  symbol: symbolSchema.optional(),
  /** The bars' timeframe; detected from the spacing of the timestamps when omitted. */
  timeframe: timeframeSchema.optional(),
  /** For dates like 03/04/2020: true = day first (DD/MM), false = month first (MM/DD). Detected when omitted. */
  dayFirst: z.boolean().optional(),
  /**
   * IANA zone of timestamps that carry no offset (e.g. "America/New_York", "UTC"). Default: America/New_York for
   * US equities, UTC for crypto pairs. Ignored for daily bars and for timestamps with an offset.
   */
  timeZone: z.string().trim().min(1).max(64).optional(),
  /** Back-adjust raw prices (and volume) for splits when the file has a split column. Default true. */
  adjustSplits: z.boolean().optional(),
  /** Refuse the whole file on any rejected line (default: refuse only above 5% rejected lines). */
  strict: z.boolean().optional(),
  /**
   * Column names to use instead of the file's header, in file order (for files without a header row). An empty
   * or unknown name ignores that column. When the file does have a header row, these names replace it.
   */
  columns: z.array(z.string().max(64)).min(1).max(256).optional(),
  /** An id for the progress events and `data.cancelImport`; one is made up when omitted. */
  taskId: z.string().min(1).max(100).optional(),
});
export type ImportOptions = z.infer<typeof importOptionsSchema>;

export const rejectedLineSchema = z.object({
  /** 1-based physical line in the file (the header is line 1). */
  line: z.number().int().positive(),
  reason: z.string(),
});
export type RejectedLine = z.infer<typeof rejectedLineSchema>;

export const importedSeriesSchema = z.object({
  symbol: z.string(),
  timeframe: timeframeSchema,
  rows: z.number().int().nonnegative(),
  firstT: z.number().int(),
  lastT: z.number().int(),
  version: z.number().int().nonnegative(),
  /** True when a stored series was replaced by this import. */
  replaced: z.boolean(),
  /** Rows that were already stored for this series before (0 when new). */
  previousRows: z.number().int().nonnegative(),
  zeroVolumeBars: z.number().int().nonnegative(),
  /** Splits applied as back-adjustment: the first bar at the new share count and the factor (new/old shares). */
  splitsApplied: z.array(z.object({ t: z.number().int(), factor: z.number().positive() })),
});
export type ImportedSeries = z.infer<typeof importedSeriesSchema>;

/** What an import did. Written to the import history as JSON too. */
export const importSummarySchema = z.object({
  taskId: z.string(),
  fileName: z.string(),
  sha256: z.string(),
  bytes: z.number().int().nonnegative(),
  /** Non-blank lines after the header. */
  dataLines: z.number().int().nonnegative(),
  importedRows: z.number().int().nonnegative(),
  series: z.array(importedSeriesSchema),
  /** The first rejected lines (up to 1,000) in file order; `rejectedCount` has them all. */
  rejected: z.array(rejectedLineSchema),
  rejectedCount: z.number().int().nonnegative(),
  /** Things the user should know about: zero-volume bars, skipped symbols, a renamed ticker. */
  warnings: z.array(z.string()),
  /** How the file was read: the columns used, the date order, the time zone applied, splits adjusted. */
  notes: z.array(z.string()),
  /** Role → the file's column name, e.g. { time: "Date", open: "Open", ... }. */
  columns: z.record(z.string(), z.string()),
  ignoredColumns: z.array(z.string()),
  /** The zone that naive intraday timestamps were read in; null when none were. */
  timeZone: z.string().nullable(),
  /** The file's row order by time. */
  order: z.enum(['ascending', 'descending', 'unordered']),
  durationMs: z.number().nonnegative(),
});
export type ImportSummary = z.infer<typeof importSummarySchema>;

export const seriesKeySchema = z.object({ symbol: symbolSchema, timeframe: timeframeSchema });

export const dataMethods = {
  'data.import': method({
    summary:
      'Imports an OHLCV CSV file from disk into the bar store (all or nothing) and returns a summary; progress as onProgress.',
    input: importOptionsSchema.extend({ path: z.string().min(1) }),
    output: importSummarySchema,
  }),
  'data.importText': method({
    summary: `Imports CSV text (a browser upload, at most ${IMPORT_TEXT_MAX_CHARS / 1024 / 1024} MB) like data.import.`,
    input: importOptionsSchema.extend({ fileName: z.string().min(1).max(255), text: z.string() }),
    output: importSummarySchema,
  }),
  'data.cancelImport': method({
    summary: 'Cancels a running import by its task id; nothing of it is written.',
    input: z.object({ taskId: z.string().min(1) }),
    output: z.object({ cancelled: z.boolean() }),
  }),
  'data.series': method({
    summary: 'Every stored series (symbol, timeframe, source, rows, range, version).',
    input: z.object({ symbol: symbolSchema.optional() }).optional(),
    output: z.array(seriesInfoSchema),
  }),
  'data.bars': method({
    summary: `Bars of one series in ascending time, from..to inclusive; at most limit (default ${BARS_DEFAULT_LIMIT}, max ${BARS_MAX_LIMIT}), the earliest ones or with fromEnd the latest ones.`,
    input: seriesKeySchema.extend({
      from: z.number().int().optional(),
      to: z.number().int().optional(),
      limit: z.number().int().positive().max(BARS_MAX_LIMIT).optional(),
      fromEnd: z.boolean().optional(),
    }),
    output: z.array(barSchema),
  }),
  'data.deleteSeries': method({
    summary: 'Deletes one stored series and its bars.',
    input: seriesKeySchema,
    output: z.object({ deleted: z.boolean(), rows: z.number().int().nonnegative() }),
  }),
} as const;

export const seriesChangeSchema = z.object({
  symbol: z.string(),
  timeframe: timeframeSchema,
  /** The series' new version, or null when it was deleted. */
  version: z.number().int().nullable(),
});
export type SeriesChange = z.infer<typeof seriesChangeSchema>;

export const dataEvents = {
  onSeriesChanged: event({
    summary: 'A stored series was imported, replaced or deleted: charts reload it, caches keyed by version drop it.',
    payload: seriesChangeSchema,
  }),
} as const;

export type DataMethods = typeof dataMethods;
export type DataMethodName = keyof DataMethods;
export type DataMethodInput<M extends DataMethodName> = z.input<DataMethods[M]['input']>;
export type DataMethodArgs<M extends DataMethodName> = z.output<DataMethods[M]['input']>;
export type DataMethodOutput<M extends DataMethodName> = z.output<DataMethods[M]['output']>;
