import path from 'node:path';
import { toApiError } from '../../../shared/result';
import type { CliCommand } from '../command';

const USAGE = 'news FILE [--json]';

/**
 * Imports news or posts for the Yi sentiment slot: CSV, JSON or NDJSON with time, symbol and text. The file goes in
 * whole or not at all; each item is scored as it is stored, and rejected lines are reported by number.
 */
export const newsCommand: CliCommand = {
  name: 'news',
  summary: 'Import news or posts (CSV, JSON or NDJSON with time, symbol, text) for the sentiment slot.',
  usage: USAGE,
  async run(ctx) {
    const positional = ctx.args.filter((a, i) => !a.startsWith('--') && ctx.args[i - 1] !== '--data-dir');
    const json = ctx.args.includes('--json');
    const unknown = ctx.args.filter((a) => a.startsWith('--') && a !== '--json' && a !== '--data-dir');
    if (positional.length !== 1 || unknown.length > 0) {
      ctx.errOut.write(
        `${unknown.length ? `Unknown option ${unknown[0]}. ` : 'Give one news file. '}Usage: npm run cli -- ${USAGE}\n`,
      );
      return 2;
    }
    const file = path.resolve(positional[0] as string);
    let report: Awaited<ReturnType<typeof ctx.call<'news.import'>>>;
    try {
      report = await ctx.call('news.import', { path: file });
    } catch (e) {
      ctx.errOut.write(`${toApiError(e).message}\n`);
      return 1;
    }
    if (json) {
      ctx.out.write(`${JSON.stringify(report, null, 2)}\n`);
      return 0;
    }
    const day = (t: number | null) => (t === null ? '?' : new Date(t).toISOString().slice(0, 10));
    ctx.out.write(
      `Imported ${report.imported} of ${report.records} records from ${report.fileName} (${report.format}); ${report.duplicates} already stored, ${report.rejectedCount} rejected.\n`,
    );
    if (report.imported > 0 || report.duplicates > 0) {
      ctx.out.write(
        `Symbols: ${report.symbols.slice(0, 20).join(', ')}${report.symbols.length > 20 ? `, and ${report.symbols.length - 20} more` : ''}; ${day(report.firstTMs)} to ${day(report.lastTMs)}.\n`,
      );
      ctx.out.write(
        `Scored by ${report.modelVersion}: ${report.labels.positive} positive, ${report.labels.negative} negative, ${report.labels.neutral} neutral.\n`,
      );
    }
    for (const r of report.rejected.slice(0, 20)) ctx.out.write(`  line ${r.line}: ${r.reason} (${r.excerpt})\n`);
    if (report.rejectedCount > 20) ctx.out.write(`  ... and ${report.rejectedCount - 20} more rejected lines\n`);
    return 0;
  },
};
