/**
 * Decimal numbers straight from CSV bytes, as market files write them: `182.55999755859375`, `$383.52`,
 * `"4,787,699"` (thousands separators, only in quoted fields), `6189026.0000`, `1.61888E+12`, ` 42 `.
 *
 * The fast path accumulates the digits as an integer and divides once by an exact power of ten, which is the
 * correctly rounded double whenever the integer is below 2^53 (IEEE division of two exact values), so it returns
 * exactly what `Number(text)` would. Longer mantissas and exponents take the slow path through `Number`.
 */

const POW10: number[] = [];
for (let i = 0, p = 1; i <= 22; i++, p *= 10) POW10.push(p);

const MAX_EXACT = 2 ** 53;

/**
 * Parses `bytes[s, e)`; NaN when it is empty or not a number. `thousands` accepts `,` between digits before the
 * decimal point (quoted fields of comma files); `decimalComma` reads `,` as the decimal point (semicolon files).
 */
export function parseNumber(b: Uint8Array, s: number, e: number, thousands: boolean, decimalComma = false): number {
  while (s < e && (b[s] === 32 || b[s] === 9)) s++;
  while (e > s && (b[e - 1] === 32 || b[e - 1] === 9)) e--;
  if (s >= e) return Number.NaN;
  let p = s;
  let neg = false;
  let c = b[p] as number;
  if (c === 45) {
    neg = true;
    p++;
  } else if (c === 43) {
    p++;
  }
  if (p < e && b[p] === 36) p++; // a `$` before the digits (Nasdaq.com exports)
  let m = 0;
  let frac = 0;
  let digits = 0;
  let dot = false;
  const dotChar = decimalComma ? 44 : 46;
  for (; p < e; p++) {
    c = b[p] as number;
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
      if (dot) frac++;
    } else if (c === dotChar && !dot) {
      dot = true;
    } else if (c === 44 && thousands && !dot && !decimalComma && digits > 0) {
      // thousands separator: skipped
    } else {
      break;
    }
  }
  if (digits === 0) return Number.NaN;
  if (p < e) {
    if (c === 101 || c === 69) return slowParse(b, s, e, thousands, decimalComma);
    return Number.NaN;
  }
  if (m >= MAX_EXACT || frac > 22) return slowParse(b, s, e, thousands, decimalComma);
  const v = frac === 0 ? m : m / (POW10[frac] as number);
  return neg ? -v : v;
}

const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function slowParse(b: Uint8Array, s: number, e: number, thousands: boolean, decimalComma: boolean): number {
  let text = Buffer.from(b.buffer, b.byteOffset + s, e - s).toString('latin1');
  text = text.replace('$', '');
  if (decimalComma) text = text.replace(',', '.');
  else if (thousands) text = text.replaceAll(',', '');
  return NUMBER_TEXT.test(text) ? Number(text) : Number.NaN;
}

/** Words that spreadsheets and data vendors write for a missing value. */
const MISSING_WORDS = new Set(['null', 'nan', 'na', 'n/a', '#n/a', 'none', '-', '--', '.', 'nil', 'undefined']);

/** Describes why a field is not a number, for a rejected line's reason. */
export function describeBadNumber(text: string, column: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return `missing ${column}`;
  if (MISSING_WORDS.has(trimmed.toLowerCase())) return `missing ${column} ("${trimmed}")`;
  return `${column} is not a number: "${clip(trimmed)}"`;
}

/** Shortens a field for a message. */
export function clip(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
