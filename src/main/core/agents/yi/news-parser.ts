import type { NewsRejectedLine, NewsRepairedLine } from '../../../../shared/domain/sentiment';
import { AppError } from '../../../../shared/result';
import { type CsvRecord, parseCsvRecords, sniffDelimiter } from './csv-records';
import { normalizeText } from './normalize-text';
import { tokenize } from './tokenizer';

/** One accepted news record for one symbol. */
export interface ParsedNewsItem {
  line: number;
  tMs: number;
  symbol: string;
  text: string;
}

export interface ParsedNews {
  format: 'csv' | 'json' | 'ndjson';
  /** Records found (after repairs), accepted or not. */
  records: number;
  items: ParsedNewsItem[];
  rejected: NewsRejectedLine[];
  repaired: NewsRepairedLine[];
}

const TIME_COLUMNS = [
  'time',
  'date',
  'datetime',
  'timestamp',
  'publishedat',
  'published',
  'publishdate',
  'pubdate',
  'createdat',
  'created',
  'tms',
  'timems',
  'ts',
  't',
];
const SYMBOL_COLUMNS = ['symbol', 'symbols', 'ticker', 'tickers', 'stock', 'sym', 'cashtag', 'cashtags'];
const TEXT_COLUMNS = ['text', 'title', 'headline', 'body', 'content', 'message', 'tweet', 'summary', 'news'];

export const MAX_TEXT_CHARS = 20_000;
const TICKER = /^[A-Z][A-Z0-9.\-/]{0,14}$/;

/**
 * Reads news or posts from CSV, a JSON array (or an object holding one), or NDJSON. Columns are found by name
 * (time/date/timestamp..., symbol/ticker/stock..., text/title/headline...); an unnamed pandas index column is
 * ignored. Without a symbol column the $cashtags in the text give the symbols. Records a line break split in two
 * are joined back when the pieces add up to one record. Every other bad record is listed with its line and reason.
 * Times are ISO 8601 (with or without offset; none means UTC), RFC 2822, or epoch seconds/milliseconds.
 *
 * @throws AppError REJECTED when the file has no usable columns.
 */
export function parseNewsFile(fileName: string, text: string): ParsedNews {
  const format = detectFormat(fileName, text);
  return format === 'csv' ? parseCsvNews(text) : parseJsonNews(text, format);
}

function detectFormat(fileName: string, text: string): ParsedNews['format'] {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.ndjson') || lower.endsWith('.jsonl')) return 'ndjson';
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.csv') || lower.endsWith('.tsv')) return 'csv';
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('[')) return 'json';
  if (start.startsWith('{')) {
    const lines = start.split(/\r?\n/).filter((l) => l.trim() !== '');
    return lines.length > 1 && lines.every((l) => l.trim().startsWith('{')) ? 'ndjson' : 'json';
  }
  return 'csv';
}

function normalizeName(name: string): string {
  return normalizeText(name)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

function findColumn(names: string[], candidates: string[]): number {
  for (const c of candidates) {
    const idx = names.indexOf(c);
    if (idx >= 0) return idx;
  }
  return -1;
}

function parseCsvNews(text: string): ParsedNews {
  const delimiter = sniffDelimiter(text);
  const all = parseCsvRecords(text, delimiter);
  const header = all[0];
  if (!header) throw new AppError('REJECTED', 'The file is empty: no header line and no records.');
  const names = header.fields.map(normalizeName);
  const timeCol = findColumn(names, TIME_COLUMNS);
  const symbolCol = findColumn(names, SYMBOL_COLUMNS);
  const textCol = findColumn(names, TEXT_COLUMNS);
  requireColumns(header.fields, timeCol, textCol);

  const width = header.fields.length;
  const rows = repairBrokenRecords(all.slice(1), width);
  const items: ParsedNewsItem[] = [];
  const rejected: NewsRejectedLine[] = [];
  for (const rec of rows.records) {
    if (rec.unterminated) {
      rejected.push(reject(rec.line, 'a quoted field is never closed (the file ends inside it)', rec.raw));
      continue;
    }
    const fields = rec.fields;
    if (fields.length !== width && !(fields.length > width && fields.slice(width).every((f) => f.trim() === ''))) {
      rejected.push(reject(rec.line, `expected ${width} fields as in the header, found ${fields.length}`, rec.raw));
      continue;
    }
    const outcome = toItems(rec.line, fields[timeCol], symbolCol >= 0 ? fields[symbolCol] : undefined, fields[textCol]);
    if ('reason' in outcome) rejected.push(reject(rec.line, outcome.reason, rec.raw));
    else items.push(...outcome.items);
  }
  return { format: 'csv', records: rows.records.length, items, rejected, repaired: rows.repaired };
}

function requireColumns(header: string[], timeCol: number, textCol: number): void {
  const shown = header.map((h) => JSON.stringify(h)).join(', ');
  if (textCol < 0) {
    throw new AppError(
      'REJECTED',
      `No text column: the header has ${shown}; name one of ${TEXT_COLUMNS.join(', ')}. Nothing was imported.`,
    );
  }
  if (timeCol < 0) {
    throw new AppError(
      'REJECTED',
      `No time column: the header has ${shown}; name one of ${TIME_COLUMNS.join(', ')}. Sentiment is decayed by publication time, so undated news cannot be imported. Nothing was imported.`,
    );
  }
}

/**
 * Joins a record that an unquoted line break split in two ("title part" / ",date,symbol"): when a short record
 * and the next one have exactly `width` fields between them once the broken field is rejoined.
 */
function repairBrokenRecords(
  records: CsvRecord[],
  width: number,
): { records: CsvRecord[]; repaired: NewsRepairedLine[] } {
  const out: CsvRecord[] = [];
  const repaired: NewsRepairedLine[] = [];
  for (let k = 0; k < records.length; k++) {
    const rec = records[k] as CsvRecord;
    const next = records[k + 1];
    if (
      rec.fields.length < width &&
      !rec.unterminated &&
      next &&
      next.fields.length < width &&
      rec.fields.length + next.fields.length - 1 === width
    ) {
      const head = rec.fields.slice(0, -1);
      const joined = `${rec.fields[rec.fields.length - 1] ?? ''} ${next.fields[0] ?? ''}`.trim();
      out.push({
        line: rec.line,
        endLine: next.endLine,
        fields: [...head, joined, ...next.fields.slice(1)],
        raw: `${rec.raw}\n${next.raw}`,
        unterminated: next.unterminated,
      });
      repaired.push({
        line: rec.line,
        note: `record split across lines ${rec.line}-${next.endLine} by an unquoted line break; joined`,
      });
      k++;
      continue;
    }
    out.push(rec);
  }
  return { records: out, repaired };
}

function parseJsonNews(text: string, format: 'json' | 'ndjson'): ParsedNews {
  const objects: Array<{ line: number; value: unknown; raw: string }> = [];
  const rejected: NewsRejectedLine[] = [];
  const body = text.replace(/^\uFEFF/, '');
  if (format === 'ndjson') {
    body.split(/\r\n|\n|\r/).forEach((lineText, idx) => {
      if (lineText.trim() === '') return;
      try {
        objects.push({ line: idx + 1, value: JSON.parse(lineText), raw: lineText });
      } catch (e) {
        rejected.push(reject(idx + 1, `not valid JSON (${(e as Error).message})`, lineText));
      }
    });
  } else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (e) {
      throw new AppError('REJECTED', `The file is not valid JSON: ${(e as Error).message}. Nothing was imported.`);
    }
    const list = Array.isArray(parsed) ? parsed : findArray(parsed);
    if (!list) {
      throw new AppError(
        'REJECTED',
        'The JSON holds no list of news: expected an array of objects, or an object with an "items", "news", "data", "articles" or "results" array. Nothing was imported.',
      );
    }
    // JSON arrays have no useful physical lines: records are numbered from 1 in array order.
    list.forEach((value, idx) => {
      objects.push({ line: idx + 1, value, raw: safeStringify(value) });
    });
  }
  const items: ParsedNewsItem[] = [];
  for (const { line, value, raw } of objects) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      rejected.push(reject(line, 'not an object', raw));
      continue;
    }
    const byName = new Map<string, unknown>();
    for (const [k, v] of Object.entries(value)) {
      const name = normalizeName(k);
      if (!byName.has(name)) byName.set(name, v);
    }
    const pick = (candidates: string[]) => {
      for (const c of candidates) if (byName.has(c)) return byName.get(c);
      return undefined;
    };
    const outcome = toItems(line, pick(TIME_COLUMNS), pick(SYMBOL_COLUMNS), pick(TEXT_COLUMNS));
    if ('reason' in outcome) rejected.push(reject(line, outcome.reason, raw));
    else items.push(...outcome.items);
  }
  rejected.sort((a, b) => a.line - b.line);
  return {
    format,
    records: objects.length + (format === 'ndjson' ? rejectedJsonLines(rejected) : 0),
    items,
    rejected,
    repaired: [],
  };
}

function rejectedJsonLines(rejected: NewsRejectedLine[]): number {
  return rejected.filter((r) => r.reason.startsWith('not valid JSON')).length;
}

function findArray(value: unknown): unknown[] | null {
  if (typeof value !== 'object' || value === null) return null;
  for (const key of ['items', 'news', 'data', 'articles', 'results', 'posts']) {
    const v = (value as Record<string, unknown>)[key];
    if (Array.isArray(v)) return v;
  }
  return null;
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

type ItemOutcome = { items: ParsedNewsItem[] } | { reason: string };

function toItems(line: number, rawTime: unknown, rawSymbol: unknown, rawText: unknown): ItemOutcome {
  const text = typeof rawText === 'string' ? cleanText(rawText) : '';
  if (text === '') return { reason: 'the text is empty' };
  if (text.length > MAX_TEXT_CHARS) return { reason: `the text is longer than ${MAX_TEXT_CHARS} characters` };
  if (rawTime === undefined || rawTime === null || (typeof rawTime === 'string' && rawTime.trim() === '')) {
    return { reason: 'the time is missing' };
  }
  const tMs = parseTimeMs(rawTime);
  if (tMs === null) return { reason: `unrecognised time ${JSON.stringify(String(rawTime)).slice(0, 60)}` };

  let symbols: string[];
  const givenSymbols = symbolList(rawSymbol);
  if (givenSymbols.length > 0) {
    const bad = givenSymbols.find((s) => !TICKER.test(s));
    if (bad !== undefined) return { reason: `invalid symbol ${JSON.stringify(bad)}` };
    symbols = givenSymbols;
  } else {
    symbols = tokenize(text).symbols.filter((s) => TICKER.test(s));
    if (symbols.length === 0) return { reason: 'no symbol: the symbol is empty and the text has no $cashtag' };
  }
  return { items: symbols.map((symbol) => ({ line, tMs, symbol, text })) };
}

function symbolList(raw: unknown): string[] {
  const parts: string[] = [];
  const add = (s: string) => {
    for (const p of normalizeText(s).split(/[\s,;|]+/)) {
      const sym = p.replace(/^\$/, '').trim().toUpperCase();
      if (sym !== '' && !parts.includes(sym)) parts.push(sym);
    }
  };
  if (typeof raw === 'string') add(raw);
  else if (Array.isArray(raw)) for (const v of raw) if (typeof v === 'string') add(v);
  return parts;
}

function cleanText(raw: string): string {
  return normalizeText(raw).replace(/\s+/g, ' ').trim();
}

function reject(line: number, reason: string, raw: string): NewsRejectedLine {
  const excerpt = raw.replace(/\s+/g, ' ').trim();
  return { line, reason, excerpt: excerpt.length > 120 ? `${excerpt.slice(0, 117)}...` : excerpt };
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Parses a publication time to UTC epoch ms: ISO 8601 (a missing offset means UTC), RFC 2822 with a zone, or a
 * number of epoch seconds (9-10 digits) or milliseconds (12-13 digits). Returns null for anything else, including
 * impossible dates and years outside 1970-2100.
 */
export function parseTimeMs(raw: unknown): number | null {
  let ms: number | null = null;
  if (typeof raw === 'number') {
    ms = epochToMs(raw);
  } else if (typeof raw === 'string') {
    const s = normalizeText(raw).trim();
    if (/^\d+(\.\d+)?$/.test(s)) {
      ms = epochToMs(Number(s));
    } else {
      const m = ISO.exec(s);
      if (m) ms = isoToMs(m);
      else if (/[a-z]/i.test(s) && /(GMT|UTC|Z|[+-]\d{4})\s*$/i.test(s)) {
        const parsed = Date.parse(s);
        ms = Number.isFinite(parsed) ? parsed : null;
      }
    }
  }
  if (ms === null || !Number.isFinite(ms)) return null;
  const year = new Date(ms).getUTCFullYear();
  return year >= 1970 && year <= 2100 ? Math.round(ms) : null;
}

function epochToMs(n: number): number | null {
  if (!Number.isFinite(n) || n < 0) return null;
  const digits = Math.floor(n).toString().length;
  if (digits >= 9 && digits <= 10) return n * 1000;
  if (digits >= 12 && digits <= 13) return n;
  return null;
}

function isoToMs(m: RegExpExecArray): number | null {
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = ''] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null;
  const base = Date.UTC(year, month - 1, day, hour, minute, second, Number(frac.padEnd(3, '0').slice(0, 3)));
  if (new Date(base).getUTCDate() !== day) return null;
  let offsetMin = 0;
  if (zone && !/^(Z|UTC|GMT)$/i.test(zone)) {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
  }
  return base - offsetMin * 60_000;
}
