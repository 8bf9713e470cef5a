import path from 'node:path';
import type {
  DataMethodInput,
  DataMethodName,
  DataMethodOutput,
  ImportOptions,
  ImportSummary,
  RejectedLine,
} from '../../../shared/contract/data';
import { type Timeframe, timeframes } from '../../../shared/domain/market';
import { AppError } from '../../../shared/result';
import { formatTime } from '../../core/market/import/parse-time';
import type { CliCommand } from '../command';
import { ProgressBar } from '../progress-bar';

/** How many rejected lines the command prints. */
const SHOWN_REJECTIONS = 20;

const USAGE =
  'import FILE [--symbol SYM] [--timeframe 1m|5m|15m|1h|1d] [--day-first|--month-first] [--tz ZONE] [--no-adjust] [--strict] [--columns a,b,c] [--json]';

// The data methods are called through the same dispatcher as every other command; this types ctx.call against
// the data contract.
type DataCall = <M extends DataMethodName>(method: M, input: DataMethodInput<M>) => Promise<DataMethodOutput<M>>;

/** Options that take a value. */
const VALUE_FLAGS = new Set(['--symbol', '--timeframe', '--tz', '--columns', '--data-dir']);
const BOOLEAN_FLAGS = new Set(['--day-first', '--month-first', '--no-adjust', '--strict', '--json']);

interface ParsedArgs {
  file: string;
  options: ImportOptions;
  json: boolean;
}

/** Reads the command line; throws BAD_INPUT naming the problem. */
export function parseImportArgs(args: readonly string[]): ParsedArgs {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
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
  if (positional.length !== 1) {
    throw new AppError(
      'BAD_INPUT',
      positional.length === 0
        ? `Name a file. Usage: npm run cli -- ${USAGE}`
        : `Import one file at a time (got ${positional.join(', ')})`,
    );
  }
  if (flags.has('--day-first') && flags.has('--month-first')) {
    throw new AppError('BAD_INPUT', '--day-first and --month-first contradict each other');
  }
  const timeframe = values.get('--timeframe');
  if (timeframe !== undefined && !(timeframes as readonly string[]).includes(timeframe)) {
    throw new AppError('BAD_INPUT', `--timeframe must be one of ${timeframes.join(', ')} (got ${timeframe})`);
  }
  const options: ImportOptions = {};
  const symbol = values.get('--symbol');
  if (symbol) options.symbol = symbol;
  if (timeframe) options.timeframe = timeframe as Timeframe;
  if (flags.has('--day-first')) options.dayFirst = true;
  if (flags.has('--month-first')) options.dayFirst = false;
  const tz = values.get('--tz');
  if (tz) options.timeZone = tz;
  if (flags.has('--no-adjust')) options.adjustSplits = false;
  if (flags.has('--strict')) options.strict = true;
  const columns = values.get('--columns');
  if (columns) options.columns = columns.split(',').map((c) => c.trim());
  return { file: path.resolve(positional[0] as string), options, json: flags.has('--json') };
}

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'Import OHLCV bars from a CSV file (Yahoo, Stooq, Kaggle, Nasdaq, Alpha Vantage, Tiingo, Binance...).',
  usage: USAGE,
  async run(ctx) {
    let parsed: ParsedArgs;
    try {
      parsed = parseImportArgs(ctx.args);
    } catch (e) {
      ctx.errOut.write(`${(e as Error).message}\n`);
      return 2;
    }
    const call = ctx.call as unknown as DataCall;
    const taskId = `cli-import-${process.pid}-${Date.now()}`;
    const bar = new ProgressBar(`Importing ${path.basename(parsed.file)}`, 'rows', ctx.errOut);
    const stop = ctx.engine().events.on('onProgress', (p) => {
      if (p.taskId === taskId && p.state === 'running' && p.total > 0) bar.update(p.done, p.total);
    });
    try {
      const summary = await call('data.import', { path: parsed.file, ...parsed.options, taskId });
      bar.finish(`${summary.importedRows.toLocaleString('en-US')} rows`);
      ctx.out.write(parsed.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
      return 0;
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      bar.finish('refused');
      ctx.errOut.write(formatRefusal(e));
      return 2;
    } finally {
      stop();
    }
  },
};

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

/** The summary as the terminal shows it. */
export function formatSummary(s: ImportSummary): string {
  const lines: string[] = [];
  lines.push(`Imported ${s.fileName}: ${count(s.importedRows, 'bar')} from ${count(s.dataLines, 'data line')}`);
  for (const series of s.series) {
    const daily = series.timeframe === '1d';
    const replaced = series.replaced ? `, replaced ${count(series.previousRows, 'bar')}` : ', new';
    lines.push(
      `  ${series.symbol.padEnd(10)} ${series.timeframe.padEnd(3)} ${count(series.rows, 'bar').padStart(14)}  ${formatTime(series.firstT, daily)} → ${formatTime(series.lastT, daily)}  version ${series.version}${replaced}`,
    );
  }
  lines.push(
    `Columns: ${Object.entries(s.columns)
      .map(([role, name]) => `${role} ← ${name}`)
      .join(', ')}${s.ignoredColumns.length > 0 ? `; ignored: ${s.ignoredColumns.join(', ')}` : ''}`,
  );
  lines.push(
    `Rows in the file: ${s.order === 'descending' ? 'newest first' : s.order === 'ascending' ? 'oldest first' : 'unordered'}`,
  );
  for (const note of s.notes) lines.push(`Note: ${note}`);
  for (const warning of s.warnings) lines.push(`Warning: ${warning}`);
  if (s.rejectedCount > 0) {
    lines.push(`Rejected ${count(s.rejectedCount, 'line')}:`);
    lines.push(...formatRejected(s.rejected, s.rejectedCount));
  } else {
    lines.push('Rejected: none');
  }
  return `${lines.join('\n')}\n`;
}

function formatRejected(rejected: readonly RejectedLine[], total: number): string[] {
  const lines = rejected.slice(0, SHOWN_REJECTIONS).map((r) => `  line ${r.line}: ${r.reason}`);
  if (total > SHOWN_REJECTIONS) lines.push(`  … and ${(total - SHOWN_REJECTIONS).toLocaleString('en-US')} more`);
  return lines;
}

function formatRefusal(e: AppError): string {
  const lines = [`Import refused (${e.code}): ${e.message}`];
  const details = e.details as { rejected?: RejectedLine[]; rejectedCount?: number } | undefined;
  if (details?.rejected && details.rejected.length > 0) {
    lines.push('Rejected lines:');
    lines.push(...formatRejected(details.rejected, details.rejectedCount ?? details.rejected.length));
  }
  lines.push('Nothing was written.');
  return `${lines.join('\n')}\n`;
}
