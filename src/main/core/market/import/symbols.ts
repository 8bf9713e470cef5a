/**
 * Symbols as files write them, and as the app stores them: uppercase, Stooq's `.US` market suffix removed
 * (`SPY.US` → SPY), crypto pairs kept as written (`BTC/USDT`).
 */
import path from 'node:path';

/** What a stored symbol may look like (the same rule as the API's symbol schema). */
export const SYMBOL_PATTERN = /^[A-Z0-9.\-/^=_]{1,32}$/;

/** The stored form of a symbol, or null when the text cannot be one. */
export function normalizeSymbol(raw: string): string | null {
  let symbol = raw.trim().toUpperCase();
  if (symbol.endsWith('.US') && symbol.length > 3) symbol = symbol.slice(0, -3);
  return SYMBOL_PATTERN.test(symbol) ? symbol : null;
}

/** Crypto pairs trade around the clock in UTC, not on an exchange's local session. */
export function isCryptoSymbol(symbol: string): boolean {
  return symbol.includes('/') || /^[A-Z0-9]{2,10}(USDT|USDC|BUSD)$/.test(symbol) || /^[A-Z0-9]{2,10}-USD$/.test(symbol);
}

/** Tickers that changed, for a warning in the import summary (the bars are stored under the file's ticker). */
export const RENAMED_TICKERS: Readonly<Record<string, { now: string; year: number }>> = {
  FB: { now: 'META', year: 2022 },
  TWTR: { now: 'X (delisted)', year: 2022 },
  YHOO: { now: 'AABA', year: 2017 },
};

/** Company names that data sets use in file names instead of the ticker (tesla-stock-price.csv). */
const COMPANY_TICKERS: Readonly<Record<string, string>> = {
  apple: 'AAPL',
  microsoft: 'MSFT',
  tesla: 'TSLA',
  amazon: 'AMZN',
  google: 'GOOGL',
  alphabet: 'GOOGL',
  nvidia: 'NVDA',
  facebook: 'META',
  meta: 'META',
  netflix: 'NFLX',
  bitcoin: 'BTC-USD',
};

/** Words in data file names that are not tickers. */
const NOISE = new Set([
  'a',
  'adj',
  'adjusted',
  'all',
  'backtesting',
  'bars',
  'binance',
  'candles',
  'chart',
  'charts',
  'csv',
  'd',
  'daily',
  'data',
  'dataset',
  'day',
  'demo',
  'download',
  'eod',
  'export',
  'file',
  'finance',
  'h',
  'hist',
  'historical',
  'historicaldata',
  'history',
  'hour',
  'hourly',
  'intraday',
  'kaggle',
  'm',
  'min',
  'minute',
  'minutes',
  'month',
  'monthly',
  'nasdaq',
  'new',
  'ohlc',
  'ohlcv',
  'old',
  'price',
  'prices',
  'py',
  'quote',
  'quotes',
  'raw',
  'sample',
  'stock',
  'stocks',
  'stooq',
  'test',
  'tiingo',
  'txt',
  'us',
  'w',
  'week',
  'weekly',
  'yahoo',
  'yahoofinance',
  'yfinance',
]);

/**
 * The ticker a file's name gives, or null: an uppercase token (HistoricalData_MSFT.csv, AAPL_1min.csv,
 * yahoofinance-AAPL-2004….csv, daily_adjusted_FB.csv), else a well-known company name (tesla-stock-price.csv),
 * else a short lowercase first token (msft.us.txt, tsla_us_d.csv).
 */
export function symbolFromFileName(fileName: string): { symbol: string; token: string } | null {
  const stem = path.basename(fileName).replace(/\.[A-Za-z0-9]{1,5}$/, '');
  const tokens = stem.split(/[^A-Za-z0-9]+/).filter((t) => t.length > 0);
  for (const token of tokens) {
    if (/^[A-Z][A-Z0-9]{0,9}$/.test(token) && !NOISE.has(token.toLowerCase())) {
      const symbol = normalizeSymbol(token);
      if (symbol) return { symbol, token };
    }
  }
  for (const token of tokens) {
    const known = COMPANY_TICKERS[token.toLowerCase()];
    if (known) return { symbol: known, token };
  }
  const first = tokens[0];
  if (first && /^[a-z]{1,5}$/.test(first) && !NOISE.has(first)) {
    const symbol = normalizeSymbol(first);
    if (symbol) return { symbol, token: first };
  }
  return null;
}
