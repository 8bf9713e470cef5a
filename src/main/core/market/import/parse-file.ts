/**
 * Reads an OHLCV CSV file into per-symbol bar arrays, with every rejected line and its reason. Pure: no database,
 * no file system. See `import-file.ts` for the rejection policy and the write.
 */
import type { ImportOptions, RejectedLine } from '../../../../shared/contract/data';
import type { Timeframe } from '../../../../shared/domain/market';
import { AppError } from '../../../../shared/result';
import { type ColumnPlan, columnLabel, planColumns } from './columns';
import { CsvCursor, detectDelimiter, FIELD_QUOTED } from './csv-tokenizer';
import { clip, describeBadNumber, parseNumber } from './parse-number';
import {
  DAY_MS,
  dayMonthPair,
  epochToMs,
  epochUnitOf,
  formatTime,
  NO_OFFSET,
  newDateTimeValue,
  parseClock,
  parseDateTime,
} from './parse-time';
import { backAdjustSplits, isNoSplit, type SplitEvent, snapSplitFactor } from './splits';
import { isCryptoSymbol, normalizeSymbol, RENAMED_TICKERS, symbolFromFileName } from './symbols';
import { makeZoneConverter, US_EXCHANGE_ZONE } from './time-zone';
import { modalSpacing, timeframeFromSpacing } from './timeframe';

// Local bindings of the hot-path imports: under a CommonJS transform (tsx, vitest) every use of an imported name
// is a getter call on the module object, which costs a fifth of the parse time over a million rows.
const parseNum = parseNumber;
const parseDate = parseDateTime;
const parseTimeOfDay = parseClock;
const QUOTED = FIELD_QUOTED;
const NAIVE = NO_OFFSET;
const DAY = DAY_MS;

/** Rows between progress reports and cancellation checks. */
export const PROGRESS_EVERY = 50_000;

/** How many data records the column sniffing looks at. */
const SAMPLE_ROWS = 200;

export type ParseOptions = Omit<ImportOptions, 'taskId'>;

export interface ParseHooks {
  /** Rows read so far and the estimated number of data rows; called every {@link PROGRESS_EVERY} rows. */
  progress?(rows: number, estimatedRows: number): void;
  /** Checked with every progress report; true stops the parse with CANCELLED. */
  cancelled?(): boolean;
}

/** One symbol's bars, ascending, without duplicates, split-adjusted when asked. */
export interface ParsedSeries {
  symbol: string;
  timeframe: Timeframe;
  n: number;
  t: Float64Array;
  o: Float64Array;
  h: Float64Array;
  l: Float64Array;
  c: Float64Array;
  v: Float64Array;
  zeroVolumeBars: number;
  splitsApplied: SplitEvent[];
}

export interface ParsedFile {
  series: ParsedSeries[];
  /** Non-blank lines after the header. */
  dataLines: number;
  /** Every rejected line, in line order. */
  rejected: RejectedLine[];
  warnings: string[];
  notes: string[];
  columns: Record<string, string>;
  ignoredColumns: string[];
  timeZone: string | null;
  order: 'ascending' | 'descending' | 'unordered';
}

type TimeKind = 'epoch' | 'date' | 'clock' | 'none';

/** Growable column storage for the rows read, before they are split into series. */
class Rows {
  n = 0;
  wall: Float64Array;
  offset: Int32Array;
  o: Float64Array;
  h: Float64Array;
  l: Float64Array;
  c: Float64Array;
  v: Float64Array;
  split: Float64Array;
  line: Int32Array;
  series: Uint32Array;

  constructor(capacity: number) {
    this.wall = new Float64Array(capacity);
    this.offset = new Int32Array(capacity);
    this.o = new Float64Array(capacity);
    this.h = new Float64Array(capacity);
    this.l = new Float64Array(capacity);
    this.c = new Float64Array(capacity);
    this.v = new Float64Array(capacity);
    this.split = new Float64Array(capacity);
    this.line = new Int32Array(capacity);
    this.series = new Uint32Array(capacity);
  }

  grow(): void {
    const size = Math.max(1024, this.wall.length * 2);
    const g = <T extends Float64Array | Int32Array | Uint32Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a as never);
      return b;
    };
    this.wall = g(this.wall, (n) => new Float64Array(n));
    this.offset = g(this.offset, (n) => new Int32Array(n));
    this.o = g(this.o, (n) => new Float64Array(n));
    this.h = g(this.h, (n) => new Float64Array(n));
    this.l = g(this.l, (n) => new Float64Array(n));
    this.c = g(this.c, (n) => new Float64Array(n));
    this.v = g(this.v, (n) => new Float64Array(n));
    this.split = g(this.split, (n) => new Float64Array(n));
    this.line = g(this.line, (n) => new Int32Array(n));
    this.series = g(this.series, (n) => new Uint32Array(n));
  }
}

/**
 * Parses a market data CSV. Throws AppError REJECTED (the file cannot be read as bars: no header, no price
 * columns, unknown timeframe, ambiguous dates), BAD_INPUT (an option does not fit the file) or CANCELLED.
 */
export function parseMarketCsv(
  bytes: Uint8Array,
  fileName: string,
  options: ParseOptions = {},
  hooks: ParseHooks = {},
): ParsedFile {
  const delimiter = detectDelimiter(bytes);
  const head = new CsvCursor(bytes, delimiter);
  if (!nextRecord(head)) throw new AppError('REJECTED', `${fileName} is empty: there is nothing to import`);
  const firstFields = head.fields();
  const firstIsData = looksLikeData(firstFields);

  let names: string[];
  let dataStart = head.offset;
  let dataLine = head.lineAfter;
  if (options.columns) {
    if (options.columns.length !== firstFields.length) {
      throw new AppError(
        'BAD_INPUT',
        `${options.columns.length} column names were given, but line ${head.line} of ${fileName} has ${firstFields.length} fields`,
      );
    }
    names = options.columns;
    if (firstIsData) {
      dataStart = 0;
      dataLine = 1;
    }
  } else if (firstIsData) {
    throw new AppError(
      'REJECTED',
      `No header row: line ${head.line} of ${fileName} looks like data (${clip(firstFields.join(','), 80)}). Name the columns with the columns option, for example --columns ${suggestColumns(firstFields)}`,
      { suggestedColumns: suggestColumns(firstFields).split(',') },
    );
  } else {
    names = firstFields;
  }

  const plan = planColumns(names);
  const sample = readSample(bytes, delimiter, dataStart, dataLine);
  const time = chooseTimeColumn(plan, sample, fileName);
  const decimalComma =
    delimiter === 59 && [plan.open, plan.high, plan.low, plan.close].some((i) => usesDecimalComma(sample, i));

  const notes: string[] = [];
  const warnings: string[] = [];

  let dayFirst: boolean | null = options.dayFirst ?? null;
  if (time.kind === 'date' && dayFirst === null && sample.some((r) => isDayMonthShape(r[time.index] ?? ''))) {
    dayFirst = decideDayFirst(bytes, delimiter, dataStart, dataLine, time.index, fileName, notes);
  } else if (options.dayFirst !== undefined && sample.some((r) => isDayMonthShape(r[time.index] ?? ''))) {
    notes.push(`dates read as ${options.dayFirst ? 'DD/MM/YYYY' : 'MM/DD/YYYY'} (as asked)`);
  }

  // The symbol when the file has no symbol column: the caller's, the column prefix, or the file name.
  let fixedSymbol: string | null = null;
  if (plan.symbol < 0) {
    if (options.symbol) {
      fixedSymbol = requireSymbol(options.symbol);
    } else if (plan.prefix) {
      fixedSymbol = requireSymbol(plan.prefix);
      notes.push(`symbol ${fixedSymbol} from the column names (${plan.names[plan.open]})`);
    } else {
      const fromName = symbolFromFileName(fileName);
      if (!fromName) {
        throw new AppError(
          'BAD_INPUT',
          `Cannot tell the symbol: ${fileName} has no Symbol or Ticker column and its name holds no ticker. Pass the symbol option (--symbol AAPL).`,
        );
      }
      fixedSymbol = fromName.symbol;
      notes.push(`symbol ${fixedSymbol} from the file name ("${fromName.token}")`);
    }
  }

  // ---- the main pass ----
  const estimatedRows = estimateRows(bytes.length - dataStart, sample);
  const rows = new Rows(Math.ceil(estimatedRows * 1.1) + 16);
  const rejected: RejectedLine[] = [];
  const symbols: string[] = fixedSymbol ? [fixedSymbol] : [];
  const symbolIndex = new Map<string, number>(symbols.map((s, i) => [s, i]));
  const dt = newDateTimeValue();
  const headerCount = names.length;
  const ti = time.index;
  const ci = time.clockIndex;
  const oi = plan.open;
  const hi = plan.high;
  const li = plan.low;
  const cli = plan.close;
  const vi = plan.volume;
  const si = plan.symbol;
  const xi = plan.split;
  const needed = Math.max(ti, ci, oi, hi, li, cli, vi, si, xi);
  const label = {
    time: columnLabel(plan, ti, 'date'),
    open: columnLabel(plan, oi, 'open'),
    high: columnLabel(plan, hi, 'high'),
    low: columnLabel(plan, li, 'low'),
    close: columnLabel(plan, cli, 'close'),
    volume: columnLabel(plan, vi, 'volume'),
    symbol: columnLabel(plan, si, 'symbol'),
    split: columnLabel(plan, xi, 'split'),
  };
  const b = bytes;
  const cur = new CsvCursor(bytes, delimiter, dataStart, dataLine);
  let dataLines = 0;
  let lastSymbolStart = -1;
  let lastSymbolEnd = -1;
  let lastSymbol = 0;
  let anyOffset = false;

  while (cur.next()) {
    if (cur.isBlank()) continue;
    dataLines++;
    if (dataLines % PROGRESS_EVERY === 0) {
      hooks.progress?.(dataLines, Math.max(estimatedRows, dataLines));
      if (hooks.cancelled?.()) throw new AppError('CANCELLED', 'The import was cancelled; nothing was written');
    }
    const line = cur.line;
    const count = cur.count;
    if (count !== headerCount && (count <= needed || !extraFieldsEmpty(cur, headerCount))) {
      rejected.push({ line, reason: `expected ${headerCount} fields, found ${count}` });
      continue;
    }
    const st = cur.starts;
    const en = cur.ends;
    const fl = cur.flags;

    let wall: number;
    let offset = NAIVE;
    if (time.kind === 'epoch') {
      wall = epochToMs(parseNum(b, st[ti] as number, en[ti] as number, false), time.epochUnit);
      if (Number.isNaN(wall)) {
        rejected.push({ line, reason: badDate(cur.text(ti), label.time) });
        continue;
      }
      offset = 0;
    } else {
      if (!parseDate(b, st[ti] as number, en[ti] as number, dayFirst, dt)) {
        rejected.push({ line, reason: badDate(cur.text(ti), label.time) });
        continue;
      }
      wall = dt.wallMs;
      offset = dt.offsetMin;
      if (ci >= 0 && !dt.hasTime) {
        const ms = parseTimeOfDay(b, st[ci] as number, en[ci] as number);
        if (ms < 0) {
          rejected.push({ line, reason: `not a time of day: "${clip(cur.text(ci))}"` });
          continue;
        }
        wall += ms;
      }
    }

    const o = parseNum(b, st[oi] as number, en[oi] as number, ((fl[oi] as number) & QUOTED) !== 0, decimalComma);
    if (!(o > 0)) {
      rejected.push({ line, reason: badPrice(o, cur.text(oi), label.open) });
      continue;
    }
    const h = parseNum(b, st[hi] as number, en[hi] as number, ((fl[hi] as number) & QUOTED) !== 0, decimalComma);
    if (!(h > 0)) {
      rejected.push({ line, reason: badPrice(h, cur.text(hi), label.high) });
      continue;
    }
    const l = parseNum(b, st[li] as number, en[li] as number, ((fl[li] as number) & QUOTED) !== 0, decimalComma);
    if (!(l > 0)) {
      rejected.push({ line, reason: badPrice(l, cur.text(li), label.low) });
      continue;
    }
    const c = parseNum(b, st[cli] as number, en[cli] as number, ((fl[cli] as number) & QUOTED) !== 0, decimalComma);
    if (!(c > 0)) {
      rejected.push({ line, reason: badPrice(c, cur.text(cli), label.close) });
      continue;
    }
    let v = 0;
    if (vi >= 0) {
      v = parseNum(b, st[vi] as number, en[vi] as number, ((fl[vi] as number) & QUOTED) !== 0, decimalComma);
      if (!(v >= 0)) {
        rejected.push({
          line,
          reason: Number.isNaN(v) ? describeBadNumber(cur.text(vi), label.volume) : `${label.volume} is negative: ${v}`,
        });
        continue;
      }
    }
    if (h < l) {
      rejected.push({ line, reason: `${label.high} ${h} is below ${label.low} ${l}` });
      continue;
    }
    if (o > h || o < l) {
      rejected.push({ line, reason: `${label.open} ${o} is outside ${label.low}..${label.high} (${l}..${h})` });
      continue;
    }
    if (c > h || c < l) {
      rejected.push({ line, reason: `${label.close} ${c} is outside ${label.low}..${label.high} (${l}..${h})` });
      continue;
    }

    let series = 0;
    if (si >= 0) {
      const s = st[si] as number;
      const e = en[si] as number;
      if (lastSymbolStart >= 0 && sameBytes(b, s, e, lastSymbolStart, lastSymbolEnd)) {
        series = lastSymbol;
      } else {
        const text = cur.text(si);
        const symbol = normalizeSymbol(text);
        if (symbol === null) {
          rejected.push({
            line,
            reason: text.trim() === '' ? `missing ${label.symbol}` : `not a symbol: "${clip(text)}"`,
          });
          continue;
        }
        let index = symbolIndex.get(symbol);
        if (index === undefined) {
          index = symbols.length;
          symbols.push(symbol);
          symbolIndex.set(symbol, index);
        }
        series = index;
        lastSymbol = index;
        lastSymbolStart = s;
        lastSymbolEnd = e;
      }
    }

    let split = 1;
    if (xi >= 0) {
      const s = st[xi] as number;
      const e = en[xi] as number;
      if (e > s) {
        split = parseNum(b, s, e, false, decimalComma);
        if (!(split >= 0)) {
          rejected.push({
            line,
            reason: Number.isNaN(split)
              ? describeBadNumber(cur.text(xi), label.split)
              : `${label.split} is negative: ${split}`,
          });
          continue;
        }
      }
    }

    if (rows.n === rows.wall.length) rows.grow();
    const k = rows.n++;
    rows.wall[k] = wall;
    rows.offset[k] = offset;
    if (offset !== NAIVE) anyOffset = true;
    rows.o[k] = o;
    rows.h[k] = h;
    rows.l[k] = l;
    rows.c[k] = c;
    rows.v[k] = v;
    rows.split[k] = split;
    rows.line[k] = line;
    rows.series[k] = series;
  }
  if (cur.unterminatedQuote) {
    throw new AppError(
      'REJECTED',
      `A quoted field that starts on line ${cur.line} of ${fileName} is never closed, so the rest of the file cannot be read. Check the file for a stray double quote.`,
    );
  }
  hooks.progress?.(dataLines, dataLines);

  // ---- symbols: the caller's choice wins ----
  let keep = symbols.map(() => true);
  if (si >= 0) {
    notes.push(`symbol${symbols.length === 1 ? '' : 's'} from the ${label.symbol} column`);
    if (options.symbol) {
      const wanted = requireSymbol(options.symbol);
      if (symbols.length === 1) {
        if (symbols[0] !== wanted) notes.push(`stored as ${wanted} (the file says ${symbols[0]})`);
        symbols[0] = wanted;
      } else if (symbols.includes(wanted)) {
        keep = symbols.map((s) => s === wanted);
        const others = symbols.filter((s) => s !== wanted);
        warnings.push(`imported only ${wanted}, as asked; skipped the rows of ${others.join(', ')}`);
      } else if (symbols.length > 1) {
        throw new AppError(
          'BAD_INPUT',
          `${fileName} holds ${symbols.join(', ')}; ${wanted} is not among them. Leave out the symbol option to import them all, or name one of them.`,
        );
      }
    }
  }
  if (plan.volume < 0) warnings.push('the file has no volume column: volume is stored as 0');

  // ---- per series: order, timeframe, UTC times, duplicates, splits ----
  const bySeries = groupBySeries(rows, symbols.length);
  const defaultZone = options.timeZone ?? null;
  const zonesUsed = new Set<string>();
  const orders = new Set<'ascending' | 'descending' | 'unordered'>();
  const out: ParsedSeries[] = [];
  const adjust = options.adjustSplits !== false;

  for (let s = 0; s < symbols.length; s++) {
    const indices = bySeries[s] as Int32Array;
    if (!keep[s] || indices.length === 0) continue;
    const symbol = symbols[s] as string;
    const order = sortByWall(rows, indices);
    orders.add(order);
    const n = indices.length;
    const walls = new Float64Array(n);
    let dateOnly = true;
    for (let i = 0; i < n; i++) {
      const w = rows.wall[indices[i] as number] as number;
      walls[i] = w;
      if (dateOnly && w % DAY !== 0) dateOnly = false;
    }
    const spacing = modalSpacing(walls, n);
    const detected = timeframeFromSpacing(spacing, dateOnly);
    let timeframe: Timeframe;
    if (options.timeframe) {
      timeframe = options.timeframe;
      if ('timeframe' in detected && detected.timeframe !== timeframe) {
        warnings.push(
          `${symbol}: the bars are spaced like ${detected.timeframe} bars but were stored as ${timeframe}, as asked`,
        );
      } else if ('error' in detected) {
        warnings.push(`${symbol}: ${detected.error}; stored as ${timeframe}, as asked`);
      }
    } else if ('timeframe' in detected) {
      timeframe = detected.timeframe;
    } else {
      throw new AppError(
        'REJECTED',
        `Cannot tell the timeframe of ${symbol}: ${detected.error}. Pass the timeframe option (--timeframe 1m|5m|15m|1h|1d) if the bars are one of those.`,
      );
    }

    // UTC open times: daily bars keep their calendar date; intraday wall times become exact instants.
    const t = new Float64Array(n);
    let convert: ((wallMs: number) => number) | null = null;
    for (let i = 0; i < n; i++) {
      const r = indices[i] as number;
      const w = rows.wall[r] as number;
      const off = rows.offset[r] as number;
      if (timeframe === '1d') {
        t[i] = Math.floor(w / DAY) * DAY;
      } else if (off !== NAIVE) {
        t[i] = w - off * 60_000;
      } else {
        if (!convert) {
          const zone = defaultZone ?? (isCryptoSymbol(symbol) ? 'UTC' : US_EXCHANGE_ZONE);
          convert = makeZoneConverter(zone);
          zonesUsed.add(zone);
        }
        t[i] = convert(w);
      }
    }
    if (!isNonDecreasing(t)) sortIndicesByTime(indices, t);

    // Duplicates: the first line keeps the timestamp; later lines are rejected naming it.
    const keepRow = new Uint8Array(n).fill(1);
    let kept = n;
    for (let i = 1; i < n; i++) {
      if (t[i] !== t[i - 1]) continue;
      let j = i;
      while (j < n && t[j] === t[i - 1]) j++;
      let first = i - 1;
      for (let k = i; k < j; k++) {
        if ((rows.line[indices[k] as number] as number) < (rows.line[indices[first] as number] as number)) first = k;
      }
      const firstLine = rows.line[indices[first] as number] as number;
      for (let k = i - 1; k < j; k++) {
        if (k === first) continue;
        keepRow[k] = 0;
        kept--;
        rejected.push({
          line: rows.line[indices[k] as number] as number,
          reason: `duplicate timestamp ${formatTime(t[k] as number, timeframe === '1d')} (same as line ${firstLine})`,
        });
      }
      i = j - 1;
    }

    // The common case (one symbol, oldest first, no duplicates) uses the rows as read, without a copy.
    const inPlace = symbols.length === 1 && kept === n && n === rows.n && isIdentity(indices);
    const series: ParsedSeries = inPlace
      ? {
          symbol,
          timeframe,
          n,
          t,
          o: rows.o.subarray(0, n),
          h: rows.h.subarray(0, n),
          l: rows.l.subarray(0, n),
          c: rows.c.subarray(0, n),
          v: rows.v.subarray(0, n),
          zeroVolumeBars: 0,
          splitsApplied: [],
        }
      : {
          symbol,
          timeframe,
          n: kept,
          t: new Float64Array(kept),
          o: new Float64Array(kept),
          h: new Float64Array(kept),
          l: new Float64Array(kept),
          c: new Float64Array(kept),
          v: new Float64Array(kept),
          zeroVolumeBars: 0,
          splitsApplied: [],
        };
    let split: Float64Array | null = null;
    if (inPlace) {
      if (xi >= 0) split = rows.split.subarray(0, n);
    } else {
      split = xi >= 0 ? new Float64Array(kept) : null;
      for (let i = 0, k = 0; i < n; i++) {
        if (!keepRow[i]) continue;
        const r = indices[i] as number;
        series.t[k] = t[i] as number;
        series.o[k] = rows.o[r] as number;
        series.h[k] = rows.h[r] as number;
        series.l[k] = rows.l[r] as number;
        series.c[k] = rows.c[r] as number;
        series.v[k] = rows.v[r] as number;
        if (split) split[k] = rows.split[r] as number;
        k++;
      }
    }

    if (split) {
      if (adjust) {
        const { applied, skipped } = backAdjustSplits(series, split, kept);
        series.splitsApplied = applied;
        if (applied.length > 0) {
          notes.push(
            `${symbol}: prices back-adjusted for ${describeSplits(applied)} (earlier prices divided and volumes multiplied, so the chart has no split cliffs)`,
          );
        }
        if (skipped.length > 0) {
          warnings.push(`${symbol}: ${describeSplits(skipped)} already in the prices; not adjusted again`);
        }
      } else {
        const events: SplitEvent[] = [];
        for (let i = 1; i < kept; i++) {
          if (!isNoSplit(split[i] as number)) {
            events.push({ t: series.t[i] as number, factor: snapSplitFactor(split[i] as number) });
          }
        }
        if (events.length > 0) notes.push(`${symbol}: ${describeSplits(events)} NOT adjusted, as asked`);
      }
    }

    let firstZero = -1;
    for (let i = 0; i < kept; i++) {
      if (series.v[i] === 0) {
        if (firstZero < 0) firstZero = i;
        series.zeroVolumeBars++;
      }
    }
    if (series.zeroVolumeBars > 0 && plan.volume >= 0) {
      warnings.push(
        `${symbol}: ${series.zeroVolumeBars} bar${series.zeroVolumeBars === 1 ? '' : 's'} with zero volume (kept), the first on ${formatTime(series.t[firstZero] as number, timeframe === '1d')}`,
      );
    }
    const renamed = RENAMED_TICKERS[symbol];
    if (renamed && !options.symbol) {
      warnings.push(
        `${symbol} has traded as ${renamed.now} since ${renamed.year}; the bars are stored as ${symbol} (import with --symbol ${renamed.now.split(' ')[0]} to store them under the new ticker)`,
      );
    }
    out.push(series);
  }

  if (zonesUsed.size > 0) {
    const zones = [...zonesUsed].join(', ');
    notes.push(
      options.timeZone
        ? `times without a UTC offset read in ${zones}, as asked`
        : `times without a UTC offset read as ${zones} ${zonesUsed.has(US_EXCHANGE_ZONE) ? 'exchange time (US equities)' : 'time (crypto trades in UTC)'}; set the time zone option if the file uses another`,
    );
  } else if (time.kind === 'epoch') {
    notes.push(
      `times read as Unix epoch ${time.epochUnit === 1 ? 'milliseconds' : time.epochUnit === 1000 ? 'seconds' : 'numbers'} (exact UTC)`,
    );
  } else if (anyOffset && out.some((s) => s.timeframe !== '1d')) {
    notes.push('timestamps carry their UTC offset; stored as exact UTC times');
  }
  rejected.sort((a, b) => a.line - b.line);

  const columns: Record<string, string> = {};
  const used = new Set<number>();
  const addColumn = (role: string, index: number) => {
    if (index < 0) return;
    columns[role] = plan.names[index]?.trim() || `(column ${index + 1})`;
    used.add(index);
  };
  addColumn('time', ti);
  if (ci >= 0) addColumn('timeOfDay', ci);
  addColumn('open', oi);
  addColumn('high', hi);
  addColumn('low', li);
  addColumn('close', cli);
  addColumn('volume', vi);
  addColumn('symbol', si);
  addColumn('split', xi);
  const ignoredColumns = plan.names
    .map((name, index) => ({ name: name.trim() || `(column ${index + 1})`, index }))
    .filter((c) => !used.has(c.index))
    .map((c) => c.name);

  return {
    series: out,
    dataLines,
    rejected,
    warnings,
    notes,
    columns,
    ignoredColumns,
    timeZone: zonesUsed.size > 0 ? [...zonesUsed].join(', ') : null,
    order: orders.size === 1 ? ([...orders][0] ?? 'ascending') : 'unordered',
  };
}

function nextRecord(cursor: CsvCursor): boolean {
  while (cursor.next()) {
    if (!cursor.isBlank()) return true;
  }
  return false;
}

function requireSymbol(raw: string): string {
  const symbol = normalizeSymbol(raw);
  if (!symbol) {
    throw new AppError('BAD_INPUT', `"${raw}" is not a symbol: use letters, digits and . - / ^ = _ (up to 32)`);
  }
  return symbol;
}

const encoder = new TextEncoder();

function fieldBytes(text: string): Uint8Array {
  return encoder.encode(text);
}

function isDate(text: string): boolean {
  const b = fieldBytes(text);
  const out = newDateTimeValue();
  return parseDateTime(b, 0, b.length, true, out) || parseDateTime(b, 0, b.length, false, out);
}

function isNumber(text: string): boolean {
  const b = fieldBytes(text);
  return !Number.isNaN(parseNumber(b, 0, b.length, false));
}

function isDayMonthShape(text: string): boolean {
  const b = fieldBytes(text);
  return dayMonthPair(b, 0, b.length) >= 0;
}

function epochUnitOfText(text: string): number {
  const trimmed = text.trim();
  if (!/^\d{9,19}(\.0*)?$/.test(trimmed)) return 0;
  return epochUnitOf(Number(trimmed));
}

/** A first line is data, not a header, when at least two of its fields are numbers or dates. */
function looksLikeData(fields: string[]): boolean {
  let count = 0;
  for (const f of fields) if (f.trim() !== '' && (isNumber(f) || isDate(f))) count++;
  return count >= 2;
}

/** Column names for a headerless file's first row, for the "no header row" message. */
function suggestColumns(fields: string[]): string {
  const names: string[] = [];
  const prices = ['open', 'high', 'low', 'close', 'volume'];
  let hasTime = false;
  let hasSymbol = false;
  for (const f of fields) {
    if (epochUnitOfText(f) !== 0 && !hasTime) {
      names.push('unix');
      hasTime = true;
    } else if (isDate(f)) {
      names.push('date');
      hasTime = true;
    } else if (!isNumber(f) && !hasSymbol) {
      names.push('symbol');
      hasSymbol = true;
    } else if (isNumber(f)) {
      names.push(prices.shift() ?? 'skip');
    } else {
      names.push('skip');
    }
  }
  return names.join(',');
}

/** The first data records as text, for choosing the time column and the number format. */
function readSample(bytes: Uint8Array, delimiter: number, start: number, firstLine: number): string[][] {
  const cur = new CsvCursor(bytes, delimiter, start, firstLine);
  const out: string[][] = [];
  while (out.length < SAMPLE_ROWS && cur.next()) {
    if (!cur.isBlank()) out.push(cur.fields());
  }
  return out;
}

function estimateRows(bytes: number, sample: string[][]): number {
  if (sample.length === 0) return 0;
  let chars = 0;
  for (const r of sample) chars += r.join(',').length + 1;
  return Math.max(sample.length, Math.round(bytes / (chars / sample.length)));
}

/** What a column's sample values are: epoch numbers, dates (with or without time), times of day, or none. */
function classify(sample: string[][], index: number): { kind: TimeKind; epochUnit: number } {
  let epoch = 0;
  let date = 0;
  let clock = 0;
  let filled = 0;
  let unit = 0;
  for (const r of sample) {
    const text = (r[index] ?? '').trim();
    if (text === '') continue;
    filled++;
    const u = epochUnitOfText(text);
    if (u !== 0) {
      epoch++;
      if (unit === 0) unit = u;
      continue;
    }
    if (isDate(text) || isDayMonthShape(text)) {
      date++;
      continue;
    }
    const b = fieldBytes(text);
    if (parseClock(b, 0, b.length) >= 0) clock++;
  }
  if (filled === 0) return { kind: 'none', epochUnit: 0 };
  const best = Math.max(epoch, date, clock);
  if (best * 2 < filled) return { kind: 'none', epochUnit: 0 };
  if (best === epoch) return { kind: 'epoch', epochUnit: unit };
  if (best === date) return { kind: 'date', epochUnit: 0 };
  return { kind: 'clock', epochUnit: 0 };
}

interface TimeColumn {
  index: number;
  kind: 'epoch' | 'date';
  epochUnit: number;
  /** A separate time-of-day column (Stooq `<TIME>`, `Date,Time,...`), or -1. */
  clockIndex: number;
}

/**
 * The column that holds the bar time. Named candidates are checked by content; an epoch column wins (it is exact
 * UTC), then a date column, then an unnamed date column (pandas index dumps), then any column holding dates.
 */
function chooseTimeColumn(plan: ColumnPlan, sample: string[][], fileName: string): TimeColumn {
  if (sample.length === 0) throw new AppError('REJECTED', `${fileName} has a header but no data rows`);
  const classes = new Map<number, { kind: TimeKind; epochUnit: number }>();
  const kindOf = (index: number) => {
    let c = classes.get(index);
    if (!c) {
      c = classify(sample, index);
      classes.set(index, c);
    }
    return c;
  };
  const roleColumns = new Set([plan.open, plan.high, plan.low, plan.close, plan.volume, plan.symbol, plan.split]);
  let chosen: TimeColumn | null = null;
  for (const index of plan.timeCandidates) {
    const c = kindOf(index);
    if (c.kind === 'epoch') {
      chosen = { index, kind: 'epoch', epochUnit: c.epochUnit, clockIndex: -1 };
      break;
    }
  }
  const fallbacks = [
    ...plan.timeCandidates,
    ...plan.unnamed,
    ...plan.names.map((_, i) => i).filter((i) => !roleColumns.has(i)),
  ];
  if (!chosen) {
    for (const index of fallbacks) {
      const c = kindOf(index);
      if (c.kind === 'date' || (c.kind === 'epoch' && !plan.timeCandidates.includes(index))) {
        chosen = { index, kind: c.kind, epochUnit: c.epochUnit, clockIndex: -1 };
        break;
      }
    }
  }
  if (!chosen) {
    throw new AppError(
      'REJECTED',
      `No date column: none of the columns (${plan.names.map((n) => n || '(unnamed)').join(', ')}) holds dates. Name the columns with the columns option (--columns date,open,high,low,close,volume).`,
    );
  }
  if (chosen.kind === 'date') {
    const datesOnly = sample.every((r) => {
      const b = fieldBytes((r[chosen.index] ?? '').trim());
      const out = newDateTimeValue();
      return !(parseDateTime(b, 0, b.length, true, out) || parseDateTime(b, 0, b.length, false, out)) || !out.hasTime;
    });
    if (datesOnly) {
      const clock = plan.timeCandidates.find((i) => i !== chosen.index && kindOf(i).kind === 'clock');
      if (clock !== undefined) chosen.clockIndex = clock;
    }
  }
  return chosen;
}

/**
 * Day or month first for `a/b/yyyy` dates, from the whole file: a first number above 12 anywhere means DD/MM, a
 * second number above 12 means MM/DD. Refuses a file that shows both, or neither.
 */
function decideDayFirst(
  bytes: Uint8Array,
  delimiter: number,
  start: number,
  firstLine: number,
  index: number,
  fileName: string,
  notes: string[],
): boolean {
  const cur = new CsvCursor(bytes, delimiter, start, firstLine);
  let dayFirstLine = 0;
  let monthFirstLine = 0;
  while (cur.next()) {
    if (index >= cur.count) continue;
    const pair = dayMonthPair(bytes, cur.starts[index] as number, cur.ends[index] as number);
    if (pair < 0) continue;
    if (dayFirstLine === 0 && Math.floor(pair / 100) > 12) dayFirstLine = cur.line;
    if (monthFirstLine === 0 && pair % 100 > 12) monthFirstLine = cur.line;
    if (dayFirstLine && monthFirstLine) break;
  }
  if (dayFirstLine && monthFirstLine) {
    throw new AppError(
      'REJECTED',
      `The dates in ${fileName} mix day-first (line ${dayFirstLine}) and month-first (line ${monthFirstLine}) orders. Fix the file, or set the date order (--day-first or --month-first) to reject the others.`,
    );
  }
  if (!dayFirstLine && !monthFirstLine) {
    throw new AppError(
      'REJECTED',
      `The dates in ${fileName} (like 03/04/2020) could be day-first or month-first, and no date in the file tells which. Set the date order: --day-first (DD/MM/YYYY) or --month-first (MM/DD/YYYY).`,
    );
  }
  const dayFirst = dayFirstLine > 0;
  notes.push(
    dayFirst
      ? `dates read as DD/MM/YYYY (line ${dayFirstLine} has a day above 12 first)`
      : `dates read as MM/DD/YYYY (line ${monthFirstLine} has a day above 12 second)`,
  );
  return dayFirst;
}

function usesDecimalComma(sample: string[][], index: number): boolean {
  return sample.some((r) => /^\s*-?\d+,\d+\s*$/.test(r[index] ?? ''));
}

function extraFieldsEmpty(cur: CsvCursor, headerCount: number): boolean {
  if (cur.count < headerCount) return false;
  for (let i = headerCount; i < cur.count; i++) {
    if ((cur.ends[i] as number) > (cur.starts[i] as number)) return false;
  }
  return true;
}

function sameBytes(b: Uint8Array, s1: number, e1: number, s2: number, e2: number): boolean {
  if (e1 - s1 !== e2 - s2) return false;
  for (let i = 0; i < e1 - s1; i++) if (b[s1 + i] !== b[s2 + i]) return false;
  return true;
}

function badDate(text: string, column: string): string {
  return text.trim() === '' ? `missing ${column}` : `not a date: "${clip(text)}"`;
}

function badPrice(value: number, text: string, column: string): string {
  return Number.isNaN(value) ? describeBadNumber(text, column) : `${column} is not positive: ${value}`;
}

function groupBySeries(rows: Rows, count: number): Int32Array[] {
  if (count <= 1) {
    const all = new Int32Array(rows.n);
    for (let i = 0; i < rows.n; i++) all[i] = i;
    return [all];
  }
  const sizes = new Int32Array(count);
  for (let i = 0; i < rows.n; i++) {
    const s = rows.series[i] as number;
    sizes[s] = (sizes[s] as number) + 1;
  }
  const groups = Array.from(sizes, (size) => new Int32Array(size));
  const fill = new Int32Array(count);
  for (let i = 0; i < rows.n; i++) {
    const s = rows.series[i] as number;
    const at = fill[s] as number;
    (groups[s] as Int32Array)[at] = i;
    fill[s] = at + 1;
  }
  return groups;
}

/** Puts one series' row indices in ascending wall time (stable); says how the file had them. */
function sortByWall(rows: Rows, indices: Int32Array): 'ascending' | 'descending' | 'unordered' {
  const n = indices.length;
  let ascending = true;
  let descending = true;
  for (let i = 1; i < n && (ascending || descending); i++) {
    const a = rows.wall[indices[i - 1] as number] as number;
    const b = rows.wall[indices[i] as number] as number;
    if (b < a) ascending = false;
    if (b > a) descending = false;
  }
  if (ascending) return 'ascending';
  if (descending) {
    indices.reverse();
    return 'descending';
  }
  const sorted = Array.from(indices).sort(
    (x, y) =>
      (rows.wall[x] as number) - (rows.wall[y] as number) || (rows.line[x] as number) - (rows.line[y] as number),
  );
  indices.set(sorted);
  return 'unordered';
}

function isIdentity(indices: Int32Array): boolean {
  for (let i = 0; i < indices.length; i++) if (indices[i] !== i) return false;
  return true;
}

function isNonDecreasing(t: Float64Array): boolean {
  for (let i = 1; i < t.length; i++) if ((t[i] as number) < (t[i - 1] as number)) return false;
  return true;
}

function sortIndicesByTime(indices: Int32Array, t: Float64Array): void {
  const order = Array.from(t.keys()).sort((a, b) => (t[a] as number) - (t[b] as number) || a - b);
  const idx = order.map((k) => indices[k] as number);
  const times = order.map((k) => t[k] as number);
  indices.set(idx);
  t.set(times);
}

function describeSplits(events: SplitEvent[]): string {
  const list = events.map((e) => `${ratio(e.factor)} on ${formatTime(e.t, true)}`).join(', ');
  return `${events.length === 1 ? 'the split' : 'the splits'} ${list}`;
}

function ratio(factor: number): string {
  for (let den = 1; den <= 20; den++) {
    const num = Math.round(factor * den);
    if (Math.abs(num / den - factor) < 1e-9) return `${num}:${den}`;
  }
  return `${factor}:1`;
}
