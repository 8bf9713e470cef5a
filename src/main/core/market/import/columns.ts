import { AppError } from '../../../../shared/result';

/** What a column can mean to the importer. */
export type ColumnRole = 'time' | 'open' | 'high' | 'low' | 'close' | 'volume' | 'symbol' | 'split';

/**
 * Header names by role, normalized (lowercase, accents and non-alphanumerics removed), in order of preference.
 * Adjusted columns (`Adj Close`, `adjOpen`, `AdjVolume`, `adjusted_close`) are deliberately absent: they are never
 * used as prices, because mixing dividend-adjusted and raw columns makes bars that never traded.
 */
const SYNONYMS: Record<ColumnRole, readonly string[]> = {
  time: [
    'datetime',
    'timestamp',
    'date',
    'time',
    'data', // Polish (stooq.pl)
    'day',
    'dt',
    'tradedate',
    'tradingday',
    'datum',
    'fecha',
    'dateandtime',
    'dateutc',
    'opentime',
    'unix',
    'unixtime',
    'unixtimestamp',
    'unixms',
    'epoch',
    'epochms',
    'timestampms',
  ],
  open: ['open', 'o', 'openprice', 'opening', 'otwarcie', 'ouverture', 'apertura', 'eroffnung', 'abertura'],
  high: ['high', 'h', 'highprice', 'highest', 'najwyzszy', 'max', 'haut', 'maximo', 'hoch', 'maxima'],
  low: ['low', 'l', 'lowprice', 'lowest', 'najnizszy', 'min', 'bas', 'minimo', 'tief', 'minima'],
  close: [
    'close',
    'c',
    'closeprice',
    'closelast', // Nasdaq.com "Close/Last"
    'last',
    'lastprice',
    'closing',
    'zamkniecie',
    'cloture',
    'cierre',
    'schluss',
    'fechamento',
    'price',
  ],
  volume: ['volume', 'vol', 'v', 'wolumen', 'volumen', 'totalvolume', 'basevolume', 'volumebase', 'qty', 'quantity'],
  symbol: ['symbol', 'ticker', 'stock', 'tickersymbol', 'code', 'instrument', 'asset', 'pair', 'secid', 'name'],
  split: ['splitcoefficient', 'splitfactor', 'splitratio', 'stocksplits', 'split', 'splits'],
};

const ROLES = Object.keys(SYNONYMS) as ColumnRole[];

/** Suffixes of ticker-prefixed columns (`AAPL.Open`, `AAPL.Adjusted`). */
const PREFIXED_SUFFIXES = new Set(['open', 'high', 'low', 'close', 'volume', 'adjusted', 'adjclose']);

/** Headers that pandas and spreadsheets give an index column. */
const UNNAMED = /^(|unnamed\d*|index)$/;

/** A header name reduced to what matters for matching: `<CLOSE>` → close, `Close/Last` → closelast. */
export function normalizeHeader(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** How the columns of a file map to bar fields, before the time column is confirmed by its content. */
export interface ColumnPlan {
  /** The file's column names (or the caller's). */
  names: string[];
  /** Named time-like columns in order of preference; which one is used is decided by their content. */
  timeCandidates: number[];
  /** Columns without a usable name (pandas index dumps): the time column when no named one fits. */
  unnamed: number[];
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  symbol: number;
  split: number;
  /** The ticker of `AAPL.Open`-style columns, or null. */
  prefix: string | null;
}

/**
 * Maps column names to roles. Throws REJECTED naming the missing columns when open, high, low or close is
 * absent, or when columns carry several ticker prefixes (a wide multi-ticker table).
 */
export function planColumns(names: readonly string[]): ColumnPlan {
  const plan: ColumnPlan = {
    names: [...names],
    timeCandidates: [],
    unnamed: [],
    open: -1,
    high: -1,
    low: -1,
    close: -1,
    volume: -1,
    symbol: -1,
    split: -1,
    prefix: null,
  };
  const rank: Record<ColumnRole, number> = {
    time: 99,
    open: 99,
    high: 99,
    low: 99,
    close: 99,
    volume: 99,
    symbol: 99,
    split: 99,
  };
  const prefixes = new Set<string>();
  const timeRanked: Array<{ index: number; rank: number }> = [];
  let volumePrefixed = -1;

  names.forEach((raw, index) => {
    const name = raw.trim();
    let key = normalizeHeader(name);
    const dot = name.lastIndexOf('.');
    if (dot > 0) {
      const suffix = normalizeHeader(name.slice(dot + 1));
      if (PREFIXED_SUFFIXES.has(suffix)) {
        prefixes.add(name.slice(0, dot).trim().toUpperCase());
        key = suffix;
      }
    }
    if (UNNAMED.test(key)) {
      plan.unnamed.push(index);
      return;
    }
    for (const role of ROLES) {
      const r = SYNONYMS[role].indexOf(key);
      if (r < 0) continue;
      if (role === 'time') {
        timeRanked.push({ index, rank: r });
      } else if (r < rank[role]) {
        rank[role] = r;
        plan[role] = index;
      }
      return;
    }
    // CryptoDataDownload: "Volume BTC", "Volume USDT": the first one is the base currency's volume.
    if (key.startsWith('volume') && !key.startsWith('volumeadj') && volumePrefixed < 0) volumePrefixed = index;
  });
  if (plan.volume < 0 && volumePrefixed >= 0) plan.volume = volumePrefixed;
  plan.timeCandidates = timeRanked.sort((a, b) => a.rank - b.rank).map((c) => c.index);

  if (prefixes.size > 1) {
    throw new AppError(
      'REJECTED',
      `The file holds several tickers side by side (${[...prefixes].join(', ')}). Import a file with one ticker's columns, or a long file with a Symbol column.`,
    );
  }
  plan.prefix = prefixes.size === 1 ? ([...prefixes][0] ?? null) : null;

  const missing = (['open', 'high', 'low', 'close'] as const).filter((role) => plan[role] < 0);
  if (missing.length > 0) {
    const adjusted = names.filter((n) => /adj/i.test(n));
    throw new AppError(
      'REJECTED',
      `No ${missing.map((m) => m[0]?.toUpperCase() + m.slice(1)).join(', ')} column: the columns are ${names
        .map((n) => (n === '' ? '(unnamed)' : n))
        .join(', ')}.${
        adjusted.length > 0 ? ` Adjusted columns (${adjusted.join(', ')}) are not used for prices.` : ''
      } Name the columns with the columns option (--columns date,open,high,low,close,volume).`,
    );
  }
  return plan;
}

/** The display name of a column in messages: its header, or its role when it has none. */
export function columnLabel(plan: ColumnPlan, index: number, role: string): string {
  const name = plan.names[index]?.trim();
  return name ? name : role;
}
