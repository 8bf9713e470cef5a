/**
 * The spoken-text normaliser: recognised words → the canonical typed form the router reads ("buy ten shares of
 * apple at market" → "buy 10 AAPL at market"), plus the structure the read-back needs. Words that are not a
 * sentence of the grammar give null: better "I didn't catch that" than a guess.
 */
import type { SpokenCommand, SpokenOrder } from '../../../../shared/domain/voice';
import { letterOf } from './companies';
import type { Grammar } from './grammar';
import { wordsToNumber } from './numbers';
import { type Capture, findCapture, parseWords } from './parse';

const NUMERIC_SLOTS = new Set(['qty', 'price', 'limit', 'stop', 'number']);

/** Words written differently from how the dictionary spells them. */
const WRITTEN: ReadonlyMap<string, string> = new Map([['whats', 'what is']]);

const QUESTION_KINDS = {
  ask_price: 'price',
  ask_pattern: 'pattern',
  ask_comprehensive: 'comprehensive',
  ask_math: 'math',
  ask_sentiment: 'sentiment',
  ask_knowledge: 'knowledge',
  ask_technical: 'technical',
} as const;

/** Lower-cases, strips fillers and alternate-pronunciation marks ("market(2)") from recogniser output. */
export function cleanRecognizedWords(words: readonly string[]): string[] {
  return words
    .map((word) => word.toLowerCase().replace(/\(\d+\)$/, ''))
    .filter((word) => word.length > 0 && !/^(<.*>|\[.*\]|\+\+.*\+\+)$/.test(word));
}

/** Interprets words of the command grammar; null when they are not a sentence of it. */
export function normalizeWords(grammar: Grammar, words: readonly string[]): SpokenCommand | null {
  const clean = cleanRecognizedWords(words);
  if (clean.length === 0) return null;
  const captures = parseWords(grammar, clean);
  if (!captures || captures.length === 0) return null;
  const top = captures[0] as Capture;
  const spoken = clean.join(' ');

  switch (top.slot) {
    case 'order': {
      const order = orderFrom(top);
      if (!order) return null;
      return { kind: 'order', spoken, canonical: canonicalOrder(order), order };
    }
    case 'confirm':
      return { kind: 'confirm', spoken, canonical: 'confirm' };
    case 'cancel':
      return { kind: 'cancel', spoken, canonical: 'cancel' };
    case 'stop_speaking':
      return { kind: 'stop_speaking', spoken, canonical: 'stop talking' };
    case 'repeat':
      return { kind: 'repeat', spoken, canonical: 'repeat that' };
    case 'set_qty': {
      const qty = numberOf(findCapture(top.children, 'qty'));
      if (qty === null || !Number.isInteger(qty) || qty <= 0) return null;
      return { kind: 'correct', spoken, canonical: `quantity ${qty}`, field: 'qty', value: qty };
    }
    case 'set_price':
    case 'set_stop': {
      const price = numberOf(findCapture(top.children, 'price'));
      if (price === null || price <= 0) return null;
      return top.slot === 'set_price'
        ? { kind: 'correct', spoken, canonical: `price ${formatNumber(price)}`, field: 'limitPrice', value: price }
        : { kind: 'correct', spoken, canonical: `stop price ${formatNumber(price)}`, field: 'stopPrice', value: price };
    }
    default: {
      const question = (QUESTION_KINDS as Record<string, SpokenQuestionKind>)[top.slot];
      if (!question) return null;
      const symbol = symbolOf(top);
      const canonical = render(clean, captures);
      if (canonical === null) return null;
      return { kind: 'question', spoken, canonical, question, ...(symbol ? { symbol } : {}) };
    }
  }
}

type SpokenQuestionKind = (typeof QUESTION_KINDS)[keyof typeof QUESTION_KINDS];

function orderFrom(top: Capture): SpokenOrder | null {
  const sideWord = findCapture(top.children, 'side')?.words[0];
  const qty = numberOf(findCapture(top.children, 'qty'));
  const symbol = symbolOf(top);
  if (!sideWord || qty === null || !Number.isInteger(qty) || qty <= 0 || !symbol) return null;
  const limit = findCapture(top.children, 'limit');
  const stop = findCapture(top.children, 'stop');
  const limitPrice = limit ? numberOf(limit) : null;
  const stopPrice = stop ? numberOf(stop) : null;
  if ((limit && (limitPrice === null || limitPrice <= 0)) || (stop && (stopPrice === null || stopPrice <= 0))) {
    return null;
  }
  const verb = sideWord as SpokenOrder['verb'];
  return {
    verb,
    side: verb === 'buy' || verb === 'cover' ? 'buy' : 'sell',
    qty,
    symbol,
    type: limitPrice !== null ? 'limit' : stopPrice !== null ? 'stop' : 'market',
    ...(limitPrice !== null ? { limitPrice } : {}),
    ...(stopPrice !== null ? { stopPrice } : {}),
  };
}

/** "buy 10 AAPL at market", "sell 5 TSLA limit 250", "short 10 NVDA stop 120". */
export function canonicalOrder(order: SpokenOrder): string {
  const head = `${order.verb} ${order.qty} ${order.symbol}`;
  if (order.type === 'limit' && order.limitPrice !== undefined)
    return `${head} limit ${formatNumber(order.limitPrice)}`;
  if (order.type === 'stop' && order.stopPrice !== undefined) return `${head} stop ${formatNumber(order.stopPrice)}`;
  return `${head} at market`;
}

function symbolOf(top: Capture): string | undefined {
  const stock = findCapture(top.children, 'stock');
  const named = stock?.children.find((c) => c.slot.startsWith('$'));
  if (named) return named.slot.slice(1);
  // A ticker spelled letter by letter that the grammar produced from a pattern rather than a list.
  if (stock?.words.every((word) => letterOf(word) !== undefined)) {
    return stock.words.map((word) => letterOf(word)).join('');
  }
  return undefined;
}

function numberOf(capture: Capture | undefined): number | null {
  if (!capture) return null;
  return wordsToNumber(capture.words);
}

/** 250 → "250", 185.25 → "185.25". */
export function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(4)));
}

interface Span {
  start: number;
  end: number;
  text: string;
}

/** The sentence with symbols as tickers, numbers as digits and spelled letters joined ("r s i" → "RSI"). */
function render(words: readonly string[], captures: readonly Capture[]): string | null {
  const spans: Span[] = [];
  let failed = false;
  const collect = (list: readonly Capture[]): void => {
    for (const capture of list) {
      if (capture.slot.startsWith('$')) {
        spans.push({ start: capture.start, end: capture.end, text: capture.slot.slice(1) });
      } else if (capture.slot.startsWith('=')) {
        spans.push({ start: capture.start, end: capture.end, text: capture.slot.slice(1) });
      } else if (NUMERIC_SLOTS.has(capture.slot)) {
        const value = wordsToNumber(capture.words);
        if (value === null) failed = true;
        else spans.push({ start: capture.start, end: capture.end, text: formatNumber(value) });
      } else {
        collect(capture.children);
      }
    }
  };
  collect(captures);
  if (failed) return null;
  spans.sort((a, b) => a.start - b.start);
  const out: string[] = [];
  let letters = '';
  const flushLetters = () => {
    if (letters) out.push(letters);
    letters = '';
  };
  let i = 0;
  let s = 0;
  while (i < words.length) {
    const span = spans[s];
    if (span && span.start === i) {
      flushLetters();
      out.push(span.text);
      i = span.end;
      s++;
      continue;
    }
    const word = words[i] as string;
    const letter = letterOf(word);
    if (letter) letters += letter;
    else {
      flushLetters();
      out.push(WRITTEN.get(word) ?? word);
    }
    i++;
  }
  flushLetters();
  return out.join(' ');
}
