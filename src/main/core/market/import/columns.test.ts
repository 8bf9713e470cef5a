import { describe, expect, it } from 'vitest';
import { normalizeHeader, planColumns } from './columns';
import { isCryptoSymbol, normalizeSymbol, symbolFromFileName } from './symbols';

describe('planColumns', () => {
  it('maps the headers of real vendors, never using adjusted columns as prices', () => {
    const yahoo = planColumns(['Date', 'Open', 'High', 'Low', 'Close', 'Adj Close', 'Volume']);
    expect([yahoo.open, yahoo.high, yahoo.low, yahoo.close, yahoo.volume]).toEqual([1, 2, 3, 4, 6]);
    const tiingo = planColumns(
      'date,adjClose,adjHigh,adjLow,adjOpen,adjVolume,close,divCash,high,low,open,splitFactor,volume'.split(','),
    );
    expect([tiingo.open, tiingo.high, tiingo.low, tiingo.close, tiingo.volume, tiingo.split]).toEqual([
      10, 8, 9, 6, 12, 11,
    ]);
    const nasdaq = planColumns(['Date', 'Close/Last', 'Volume', 'Open', 'High', 'Low']);
    expect(nasdaq.close).toBe(1);
    const stooq = planColumns('<TICKER>,<PER>,<DATE>,<TIME>,<OPEN>,<HIGH>,<LOW>,<CLOSE>,<VOL>,<OPENINT>'.split(','));
    expect(stooq.symbol).toBe(0);
    expect(stooq.timeCandidates).toEqual([2, 3]);
    expect(stooq.volume).toBe(8);
    const polish = planColumns(['Data', 'Otwarcie', 'Najwyższy', 'Najniższy', 'Zamknięcie', 'Wolumen']);
    expect([polish.open, polish.high, polish.low, polish.close, polish.volume]).toEqual([1, 2, 3, 4, 5]);
    const plotly = planColumns('Date,AAPL.Open,AAPL.High,AAPL.Low,AAPL.Close,AAPL.Volume,AAPL.Adjusted,dn'.split(','));
    expect(plotly.prefix).toBe('AAPL');
    expect(plotly.close).toBe(4);
    const pandas = planColumns(['', 'Open', 'High', 'Low', 'Close', 'Volume']);
    expect(pandas.unnamed).toEqual([0]);
    const crypto = planColumns(['unix', 'date', 'symbol', 'open', 'high', 'low', 'close', 'Volume BTC', 'Volume USDT']);
    expect(crypto.volume).toBe(7);
    expect(crypto.timeCandidates).toEqual([1, 0]);
  });

  it('refuses a file without prices, naming the columns it has', () => {
    expect(() => planColumns(['Date', 'Adj Close', 'Volume'])).toThrow(
      /No Open, High, Low, Close column: the columns are Date, Adj Close, Volume\. Adjusted columns \(Adj Close\) are not used for prices/,
    );
    expect(() => planColumns(['Date', 'AAPL.Open', 'AAPL.High', 'AAPL.Low', 'AAPL.Close', 'MSFT.Open'])).toThrow(
      /several tickers side by side \(AAPL, MSFT\)/,
    );
  });

  it('normalizes header names', () => {
    expect(normalizeHeader('\uFEFF<Close>')).toBe('close');
    expect(normalizeHeader('Adj Close')).toBe('adjclose');
    expect(normalizeHeader('Zamknięcie')).toBe('zamkniecie');
  });
});

describe('symbols', () => {
  it('finds the ticker in the file names of real data sets', () => {
    const cases: Record<string, string | null> = {
      'msft.us.txt': 'MSFT',
      'HistoricalData_MSFT.csv': 'MSFT',
      'yahoofinance-AAPL-20040819-20180120.csv': 'AAPL',
      'AAPL_1min.csv': 'AAPL',
      'tsla_us_d.csv': 'TSLA',
      'daily_adjusted_FB.csv': 'FB',
      'SPY_D.csv': 'SPY',
      'GOOG_backtesting.py.csv': 'GOOG',
      'nvda-1999-2014.txt': 'NVDA',
      'AAPL_tiingo_LondonPythonForTrading.csv': 'AAPL',
      'tesla-stock-price.csv': 'TSLA',
      'Binance_BTCUSDT_minute.csv': 'BTCUSDT',
      '/some/dir/amzn_us_d.csv': 'AMZN',
      'data.csv': null,
      'historical_prices_2020.csv': null,
    };
    for (const [name, symbol] of Object.entries(cases)) {
      expect(symbolFromFileName(name)?.symbol ?? null, name).toBe(symbol);
    }
  });

  it('stores symbols uppercase without the Stooq market suffix', () => {
    expect(normalizeSymbol(' spy.us ')).toBe('SPY');
    expect(normalizeSymbol('BTC/USDT')).toBe('BTC/USDT');
    expect(normalizeSymbol('BRK.B')).toBe('BRK.B');
    expect(normalizeSymbol('')).toBeNull();
    expect(normalizeSymbol('AAPL INC')).toBeNull();
    expect(isCryptoSymbol('BTC/USDT')).toBe(true);
    expect(isCryptoSymbol('ETHUSDT')).toBe(true);
    expect(isCryptoSymbol('BTC-USD')).toBe(true);
    expect(isCryptoSymbol('AAPL')).toBe(false);
  });
});
