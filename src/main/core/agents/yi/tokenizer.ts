import { normalizeText } from './normalize-text';

export type TokenKind = 'word' | 'number' | 'percent' | 'cashtag' | 'emoji' | 'boundary';

/** One token of a text. */
export interface Token {
  kind: TokenKind;
  /** Lower-cased form: the word, the emoji, the cashtag's symbol, or the boundary character. */
  norm: string;
  /** For `percent`: the signed value when the text wrote a sign ("+5%", "-2.7%"), else null. */
  signedPct?: number | null;
}

export interface Tokenized {
  tokens: Token[];
  /** Symbols named by cashtags, upper-cased, in order of first mention. */
  symbols: string[];
}

// One alternation, tried left to right at each position; the order matters (a URL before a word, a signed
// percentage before a number, a cashtag before a dollar amount).
const TOKEN_RE = new RegExp(
  [
    String.raw`(?<url>\bhttps?:\/\/\S*|\bwww\.\S+|\bt\.co\/\S*)`,
    String.raw`(?<cashtag>\$[A-Za-z][A-Za-z0-9]{0,9}(?:\.[A-Za-z]{1,2})?(?![A-Za-z0-9]))`,
    String.raw`(?<pct>[+\-\u2212]?\d+(?:[.,]\d+)?\s?%)`,
    String.raw`(?<num>[$\u20AC\u00A3]?\d[\d,]*(?:\.\d+)?(?:[kmbKMB](?![a-z]))?)`,
    String.raw`(?<negcontraction>n't\b)`,
    String.raw`(?<possessive>'s\b)`,
    String.raw`(?<word>[\p{L}\p{M}][\p{L}\p{M}\p{N}]*(?:[&'][\p{L}\p{M}]+)*)`,
    String.raw`(?<emoji>\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic}|[\u{1F3FB}-\u{1F3FF}])*)`,
    String.raw`(?<boundary>[.;:!?,()\[\]|]|\s[-\u2013\u2014]+\s|\u2026)`,
  ].join('|'),
  'gu',
);

const NEGATED_CONTRACTION = /^(.+)n't$/;
// Contractions whose stem changes when "n't" is split off.
const IRREGULAR_NEGATIONS: Record<string, string> = { wo: 'will', ca: 'can', sha: 'shall', ai: 'is' };

/**
 * Splits normalised text into tokens: lower-cased words (contractions split so that "n't" becomes "not",
 * possessive "'s" dropped, hyphenated words split into their parts), numbers, signed percentages, cashtags (the
 * symbol is collected), emoji, and clause boundaries (punctuation, a spaced dash). URLs are dropped.
 */
export function tokenize(raw: string): Tokenized {
  const text = normalizeText(raw);
  const tokens: Token[] = [];
  const symbols: string[] = [];
  for (const m of text.matchAll(TOKEN_RE)) {
    const g = m.groups ?? {};
    // Pre-split possessives ("company 's") carry nothing.
    if (g.url !== undefined || g.possessive !== undefined) continue;
    if (g.cashtag !== undefined) {
      const symbol = g.cashtag.slice(1).toUpperCase();
      if (!symbols.includes(symbol)) symbols.push(symbol);
      tokens.push({ kind: 'cashtag', norm: symbol.toLowerCase() });
    } else if (g.pct !== undefined) {
      const sign = g.pct[0];
      const value = Number.parseFloat(g.pct.replace(/[+\-\u2212%\s]/g, '').replace(',', '.'));
      const signed = sign === '+' ? value : sign === '-' || sign === '\u2212' ? -value : null;
      tokens.push({ kind: 'percent', norm: '%', signedPct: Number.isFinite(value) ? signed : null });
    } else if (g.num !== undefined) {
      tokens.push({ kind: 'number', norm: g.num.toLowerCase() });
    } else if (g.negcontraction !== undefined) {
      // Pre-split text ("does n't") leaves the contraction on its own.
      tokens.push({ kind: 'word', norm: 'not' });
    } else if (g.word !== undefined) {
      pushWord(tokens, g.word.toLowerCase());
    } else if (g.emoji !== undefined) {
      tokens.push({ kind: 'emoji', norm: g.emoji.replace(/[\uFE0F\u{1F3FB}-\u{1F3FF}]/gu, '') });
    } else if (g.boundary !== undefined) {
      tokens.push({ kind: 'boundary', norm: g.boundary.trim() || '-' });
    }
  }
  return { tokens, symbols };
}

function pushWord(tokens: Token[], word: string): void {
  const neg = NEGATED_CONTRACTION.exec(word);
  if (neg?.[1]) {
    const stem = neg[1];
    tokens.push({ kind: 'word', norm: IRREGULAR_NEGATIONS[stem] ?? stem });
    tokens.push({ kind: 'word', norm: 'not' });
    return;
  }
  const apostrophe = word.indexOf("'");
  if (apostrophe > 0) {
    // "company's" -> "company"; "we'll", "it's" keep only the stem, which is all the lexicon needs.
    tokens.push({ kind: 'word', norm: word.slice(0, apostrophe) });
    return;
  }
  tokens.push({ kind: 'word', norm: word });
}
