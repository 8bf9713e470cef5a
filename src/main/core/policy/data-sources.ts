import fs from 'node:fs';
import path from 'node:path';
import { type Timeframe, timeframeSchema } from '../../../shared/domain/market';
import { AppError } from '../../../shared/result';
import { parseMarketCsv } from '../market/import/parse-file';
import { parseDay } from '../market/sessions';
import { SyntheticMarket } from '../market/synthetic/synthetic-market';
import type { BarSeries } from './bar-series';

/** A slice of the seeded synthetic market: enough to regenerate the exact same bars anywhere. */
export interface SyntheticSpec {
  seed: number;
  symbols: string[];
  timeframe: Timeframe;
  /** First and last calendar day, YYYY-MM-DD (UTC). */
  fromDay: string;
  toDay: string;
}

/**
 * Bars of the synthetic market, one series per symbol. Walks the sessions in order and takes every symbol's bars
 * of a session while its simulated day is in the generator's cache, so each day is simulated once.
 */
export function syntheticSeries(
  spec: SyntheticSpec,
  hooks: { progress?(done: number, total: number): void; cancelled?(): boolean } = {},
): BarSeries[] {
  timeframeSchema.parse(spec.timeframe);
  const fromT = parseDay(spec.fromDay);
  const toT = parseDay(spec.toDay) + 86_400_000 - 1;
  if (!(toT > fromT)) throw new AppError('BAD_INPUT', `The synthetic period ${spec.fromDay}..${spec.toDay} is empty`);
  const market = new SyntheticMarket({ seed: spec.seed, symbols: spec.symbols });
  const columns = spec.symbols.map(() => ({
    t: [] as number[],
    o: [] as number[],
    h: [] as number[],
    l: [] as number[],
    c: [] as number[],
    v: [] as number[],
  }));
  const first = market.sessionIndexAtOrAfter(Math.max(fromT, market.startT));
  const estimate = Math.max(1, Math.round(((toT - fromT) / 86_400_000) * (252 / 365)));
  let done = 0;
  for (let i = first; market.session(i).open <= toT; i++) {
    const session = market.session(i);
    // A daily bucket opens at the session's calendar day; intraday buckets within the session.
    const dayStart = Math.floor(session.open / 86_400_000) * 86_400_000;
    const [from, to] =
      spec.timeframe === '1d' ? [dayStart, dayStart + 86_400_000 - 1] : [session.open, session.close - 1];
    spec.symbols.forEach((symbol, s) => {
      const col = columns[s] as (typeof columns)[number];
      for (const bar of market.bars(symbol, spec.timeframe, from, to)) {
        if (bar.t < fromT || bar.t > toT) continue;
        col.t.push(bar.t);
        col.o.push(bar.o);
        col.h.push(bar.h);
        col.l.push(bar.l);
        col.c.push(bar.c);
        col.v.push(bar.v);
      }
    });
    done++;
    if (done % 20 === 0) {
      hooks.progress?.(Math.min(done, estimate), estimate);
      if (hooks.cancelled?.()) throw new AppError('CANCELLED', 'Generating the synthetic market was cancelled');
    }
  }
  hooks.progress?.(estimate, estimate);
  return spec.symbols.map((symbol, s) => {
    const col = columns[s] as (typeof columns)[number];
    return {
      symbol,
      timeframe: spec.timeframe,
      t: Float64Array.from(col.t),
      o: Float64Array.from(col.o),
      h: Float64Array.from(col.h),
      l: Float64Array.from(col.l),
      c: Float64Array.from(col.c),
      v: Float64Array.from(col.v),
    };
  });
}

/**
 * Every series in a market data file, read with the importer's parser (column sniffing, date formats, split
 * back-adjustment) without storing anything. Throws NOT_FOUND naming a missing file.
 */
export function readMarketFile(file: string): BarSeries[] {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('NOT_FOUND', `No such file: ${file}`);
    throw new AppError('REJECTED', `Cannot read ${file}: ${(e as Error).message}`);
  }
  const parsed = parseMarketCsv(bytes, path.basename(file));
  return parsed.series.map((s) => ({
    symbol: s.symbol,
    timeframe: s.timeframe,
    t: s.t.slice(0, s.n),
    o: s.o.slice(0, s.n),
    h: s.h.slice(0, s.n),
    l: s.l.slice(0, s.n),
    c: s.c.slice(0, s.n),
    v: s.v.slice(0, s.n),
  }));
}
