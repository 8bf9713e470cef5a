/**
 * The spoken command language, as data: orders, the seed's question types and the control words of the read-back,
 * over the current watchlist. {@link buildCommandLanguage} turns it into a {@link Grammar}; the recogniser compiles
 * that to JSGF, and the normaliser parses the recognised words back into the canonical typed form the router reads.
 *
 * Slot conventions in tags (see normalize.ts): an intent name at the top (`order`, `ask_price`, `confirm`…),
 * `$TICKER` for a symbol, `=text` for words that are written differently from how they are said ("whats" is
 * written "what is"), and `qty`, `price`, `limit`, `stop`, `number` for numbers.
 */
import { type CompanyEntry, companyTable, spellTicker } from './companies';
import { alt, type Grammar, type GrammarNode, grammarWords, opt, ref, seq, tag } from './grammar';
import { numberRules } from './numbers';

/** The seed's question types and how each may be asked. Data: add a phrasing here and it is understood. */
export const questionPhrasings = {
  price: ['what is the price of', 'whats the price of', 'what is the stock price of', 'give me a quote on'],
  sentiment: ['what is the sentiment on', 'whats the sentiment on', 'what is the news on', 'whats the news on'],
  impliedVolatility: ['what is the implied volatility of', 'whats the implied volatility of'],
  blackScholes: ['calculate the black scholes price of a', 'what is the black scholes price of a'],
  patternLead: ['is this a', 'is there a', 'is that a'],
  comprehensive: ['should i'],
} as const;

/** Chart patterns a trader may ask about (the pattern slot's vocabulary). */
export const spokenPatterns = [
  'bull flag',
  'bear flag',
  'head and shoulders',
  'inverse head and shoulders',
  'double top',
  'double bottom',
  'breakout',
  'cup and handle',
  'hammer',
  'doji',
] as const;

/** Rules and order types the knowledge slot answers ("what is the pattern day trader rule"). */
export const knowledgeTopics = [
  'pattern day trader rule',
  'wash sale rule',
  'short sale rule',
  'uptick rule',
  'free riding rule',
  'settlement rule',
] as const;

export const orderTypeTopics = [
  'market order',
  'limit order',
  'stop order',
  'stop limit order',
  'margin call',
] as const;

export interface CommandLanguageOptions {
  /** The watchlist, in any case; every symbol is spelled and, where the table knows it, named. */
  readonly watchlist: readonly string[];
  /** Name table (defaults to {@link companyTable}). */
  readonly companies?: readonly CompanyEntry[];
  /**
   * Also listen for every company in the table, not only the watchlist (default false: every extra name is one
   * more thing "apple" can be misheard as; the bench measured "oracle" and "dia" stealing it).
   */
  readonly includeAllCompanies?: boolean;
}

export interface CommandLanguage {
  readonly grammar: Grammar;
  /** Symbols the grammar can name, upper-case, sorted. */
  readonly symbols: readonly string[];
  /** Every word the grammar uses. */
  readonly vocabulary: readonly string[];
  /** Changes whenever the grammar changes (the recogniser rebuilds only then). */
  readonly fingerprint: string;
}

/** Builds the grammar for a watchlist. Pure and fast (well under a millisecond for 200 symbols). */
export function buildCommandLanguage(options: CommandLanguageOptions): CommandLanguage {
  const table = options.companies ?? companyTable;
  const byTicker = new Map(table.map((entry) => [entry.ticker, entry]));
  const symbols = new Set(options.watchlist.map((s) => s.trim().toUpperCase()).filter(Boolean));
  if (options.includeAllCompanies ?? false) for (const entry of table) symbols.add(entry.ticker);
  const sorted = [...symbols].sort();

  const stockAlternatives: GrammarNode[] = [];
  for (const symbol of sorted) {
    const forms: GrammarNode[] = [];
    for (const name of byTicker.get(symbol)?.names ?? []) forms.push(seq(name));
    // A ticker that is itself a word ("spy", "cost") is said as one; the recogniser's dictionary decides which are.
    if (symbol.length >= 3 && /^[A-Z]+$/.test(symbol)) forms.push(seq(symbol.toLowerCase()));
    const spelled = spellTicker(symbol);
    if (spelled) forms.push(seq(spelled.join(' ')));
    if (forms.length > 0) stockAlternatives.push(tag(`$${symbol}`, alt(...forms)));
  }
  if (stockAlternatives.length === 0) throw new Error('buildCommandLanguage: no symbol can be spoken');

  const q = questionPhrasings;
  const whatIs = tag('=what is', alt('what is', 'whats'));
  const rules: Record<string, GrammarNode> = {
    ...numberRules(),
    stock: tag('stock', alt(...stockAlternatives)),
    command: alt(
      tag('order', ref('order')),
      tag('ask_price', ref('ask_price')),
      tag('ask_pattern', ref('ask_pattern')),
      tag('ask_comprehensive', ref('ask_comprehensive')),
      tag('ask_math', ref('ask_math')),
      tag('ask_sentiment', ref('ask_sentiment')),
      tag('ask_knowledge', ref('ask_knowledge')),
      tag('ask_technical', ref('ask_technical')),
      // "confirm" alone: a longer phrase ("confirm order") let "confirm the reservation for eight people" through.
      tag('confirm', seq('confirm')),
      tag('cancel', alt('cancel', 'cancel that', 'cancel order', 'cancel it')),
      tag('set_qty', seq(alt('quantity', 'change the quantity to'), tag('qty', ref('int')), opt('shares'))),
      tag('set_price', seq(alt('price', 'limit price', 'change the price to'), tag('price', ref('price')))),
      tag('set_stop', seq('stop price', tag('price', ref('price')))),
      tag('stop_speaking', alt('stop talking', 'be quiet')),
      tag('repeat', alt('repeat that', 'say that again')),
    ),
    order: seq(
      tag('side', alt('buy', 'sell', 'short', 'cover')),
      tag('qty', ref('int')),
      opt(alt('shares of', 'shares', 'share of', 'share')),
      ref('stock'),
      opt(ref('order_type')),
    ),
    order_type: alt(
      tag('market', alt('at market', 'at the market', 'market')),
      seq(alt('limit', 'limit at', 'at a limit of', 'with a limit of'), tag('limit', ref('price')), opt('dollars')),
      seq('at', tag('limit', ref('price')), opt('dollars')),
      seq(alt('stop', 'stop at'), tag('stop', ref('price')), opt('dollars')),
    ),
    ask_price: alt(seq(alt(...q.price.map((p) => seq(p))), ref('stock')), seq('how is', ref('stock'), 'doing')),
    ask_pattern: seq(
      alt(...q.patternLead.map((p) => seq(p))),
      tag('pattern', alt(...spokenPatterns.map((p) => seq(p)))),
      alt('on', 'in'),
      ref('stock'),
    ),
    ask_comprehensive: alt(
      seq(
        alt(...q.comprehensive.map((p) => seq(p))),
        alt('buy', 'sell', 'short'),
        ref('stock'),
        opt(alt('calls', 'puts', 'shares', 'stock')),
      ),
      seq('what do you think of', ref('stock')),
    ),
    ask_math: alt(
      seq(
        alt(...q.blackScholes.map((p) => seq(p))),
        ref('stock'),
        tag('number', ref('price')),
        alt('call', 'put'),
        'expiring in',
        tag('number', ref('int')),
        alt('days', 'day', 'weeks', 'week'),
      ),
      seq(alt(...q.impliedVolatility.map((p) => seq(p))), ref('stock')),
    ),
    ask_sentiment: seq(alt(...q.sentiment.map((p) => seq(p))), ref('stock')),
    ask_knowledge: alt(
      seq(alt(seq(whatIs, 'the'), 'explain the'), tag('topic', alt(...knowledgeTopics.map((t) => seq(t))))),
      seq(alt(seq(whatIs, 'a'), 'explain a'), tag('topic', alt(...orderTypeTopics.map((t) => seq(t))))),
    ),
    ask_technical: seq(
      whatIs,
      'the',
      tag('indicator', alt('ltr_r ltr_s ltr_i', 'moving average', 'volatility', 'momentum', 'trend')),
      alt('of', 'on', 'for'),
      ref('stock'),
    ),
  };

  const grammar: Grammar = { root: 'command', rules };
  const vocabulary = grammarWords(grammar);
  return { grammar, symbols: sorted, vocabulary, fingerprint: fingerprintOf(sorted, table) };
}

function fingerprintOf(symbols: readonly string[], table: readonly CompanyEntry[]): string {
  // FNV-1a over the inputs: cheap, stable, and enough to tell two grammars apart.
  let hash = 0x811c9dc5;
  const text = `${symbols.join(',')}|${table.map((e) => `${e.ticker}:${e.names.join('/')}`).join(';')}`;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
