/**
 * What traders call common US tickers, for the voice grammar and the read-back. Data, not code: add a row to
 * teach the recogniser a name. Spoken names are lower-case word sequences; words the PocketSphinx dictionary
 * lacks carry their own pronunciation (CMU phone set) in {@link extraPronunciations}.
 */

export interface CompanyEntry {
  readonly ticker: string;
  /** How the read-back says it: "Buy 10 Apple at market". */
  readonly display: string;
  /** Spoken forms, most common first. The spelled ticker ("a a p l") is always added by the grammar. */
  readonly names: readonly string[];
}

export const companyTable: readonly CompanyEntry[] = [
  { ticker: 'AAPL', display: 'Apple', names: ['apple'] },
  { ticker: 'MSFT', display: 'Microsoft', names: ['microsoft'] },
  { ticker: 'TSLA', display: 'Tesla', names: ['tesla'] },
  { ticker: 'NVDA', display: 'Nvidia', names: ['nvidia'] },
  { ticker: 'AMZN', display: 'Amazon', names: ['amazon'] },
  { ticker: 'GOOG', display: 'Alphabet', names: ['google', 'alphabet'] },
  { ticker: 'META', display: 'Meta', names: ['meta', 'facebook'] },
  { ticker: 'NFLX', display: 'Netflix', names: ['netflix'] },
  { ticker: 'AMD', display: 'A M D', names: ['advanced micro devices'] },
  { ticker: 'INTC', display: 'Intel', names: ['intel'] },
  { ticker: 'IBM', display: 'I B M', names: [] },
  { ticker: 'ORCL', display: 'Oracle', names: ['oracle'] },
  { ticker: 'CRM', display: 'Salesforce', names: ['salesforce'] },
  { ticker: 'ADBE', display: 'Adobe', names: ['adobe'] },
  { ticker: 'KO', display: 'Coca-Cola', names: ['coca cola', 'coke'] },
  { ticker: 'PEP', display: 'PepsiCo', names: ['pepsi', 'pepsico'] },
  { ticker: 'WMT', display: 'Walmart', names: ['walmart'] },
  { ticker: 'DIS', display: 'Disney', names: ['disney'] },
  { ticker: 'BA', display: 'Boeing', names: ['boeing'] },
  { ticker: 'JPM', display: 'JPMorgan', names: ['j p morgan'] },
  { ticker: 'BAC', display: 'Bank of America', names: ['bank of america'] },
  { ticker: 'GS', display: 'Goldman Sachs', names: ['goldman sachs', 'goldman'] },
  { ticker: 'V', display: 'Visa', names: ['visa'] },
  { ticker: 'MA', display: 'Mastercard', names: ['mastercard'] },
  { ticker: 'XOM', display: 'Exxon', names: ['exxon', 'exxon mobil'] },
  { ticker: 'CVX', display: 'Chevron', names: ['chevron'] },
  { ticker: 'PFE', display: 'Pfizer', names: ['pfizer'] },
  { ticker: 'JNJ', display: 'Johnson & Johnson', names: ['johnson and johnson'] },
  { ticker: 'HD', display: 'Home Depot', names: ['home depot'] },
  { ticker: 'NKE', display: 'Nike', names: ['nike'] },
  { ticker: 'SBUX', display: 'Starbucks', names: ['starbucks'] },
  { ticker: 'UBER', display: 'Uber', names: ['uber'] },
  { ticker: 'PLTR', display: 'Palantir', names: ['palantir'] },
  { ticker: 'AVGO', display: 'Broadcom', names: ['broadcom'] },
  { ticker: 'QCOM', display: 'Qualcomm', names: ['qualcomm'] },
  { ticker: 'COST', display: 'Costco', names: ['costco'] },
  { ticker: 'PYPL', display: 'PayPal', names: ['paypal'] },
  { ticker: 'COIN', display: 'Coinbase', names: ['coinbase'] },
  { ticker: 'SHOP', display: 'Shopify', names: ['shopify'] },
  { ticker: 'GME', display: 'GameStop', names: ['gamestop'] },
  { ticker: 'SPY', display: 'the S&P 500 ETF', names: ['s and p', 's and p five hundred', 'spy', 'spider'] },
  { ticker: 'QQQ', display: 'the Nasdaq 100 ETF', names: ['nasdaq', 'triple q'] },
  { ticker: 'DIA', display: 'the Dow ETF', names: ['dow jones', 'the dow'] },
];

/**
 * Pronunciations of words the Debian en-us dictionary lacks (CMU phones). The spelled letters of tickers are
 * separate tokens (`ltr_a`) so that the letter A is never confused with the article "a".
 */
export const extraPronunciations: Readonly<Record<string, readonly string[]>> = {
  netflix: ['N EH T F L IH K S'],
  coinbase: ['K OY N B EY S'],
  palantir: ['P AE L AH N T IH R'],
  broadcom: ['B R AO D K AA M'],
  shopify: ['SH AA P AH F AY'],
  gamestop: ['G EY M S T AA P'],
  doji: ['D OW JH IY'],
};

/** Spoken letters, one token per letter, as in "I B M". */
export const letterTokens: Readonly<Record<string, { token: string; phones: readonly string[] }>> = {
  A: { token: 'ltr_a', phones: ['EY'] },
  B: { token: 'ltr_b', phones: ['B IY'] },
  C: { token: 'ltr_c', phones: ['S IY'] },
  D: { token: 'ltr_d', phones: ['D IY'] },
  E: { token: 'ltr_e', phones: ['IY'] },
  F: { token: 'ltr_f', phones: ['EH F'] },
  G: { token: 'ltr_g', phones: ['JH IY'] },
  H: { token: 'ltr_h', phones: ['EY CH'] },
  I: { token: 'ltr_i', phones: ['AY'] },
  J: { token: 'ltr_j', phones: ['JH EY'] },
  K: { token: 'ltr_k', phones: ['K EY'] },
  L: { token: 'ltr_l', phones: ['EH L'] },
  M: { token: 'ltr_m', phones: ['EH M'] },
  N: { token: 'ltr_n', phones: ['EH N'] },
  O: { token: 'ltr_o', phones: ['OW'] },
  P: { token: 'ltr_p', phones: ['P IY'] },
  Q: { token: 'ltr_q', phones: ['K Y UW'] },
  R: { token: 'ltr_r', phones: ['AA R'] },
  S: { token: 'ltr_s', phones: ['EH S'] },
  T: { token: 'ltr_t', phones: ['T IY'] },
  U: { token: 'ltr_u', phones: ['Y UW'] },
  V: { token: 'ltr_v', phones: ['V IY'] },
  W: { token: 'ltr_w', phones: ['D AH B AH L Y UW'] },
  X: { token: 'ltr_x', phones: ['EH K S'] },
  Y: { token: 'ltr_y', phones: ['W AY'] },
  Z: { token: 'ltr_z', phones: ['Z IY'] },
};

const tokenToLetter = new Map(Object.entries(letterTokens).map(([letter, { token }]) => [token, letter]));

/** `ltr_i` → "I"; undefined for any other word. */
export function letterOf(token: string): string | undefined {
  return tokenToLetter.get(token);
}

/** The tokens that spell a ticker: "IBM" → ltr_i ltr_b ltr_m; "BRK.B" → ltr_b ltr_r ltr_k dot ltr_b. */
export function spellTicker(ticker: string): string[] | null {
  const tokens: string[] = [];
  for (const ch of ticker.toUpperCase()) {
    if (ch === '.') tokens.push('dot');
    else if (ch === '-' || ch === '/') continue;
    else {
      const letter = letterTokens[ch];
      if (!letter) return null;
      tokens.push(letter.token);
    }
  }
  return tokens.length > 0 ? tokens : null;
}

/** The entry for a ticker, if the table knows it. */
export function companyFor(ticker: string): CompanyEntry | undefined {
  const upper = ticker.toUpperCase();
  return companyTable.find((entry) => entry.ticker === upper);
}

/** What to call a symbol aloud: its company name, or its letters spaced out ("I B M"). */
export function spokenSymbol(ticker: string): string {
  const entry = companyFor(ticker);
  if (entry) return entry.display;
  return ticker
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, ' ')
    .split('')
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}
