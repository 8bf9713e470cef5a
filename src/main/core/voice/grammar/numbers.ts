/**
 * Spoken numbers: the grammar rules that let a trader say quantities and prices, and the conversions between
 * number words and digits. Prices may be said in full ("two hundred and ten"), the trader's short way ("two
 * fifty" is 250, "one oh five" is 105) and with decimals ("one eighty five point two five").
 */
import { alt, type GrammarNode, opt, ref, seq } from './grammar';

export const DIGITS = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'] as const;
export const TEENS = [
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
] as const;
export const TENS = ['twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'] as const;

const UNIT_VALUE = new Map<string, number>([
  ['zero', 0],
  ['oh', 0],
  ...DIGITS.map((word, i) => [word, i + 1] as [string, number]),
  ...TEENS.map((word, i) => [word, i + 10] as [string, number]),
]);
const TENS_VALUE = new Map<string, number>(TENS.map((word, i) => [word, (i + 2) * 10] as [string, number]));

/**
 * The number rules, to merge into a grammar: `int` (1 to 999,999), `price` (an int, the short price form, with an
 * optional decimal part) and their parts.
 */
export function numberRules(): Record<string, GrammarNode> {
  return {
    digit: alt(...DIGITS),
    teen: alt(...TEENS),
    tens: alt(...TENS),
    n99: alt(ref('digit'), ref('teen'), seq(ref('tens'), opt(ref('digit')))),
    n999: alt(ref('n99'), seq(alt('a', ref('digit')), 'hundred', opt(seq(opt('and'), ref('n99'))))),
    int: alt(ref('n999'), seq(ref('n999'), 'thousand', opt(seq(opt('and'), ref('n999'))))),
    // "two fifty" (250), "one eighty five" (185), "one oh five" (105): how traders say prices.
    short_price: seq(ref('digit'), alt(ref('teen'), seq(ref('tens'), opt(ref('digit'))), seq('oh', ref('digit')))),
    decimal_digit: alt('zero', 'oh', ...DIGITS),
    price: seq(alt(ref('int'), ref('short_price')), opt(seq('point', ref('decimal_digit'), opt(ref('decimal_digit'))))),
  };
}

/**
 * The value of a run of number words, or null when they do not form a number. Understands "two hundred and ten",
 * "a hundred", "twelve thousand five hundred", "two fifty" (250), "one oh five" (105) and "point two five".
 */
export function wordsToNumber(words: readonly string[]): number | null {
  const pointAt = words.indexOf('point');
  const whole = pointAt === -1 ? words : words.slice(0, pointAt);
  const fraction = pointAt === -1 ? [] : words.slice(pointAt + 1);
  const integer = wholeNumber(whole);
  if (integer === null) return null;
  if (pointAt === -1) return integer;
  if (fraction.length === 0 || fraction.length > 4) return null;
  let digits = '';
  for (const word of fraction) {
    const value = UNIT_VALUE.get(word);
    if (value === undefined || value > 9) return null;
    digits += String(value);
  }
  return Number(`${integer}.${digits}`);
}

function wholeNumber(words: readonly string[]): number | null {
  if (words.length === 0) return null;
  const standard = standardNumber(words);
  if (standard !== null) return standard;
  return shortPrice(words);
}

/** "two hundred and ten", "twelve thousand five hundred", "forty two". */
function standardNumber(words: readonly string[]): number | null {
  let total = 0;
  let group = 0;
  let groupHasValue = false;
  let sawHundred = false;
  let sawThousand = false;
  let last: 'unit' | 'teen' | 'tens' | 'hundred' | 'thousand' | 'and' | null = null;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (word === 'and') {
      if (last !== 'hundred' && last !== 'thousand') return null;
      last = 'and';
      continue;
    }
    if (word === 'a') {
      // "a hundred", "a thousand"
      const next = words[i + 1];
      if (next !== 'hundred' && next !== 'thousand') return null;
      if (groupHasValue) return null;
      group = 1;
      groupHasValue = true;
      last = 'unit';
      continue;
    }
    if (word === 'hundred') {
      if (sawHundred || !groupHasValue || group > 9 || last === 'and') return null;
      group *= 100;
      sawHundred = true;
      last = 'hundred';
      continue;
    }
    if (word === 'thousand') {
      if (sawThousand || !groupHasValue || last === 'and') return null;
      total += group * 1000;
      group = 0;
      groupHasValue = false;
      sawHundred = false;
      sawThousand = true;
      last = 'thousand';
      continue;
    }
    const tens = TENS_VALUE.get(word);
    if (tens !== undefined) {
      if (last === 'unit' || last === 'teen' || last === 'tens') return null;
      group += tens;
      groupHasValue = true;
      last = 'tens';
      continue;
    }
    const unit = UNIT_VALUE.get(word);
    if (unit === undefined || word === 'oh' || word === 'zero') return null;
    if (unit >= 10) {
      if (last === 'unit' || last === 'teen' || last === 'tens') return null;
      last = 'teen';
    } else {
      if (last === 'unit' || last === 'teen') return null;
      last = 'unit';
    }
    group += unit;
    groupHasValue = true;
  }
  if (last === 'and') return null;
  if (!groupHasValue && !sawThousand) return null;
  return total + group;
}

/** "two fifty" → 250, "one eighty five" → 185, "one oh five" → 105, "nine nineteen" → 919. */
function shortPrice(words: readonly string[]): number | null {
  const [first, ...rest] = words;
  const hundreds = first === undefined ? undefined : UNIT_VALUE.get(first);
  if (hundreds === undefined || hundreds < 1 || hundreds > 9 || rest.length === 0) return null;
  if (rest[0] === 'oh') {
    if (rest.length !== 2) return null;
    const unit = UNIT_VALUE.get(rest[1] as string);
    if (unit === undefined || unit < 1 || unit > 9) return null;
    return hundreds * 100 + unit;
  }
  const remainder = standardNumber(rest);
  if (remainder === null || remainder < 10 || remainder > 99) return null;
  return hundreds * 100 + remainder;
}

export interface NumberWordsStyle {
  /** "two hundred and ten" rather than "two hundred ten". */
  and?: boolean;
  /** "a hundred" rather than "one hundred". */
  aHundred?: boolean;
  /** Say 100 to 999 the trader's short way ("two fifty") where it is unambiguous. */
  short?: boolean;
}

/** Digits to spoken words: 210 → "two hundred ten"; 185.25 → "one hundred eighty five point two five". */
export function numberToWords(value: number, style: NumberWordsStyle = {}): string {
  if (!Number.isFinite(value) || value < 0 || value >= 1_000_000) {
    throw new RangeError(`numberToWords: ${value} is outside 0 to 999,999`);
  }
  const text = value.toFixed(2).replace(/\.?0+$/, '');
  const [intPart, fracPart] = text.split('.') as [string, string | undefined];
  const integer = Number(intPart);
  let words = integer === 0 ? 'zero' : intWords(integer, style);
  if (fracPart) {
    words += ` point ${[...fracPart].map((d) => (d === '0' ? 'zero' : DIGITS[Number(d) - 1])).join(' ')}`;
  }
  return words;
}

function intWords(n: number, style: NumberWordsStyle): string {
  if (style.short && n >= 110 && n <= 999 && n % 100 >= 10) {
    return `${DIGITS[Math.floor(n / 100) - 1]} ${under100(n % 100)}`;
  }
  const parts: string[] = [];
  const thousands = Math.floor(n / 1000);
  const rest = n % 1000;
  if (thousands > 0) parts.push(`${under1000(thousands, style)} thousand`);
  if (rest > 0) {
    if (thousands > 0 && rest < 100 && style.and) parts.push('and');
    parts.push(under1000(rest, style));
  }
  return parts.join(' ');
}

function under1000(n: number, style: NumberWordsStyle): string {
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  const parts: string[] = [];
  if (hundreds > 0) {
    parts.push(hundreds === 1 && style.aHundred ? 'a hundred' : `${DIGITS[hundreds - 1]} hundred`);
    if (rest > 0 && style.and) parts.push('and');
  }
  if (rest > 0) parts.push(under100(rest));
  return parts.join(' ');
}

function under100(n: number): string {
  if (n < 10) return DIGITS[n - 1] as string;
  if (n < 20) return TEENS[n - 10] as string;
  const tens = TENS[Math.floor(n / 10) - 2] as string;
  return n % 10 === 0 ? tens : `${tens} ${DIGITS[(n % 10) - 1]}`;
}

/** Every word the number rules use. */
export const NUMBER_WORDS = [
  ...DIGITS,
  ...TEENS,
  ...TENS,
  'zero',
  'oh',
  'a',
  'and',
  'hundred',
  'thousand',
  'point',
] as const;

/** Guard so tests notice when a number word is added to the rules but not to {@link NUMBER_WORDS}. */
export const numberWordSet: ReadonlySet<string> = new Set(NUMBER_WORDS);
