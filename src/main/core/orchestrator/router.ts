import type { Intent, OrderIntent, PatternKind, SlotId } from '../../../shared/domain/intent';
import { companyAliases } from './symbols';

/** What the router knows beyond the text: the symbols that exist and the one on the chart. */
export interface RouterContext {
  /** Tickers with data (watchlist, imported series, the simulated market). */
  knownSymbols: ReadonlySet<string>;
  /** The chart's symbol: "is this a bull flag?" refers to it. */
  currentSymbol?: string;
  /** Extra name → ticker aliases (added to the built-in table). */
  aliases?: Readonly<Record<string, string>>;
}

/**
 * The seed's routing table: which slots run for each kind of request. A price question needs only Qwen; a pattern
 * question Moonshot + Qwen; a maths question DeepSeek + Qwen; a comprehensive question all seven.
 */
export const routingTable: Readonly<Record<Intent['kind'], readonly SlotId[]>> = {
  price: ['qwen'],
  technical: ['internlm2', 'qwen'],
  pattern: ['moonshot', 'qwen'],
  math: ['deepseek', 'qwen'],
  sentiment: ['yi', 'qwen'],
  knowledge: ['chatglm'],
  comprehensive: ['internlm2', 'moonshot', 'deepseek', 'yi', 'chatglm', 'qwen', 'minimax'],
  order: ['chatglm'],
  confirm: [],
  cancel: [],
  correct: [],
  unknown: [],
};

export const EXAMPLES = [
  'buy 10 AAPL at market',
  'sell 5 TSLA limit 250',
  'what is the price of NVDA',
  'is this a bull flag on TSLA',
  'calculate the Black-Scholes price of a TSLA 250 call expiring in 30 days',
  'what is the sentiment on AAPL',
  'what is the pattern day trader rule',
  'should I buy TSLA calls',
];

interface Token {
  /** Lowercase form used for matching. */
  word: string;
  /** As typed (case kept), for ticker detection. */
  raw: string;
}

const NUMBER = /^\$?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/;
const STOP_TICKERS = new Set([
  'I',
  'A',
  'AT',
  'OF',
  'ON',
  'IN',
  'IS',
  'IT',
  'TO',
  'BE',
  'DO',
  'MY',
  'OR',
  'SO',
  'UP',
  'VS',
  'US',
  'ME',
  'AM',
  'PM',
  'OK',
  'BY',
]);

function tokenize(text: string): Token[] {
  return text
    .replace(/[?!,;:()"“”]+(?=\s|$)/g, ' ')
    .replace(/['’]s\b/g, '')
    .split(/\s+/)
    .map((raw) => raw.replace(/^[("'“]+|[)"'”.?!,;:]+$/g, ''))
    .filter((raw) => raw.length > 0)
    .map((raw) => ({ raw, word: raw.toLowerCase() }));
}

function toNumber(word: string): number | undefined {
  const cleaned = word.replace(/^\$/, '').replace(/,/g, '');
  if (!NUMBER.test(word) && !/^\d+(\.\d+)?$/.test(cleaned)) return undefined;
  const value = Number(cleaned);
  return Number.isFinite(value) ? value : undefined;
}

/** Upper-case words that are not tickers in a trading question. */
const NOT_TICKERS = new Set([
  ...STOP_TICKERS,
  'RSI',
  'MACD',
  'ATR',
  'VWAP',
  'SMA',
  'EMA',
  'IV',
  'VAR',
  'CVAR',
  'PDT',
  'SSR',
  'ETF',
  'CEO',
  'EPS',
  'GTC',
  'IOC',
  'FOK',
  'OCO',
  'LULD',
  'FINRA',
  'SEC',
  'REG',
  'USD',
  'P&L',
  'PNL',
  'ATH',
  'FUD',
  'HODL',
  'YOLO',
  'DD',
  'IPO',
  'BUY',
  'SELL',
  'HOLD',
  'LONG',
  'SHORT',
  'CALL',
  'PUT',
  'CALLS',
  'PUTS',
  'WHAT',
  'IS',
  'THE',
  'AND',
  'FOR',
  'NOW',
  'TODAY',
]);

/** Finds the ticker a request is about: an alias ("tesla"), a known ticker in any case, or an uppercase ticker. */
function findSymbol(tokens: Token[], ctx: RouterContext): { symbol: string; index: number; length: number } | null {
  // A Map, not an object lookup: "__proto__" or "constructor" typed by a user must not resolve to anything.
  const aliases = new Map(Object.entries({ ...companyAliases, ...(ctx.aliases ?? {}) }));
  const maxWords = 5;
  // First pass: names and tickers we know.
  for (let i = 0; i < tokens.length; i++) {
    for (let n = Math.min(maxWords, tokens.length - i); n >= 1; n--) {
      const phrase = tokens
        .slice(i, i + n)
        .map((t) => t.word)
        .join(' ');
      const aliased = aliases.get(phrase);
      if (aliased) return { symbol: aliased, index: i, length: n };
    }
    const token = tokens[i] as Token;
    const dollar = token.raw.startsWith('$');
    const bare = token.raw.replace(/^\$/, '');
    const upper = bare.toUpperCase();
    // Lower-case "a" or "on" must not become a ticker; known tickers of one or two letters count only when typed in
    // capitals or as a cashtag.
    if (
      ctx.knownSymbols.has(upper) &&
      (dollar || bare === upper || upper.length > 2) &&
      !(bare !== upper && STOP_TICKERS.has(upper))
    ) {
      return { symbol: upper, index: i, length: 1 };
    }
  }
  // Second pass: a cashtag or a capitalised word that looks like a ticker we have no data for yet.
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    const bare = token.raw.replace(/^\$/, '');
    if (token.raw.startsWith('$') && /^[A-Za-z][A-Za-z.]{0,9}$/.test(bare)) {
      return { symbol: bare.toUpperCase(), index: i, length: 1 };
    }
    if (/^[A-Z][A-Z.]{1,5}$/.test(bare) && bare === token.raw && !NOT_TICKERS.has(bare)) {
      return { symbol: bare, index: i, length: 1 };
    }
  }
  return null;
}

const has = (text: string, pattern: RegExp) => pattern.test(text);

/**
 * Turns a typed or recognised request into an intent with entities. Never throws: text it cannot parse becomes an
 * `unknown` intent with a reason and examples the UI can show.
 */
export function parseIntent(input: string, ctx: RouterContext): Intent {
  const text = input.trim();
  const tokens = tokenize(text);
  const lower = ` ${tokens.map((t) => t.word).join(' ')} `;
  if (tokens.length === 0) {
    return { kind: 'unknown', reason: 'Say or type a question or an order.', suggestions: EXAMPLES.slice(0, 4) };
  }

  // Voice control words (also valid typed).
  if (/^ (yes )?(confirm|confirmed|yes confirm|place it|do it) $/.test(lower)) return { kind: 'confirm' };
  if (/^ (cancel|cancel that|cancel it|never mind|nevermind|no|stop|abort) $/.test(lower)) return { kind: 'cancel' };
  const correction = /^ (quantity|qty|shares|price|limit|limit price|stop|stop price) (\$?[\d,.]+) $/.exec(lower);
  if (correction) {
    const value = toNumber(correction[2] as string);
    if (value !== undefined && value > 0) {
      const field = correction[1] as string;
      if (/quantity|qty|shares/.test(field)) {
        if (Number.isInteger(value)) return { kind: 'correct', field: 'qty', value };
      } else {
        return { kind: 'correct', field: field.startsWith('stop') ? 'stopPrice' : 'limitPrice', value };
      }
    }
  }

  const found = findSymbol(tokens, ctx);
  const symbol = found?.symbol ?? ctx.currentSymbol;
  const needSymbol = (what: string): Intent => ({
    kind: 'unknown',
    reason: `Which symbol? Name one for ${what}, for example "${what === 'an order' ? 'buy 10 AAPL at market' : `${what} on AAPL`}".`,
    suggestions: EXAMPLES,
  });

  const first = tokens[0]?.word ?? '';
  if (['buy', 'sell', 'short', 'cover'].includes(first)) {
    const order = parseOrder(tokens, found);
    if (order.kind === 'order' || order.reason !== 'not-an-order') return order;
  }

  if (
    has(
      lower,
      /\b(rule|rules|regulation|pattern day|pdt|wash sale|reg t|regulation t|margin requirement|settle|settlement|t\+1|t\+2|short sale restriction|ssr|rule 201|uptick|halt|halted|luld|circuit breaker|free riding|good faith|locate|extended hours|what is an? (market|limit|stop|stop limit|stop-limit|bracket|trailing stop|oco|gtc|day|ioc|fok) order|how does an? .* order work)\b/,
    )
  ) {
    return { kind: 'knowledge', question: text };
  }

  // "price a TSLA 250 call expiring in 30 days" is an option-pricing question even without "Black-Scholes".
  const optionContract =
    has(lower, /\b(calls?|puts?)\b/) &&
    has(lower, /\b(expir\w*|strike|\d+[- ]?(day|week|month)s?)\b|\$?\d[\d,.]* (calls?|puts?)\b/) &&
    !has(lower, /\b(should i|would you|recommend|what do you think)\b/);
  if (
    optionContract ||
    has(
      lower,
      /\b(black[- ]?scholes|greeks?|delta|gamma|theta|vega|implied vol(atility)?|\biv\b|value at risk|\bvar\b|position size|how many shares should|kelly)\b/,
    )
  ) {
    const topic = has(lower, /\b(implied vol(atility)?|\biv\b)/)
      ? 'implied_volatility'
      : has(lower, /\b(value at risk|\bvar\b)/)
        ? 'var'
        : has(lower, /\b(position size|how many shares should|kelly)\b/)
          ? 'position_size'
          : has(lower, /\b(greeks?|delta|gamma|theta|vega)\b/) && !has(lower, /\bprice\b/)
            ? 'greeks'
            : 'option_price';
    const option = parseOptionTerms(tokens, lower, found);
    const stop = /\bstop (?:at |loss (?:at )?)?\$?([\d,.]+)/.exec(lower);
    const paid = /\b(?:trading at|priced at|costs?|premium of|market price of) \$?([\d,.]+)/.exec(lower);
    return {
      kind: 'math',
      ...(symbol ? { symbol } : {}),
      topic,
      ...(option ? { option } : {}),
      ...(stop ? { stopPrice: toNumber(stop[1] as string) } : {}),
      ...(paid ? { optionPrice: toNumber(paid[1] as string) } : {}),
    };
  }

  const pattern = detectPatternKind(lower);
  if (pattern) {
    if (!symbol) return needSymbol(`a pattern question`);
    return { kind: 'pattern', symbol, pattern };
  }

  if (has(lower, /\b(sentiment|news|headlines|mood|buzz|people saying|twitter|social)\b/)) {
    if (!symbol) return needSymbol('a sentiment question');
    return { kind: 'sentiment', symbol };
  }

  if (
    has(
      lower,
      /\b(should i|would you|do you recommend|recommend|what do you think|thoughts on|analy[sz]e|analysis|outlook|good (buy|time)|worth buying|bullish or bearish|buy or sell)\b/,
    )
  ) {
    if (!symbol) return needSymbol('an analysis');
    const right = has(lower, /\b(calls?)\b/) ? 'call' : has(lower, /\b(puts?)\b/) ? 'put' : undefined;
    const side = has(lower, /\b(sell|short|exit|get out)\b/) ? 'sell' : has(lower, /\bbuy\b/) ? 'buy' : undefined;
    const option = right ? parseOptionTerms(tokens, lower, found) : undefined;
    return {
      kind: 'comprehensive',
      symbol,
      ...(option ? { option } : {}),
      ...(side ? { side } : {}),
    };
  }

  const indicator =
    /\b(rsi|macd|sma|ema|moving average|bollinger|vwap|atr|volatility|indicators?|overbought|oversold|momentum|trend)\b/.exec(
      lower,
    );
  if (indicator) {
    if (!symbol) return needSymbol('an indicator question');
    return { kind: 'technical', symbol, indicator: indicator[1] as string };
  }

  if (
    has(lower, /\b(price|quote|trading at|how much|last|worth|doing|up or down|change)\b/) ||
    (found && tokens.length <= 2)
  ) {
    if (!symbol) return needSymbol('a price question');
    return { kind: 'price', symbol };
  }

  if (['buy', 'sell', 'short', 'cover'].includes(first)) {
    return parseOrder(tokens, found) as Intent;
  }

  return {
    kind: 'unknown',
    reason: `I didn't understand "${text.length > 80 ? `${text.slice(0, 77)}...` : text}".`,
    suggestions: EXAMPLES,
  };
}

type OrderParse = OrderIntent | { kind: 'unknown'; reason: string; suggestions: string[] };

function parseOrder(tokens: Token[], found: ReturnType<typeof findSymbol>): OrderParse {
  const verb = tokens[0]?.word as 'buy' | 'sell' | 'short' | 'cover';
  const lower = ` ${tokens.map((t) => t.word).join(' ')} `;
  if (/\b(calls?|puts?|options?)\b/.test(lower)) {
    return {
      kind: 'unknown',
      reason:
        'Paper trading covers shares only; options are priced (ask "calculate the Black-Scholes price of a TSLA 250 call expiring in 30 days") but not traded.',
      suggestions: EXAMPLES,
    };
  }
  if (!found) {
    return {
      kind: 'unknown',
      reason: `Which symbol do you want to ${verb}? For example "${verb} 10 AAPL at market".`,
      suggestions: EXAMPLES,
    };
  }
  const symbolTokens = new Set(Array.from({ length: found.length }, (_, k) => found.index + k));
  // Prices follow a price word ("at", "limit", "stop", "take profit", "stop loss"); the quantity is the first
  // other number.
  const priceAfter = (pattern: RegExp): number | undefined => {
    const m = pattern.exec(lower);
    return m ? toNumber(m[1] as string) : undefined;
  };
  const takeProfit = priceAfter(/\btake[- ]profit (?:at )?(\$?[\d,.]+)/);
  const stopLoss = priceAfter(/\bstop[- ]loss (?:at )?(\$?[\d,.]+)/);
  const withoutBracket = lower
    .replace(/\btake[- ]profit (?:at )?\$?[\d,.]+/, ' ')
    .replace(/\bstop[- ]loss (?:at )?\$?[\d,.]+/, ' ');
  const stop = (() => {
    const m = /\bstop (?:at |price )?(\$?[\d,.]+)/.exec(withoutBracket);
    return m ? toNumber(m[1] as string) : undefined;
  })();
  const limit = (() => {
    const m = /\b(?:limit|at|@) (?:price )?(\$?[\d,.]+)(?: dollars?)?/.exec(
      withoutBracket.replace(/\bstop (?:at |price )?\$?[\d,.]+/, ' '),
    );
    return m ? toNumber(m[1] as string) : undefined;
  })();
  let qty: number | undefined;
  for (let i = 1; i < tokens.length; i++) {
    if (symbolTokens.has(i)) continue;
    const previous = tokens[i - 1]?.word ?? '';
    if (['at', '@', 'limit', 'stop', 'profit', 'loss', 'price'].includes(previous)) continue;
    const value = toNumber((tokens[i] as Token).word);
    if (value !== undefined) {
      qty = value;
      break;
    }
  }
  if (qty === undefined || !Number.isInteger(qty) || qty <= 0) {
    return {
      kind: 'unknown',
      reason:
        qty === undefined
          ? `How many shares of ${found.symbol}? For example "${verb} 10 ${found.symbol} at market".`
          : `The quantity must be a whole number of shares above zero (got ${qty}).`,
      suggestions: EXAMPLES,
    };
  }
  const type: OrderIntent['type'] =
    stop !== undefined && limit !== undefined
      ? 'stop_limit'
      : stop !== undefined
        ? 'stop'
        : limit !== undefined
          ? 'limit'
          : 'market';
  const tif: OrderIntent['tif'] = /\b(gtc|good till cancell?ed|good til cancell?ed|good until cancell?ed)\b/.test(lower)
    ? 'gtc'
    : 'day';
  const intent: OrderIntent = {
    kind: 'order',
    side: verb === 'buy' || verb === 'cover' ? 'buy' : 'sell',
    opensShort: verb === 'short',
    qty,
    symbol: found.symbol,
    type,
    tif,
    ...(limit !== undefined ? { limitPrice: limit } : {}),
    ...(stop !== undefined ? { stopPrice: stop } : {}),
    ...(takeProfit !== undefined && stopLoss !== undefined ? { bracket: { takeProfit, stopLoss } } : {}),
  };
  return intent;
}

function parseOptionTerms(
  tokens: Token[],
  lower: string,
  found: ReturnType<typeof findSymbol>,
): { right: 'call' | 'put'; strike?: number; daysToExpiry?: number } | undefined {
  const right = /\bputs?\b/.test(lower) ? 'put' : /\bcalls?\b/.test(lower) ? 'call' : undefined;
  if (!right) return undefined;
  let strike: number | undefined;
  const explicit = /\bstrike (?:of |price )?\$?([\d,.]+)/.exec(lower) ?? /\$?([\d,.]+) strike\b/.exec(lower);
  if (explicit) strike = toNumber(explicit[1] as string);
  if (strike === undefined) {
    const before = /(\$?[\d,.]+) (calls?|puts?)\b/.exec(lower);
    if (before) strike = toNumber(before[1] as string);
  }
  if (strike === undefined && found) {
    const next = tokens[found.index + found.length];
    if (next) strike = toNumber(next.word);
  }
  let daysToExpiry: number | undefined;
  const span =
    /\b(?:expiring|expires|expiry|expiration|in|for) (?:in )?(\d+) (days?|weeks?|months?|years?)\b/.exec(lower) ??
    /\b(\d+)[- ](day|week|month)s?\b/.exec(lower);
  if (span) {
    const n = Number(span[1]);
    const unit = span[2] as string;
    daysToExpiry = unit.startsWith('week')
      ? n * 7
      : unit.startsWith('month')
        ? n * 30
        : unit.startsWith('year')
          ? n * 365
          : n;
  }
  return {
    right,
    ...(strike !== undefined ? { strike } : {}),
    ...(daysToExpiry !== undefined ? { daysToExpiry } : {}),
  };
}

function detectPatternKind(lower: string): PatternKind | null {
  if (/\bbull(ish)? flag\b/.test(lower)) return 'bull_flag';
  if (/\bbear(ish)? flag\b/.test(lower)) return 'bear_flag';
  if (/\bdouble top\b/.test(lower)) return 'double_top';
  if (/\bdouble bottom\b/.test(lower)) return 'double_bottom';
  if (/\binverse(d)? head and shoulders\b|\binverse h&s\b/.test(lower)) return 'inverse_head_and_shoulders';
  if (/\bhead and shoulders\b|\bh&s\b/.test(lower)) return 'head_and_shoulders';
  if (/\bbreak ?out\b|\bbreaking out\b/.test(lower)) return 'breakout';
  if (
    /\b(patterns?|candlesticks?|hammer|doji|engulfing|morning star|evening star|shooting star|formation)\b/.test(lower)
  )
    return 'any';
  return null;
}
