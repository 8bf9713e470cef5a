/**
 * Test-only reader for the real market files under /work/shared/data (the app's importer lives elsewhere). It
 * understands just the plain ones the analysis tests use: a header row, ISO dates or ISO date-times with an offset,
 * comma-separated numbers.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Bar } from '../../../../../shared/domain/market';
import { SHARED_DATA } from '../../../testing/fixtures';

export const SHARED_DATA_DIR = SHARED_DATA;

export const AAPL_DAILY = path.join(SHARED_DATA_DIR, 'market', 'daily', 'yahoofinance-AAPL-20040819-20180120.csv');
export const TSLA_DAILY = path.join(SHARED_DATA_DIR, 'market', 'daily', 'tsla_us_d.csv');
export const AAPL_1MIN = path.join(SHARED_DATA_DIR, 'market', 'intraday', 'AAPL_1min.csv');

const columnNames: Record<keyof Omit<Bar, 't'> | 't', string[]> = {
  t: ['date', 'datetime', 'data'],
  o: ['open', 'otwarcie'],
  h: ['high', 'najwyzszy'],
  l: ['low', 'najnizszy'],
  c: ['close', 'zamkniecie'],
  v: ['volume', 'wolumen'],
};

function parseTime(text: string): number {
  // A bare date is the UTC midnight of that day; a date-time carries its own offset.
  const t = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : Date.parse(text.replace(' ', 'T'));
  if (!Number.isFinite(t)) throw new Error(`Unreadable date ${text}`);
  return t;
}

/** Reads bars in file order, dropping rows with a non-positive price (pre-listing placeholders). */
export function readBarsCsv(file: string): Bar[] {
  const lines = fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
  const header = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
  const index = Object.fromEntries(
    Object.entries(columnNames).map(([key, names]) => {
      const i = header.findIndex((h) => names.includes(h));
      if (i < 0) throw new Error(`${path.basename(file)}: no ${key} column in ${header.join(',')}`);
      return [key, i];
    }),
  ) as Record<keyof Bar, number>;
  const bars: Bar[] = [];
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    const cell = (key: keyof Bar) => cells[index[key]] ?? '';
    const bar: Bar = {
      t: parseTime(cell('t')),
      o: Number(cell('o')),
      h: Number(cell('h')),
      l: Number(cell('l')),
      c: Number(cell('c')),
      v: Number(cell('v')),
    };
    if (bar.o > 0 && bar.h > 0 && bar.l > 0 && bar.c > 0) bars.push(bar);
  }
  return bars;
}
