import fs from 'node:fs';
import path from 'node:path';
import type { NewsImportReport, ScoredText } from '../../../../shared/domain/sentiment';
import { AppError } from '../../../../shared/result';
import { MODEL_VERSION } from './model-version';
import { parseNewsFile } from './news-parser';
import type { NewsRepository, NewsRowInput } from './news-repository';
import { scoreText } from './sentiment-model';

/** Largest news file read: a year of headlines for a large watchlist fits well under it. */
export const MAX_NEWS_FILE_BYTES = 64 * 1024 * 1024;
/** Rejected lines listed in a report; the count covers all of them. */
const MAX_REJECTED_LISTED = 100;

export type NewsSource = { path: string } | { fileName: string; text: string };

export interface ImportNewsOptions {
  /** Wall-clock time of the import, for the import log (not market time). */
  importedAtMs: number;
  /** Scorer (the built-in model by default). */
  score?: (text: string) => ScoredText;
}

/**
 * Imports a news file: parses it, scores each distinct text once, and stores every accepted row in one
 * transaction. Rejected records are reported with their line and reason; if none is acceptable nothing is stored
 * and the call fails with REJECTED, listing them.
 */
export function importNews(repo: NewsRepository, source: NewsSource, options: ImportNewsOptions): NewsImportReport {
  const { fileName, text } = readSource(source);
  const parsed = parseNewsFile(fileName, text);
  const listed = parsed.rejected.slice(0, MAX_REJECTED_LISTED);
  if (parsed.records === 0) {
    throw new AppError('REJECTED', `${fileName} holds no news records. Nothing was imported.`);
  }
  if (parsed.items.length === 0) {
    const first = parsed.rejected[0];
    throw new AppError(
      'REJECTED',
      `None of the ${parsed.records} records of ${fileName} could be imported${first ? ` (line ${first.line}: ${first.reason})` : ''}. Nothing was imported.`,
      { rejected: listed, rejectedCount: parsed.rejected.length },
    );
  }

  const score = options.score ?? ((t: string) => scoreText(t));
  const byText = new Map<string, ScoredText>();
  const rows: NewsRowInput[] = parsed.items.map((item) => {
    let s = byText.get(item.text);
    if (!s) {
      s = score(item.text);
      byText.set(item.text, s);
    }
    return {
      tMs: item.tMs,
      symbol: item.symbol,
      text: item.text,
      score: s.score,
      label: s.label,
      terms: s.terms,
      modelVersion: s.modelVersion,
    };
  });

  const { importId, inserted } = repo.importBatch(
    {
      fileName,
      format: parsed.format,
      importedAtMs: options.importedAtMs,
      records: parsed.records,
      rejected: parsed.rejected.length,
    },
    rows,
  );

  const labels = { positive: 0, negative: 0, neutral: 0 };
  let firstTMs: number | null = null;
  let lastTMs: number | null = null;
  const symbols = new Set<string>();
  for (const r of rows) {
    labels[r.label]++;
    symbols.add(r.symbol);
    if (firstTMs === null || r.tMs < firstTMs) firstTMs = r.tMs;
    if (lastTMs === null || r.tMs > lastTMs) lastTMs = r.tMs;
  }
  return {
    importId,
    fileName,
    format: parsed.format,
    records: parsed.records,
    imported: inserted,
    duplicates: rows.length - inserted,
    rejectedCount: parsed.rejected.length,
    rejected: listed,
    repaired: parsed.repaired,
    symbols: [...symbols].sort(),
    firstTMs,
    lastTMs,
    labels,
    modelVersion: rows[0]?.modelVersion ?? MODEL_VERSION,
  };
}

function readSource(source: NewsSource): { fileName: string; text: string } {
  if ('text' in source) {
    if (Buffer.byteLength(source.text, 'utf8') > MAX_NEWS_FILE_BYTES) {
      throw new AppError('REJECTED', `${source.fileName} is larger than ${MAX_NEWS_FILE_BYTES >> 20} MiB.`);
    }
    return { fileName: source.fileName, text: source.text };
  }
  const file = path.resolve(source.path);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new AppError('NOT_FOUND', `No file at ${file}.`);
  }
  if (!stat.isFile()) throw new AppError('BAD_INPUT', `${file} is not a file.`);
  if (stat.size > MAX_NEWS_FILE_BYTES) {
    throw new AppError('REJECTED', `${file} is larger than ${MAX_NEWS_FILE_BYTES >> 20} MiB; split it first.`);
  }
  return { fileName: path.basename(file), text: decode(fs.readFileSync(file)) };
}

/** UTF-8, or UTF-16 when the file starts with its byte-order mark (Excel's "Unicode text"). */
function decode(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2, 2 + ((bytes.length - 2) & ~1)));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  return bytes.toString('utf8');
}
