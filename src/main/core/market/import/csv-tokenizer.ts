/**
 * A byte-level CSV record reader for the import hot path: no string is made for a field unless the caller asks
 * (`text(i)`), so a million-row file costs one pass over its bytes.
 *
 * Handles RFC 4180 quoting (quoted fields, `""` escapes, delimiters and newlines inside quotes), LF, CRLF and bare
 * CR line ends, a UTF-8 byte-order mark, and a last line without a newline. Line numbers are physical: a record
 * that spans lines (a newline inside quotes) reports the line it starts on, and the next record's number counts
 * the embedded newlines.
 */

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Field flag: the field was quoted (its bytes exclude the quotes). */
export const FIELD_QUOTED = 1;
/** Field flag: the quoted field contains `""`; `text()` unescapes it. */
export const FIELD_ESCAPED = 2;

export class CsvCursor {
  /** Start offset (inclusive) of each field of the current record. */
  starts = new Int32Array(64);
  /** End offset (exclusive) of each field of the current record. */
  ends = new Int32Array(64);
  /** FIELD_QUOTED | FIELD_ESCAPED per field. */
  flags = new Uint8Array(64);
  /** Number of fields in the current record. */
  count = 0;
  /** 1-based physical line on which the current record starts. */
  line = 0;
  /** Set when a quoted field runs to the end of the file: the file is malformed from `line` on. */
  unterminatedQuote = false;

  private pos: number;
  private nextLine: number;

  /** Reads `bytes` from byte `start`, whose line number is `firstLine` (a byte-order mark at 0 is skipped). */
  constructor(
    readonly bytes: Uint8Array,
    readonly delimiter = 44,
    start = 0,
    firstLine = 1,
  ) {
    this.pos = start === 0 && hasBom(bytes) ? 3 : start;
    this.nextLine = firstLine;
  }

  /** Byte offset of the next unread record. */
  get offset(): number {
    return this.pos;
  }

  /** Line number of the next unread record. */
  get lineAfter(): number {
    return this.nextLine;
  }

  /** Reads the next record; false at the end of the input. */
  next(): boolean {
    const b = this.bytes;
    const n = b.length;
    const d = this.delimiter;
    let p = this.pos;
    if (p >= n) return false;
    this.line = this.nextLine;
    let line = this.nextLine;
    let k = 0;
    let starts = this.starts;
    let ends = this.ends;
    let flags = this.flags;
    for (;;) {
      if (k === starts.length) {
        this.grow();
        starts = this.starts;
        ends = this.ends;
        flags = this.flags;
      }
      if (p < n && b[p] === QUOTE) {
        const s = p + 1;
        let q = s;
        let f = FIELD_QUOTED;
        for (;;) {
          if (q >= n) {
            this.unterminatedQuote = true;
            break;
          }
          const c = b[q];
          if (c === QUOTE) {
            if (q + 1 < n && b[q + 1] === QUOTE) {
              f = FIELD_QUOTED | FIELD_ESCAPED;
              q += 2;
              continue;
            }
            break;
          }
          if (c === LF || (c === CR && b[q + 1] !== LF)) line++;
          q++;
        }
        starts[k] = s;
        ends[k] = q;
        flags[k] = f;
        k++;
        p = q + 1;
        // Bytes between a closing quote and the delimiter are not valid CSV; spreadsheets write none, so they are
        // skipped rather than glued onto the field.
        while (p < n) {
          const c = b[p];
          if (c === d || c === LF || c === CR) break;
          p++;
        }
      } else {
        let q = p;
        while (q < n) {
          const c = b[q];
          if (c === d || c === LF || c === CR) break;
          q++;
        }
        starts[k] = p;
        ends[k] = q;
        flags[k] = 0;
        k++;
        p = q;
      }
      if (p >= n) break;
      const c = b[p];
      if (c === d) {
        p++;
        continue;
      }
      p++;
      if (c === CR && p < n && b[p] === LF) p++;
      line++;
      break;
    }
    this.count = k;
    this.pos = p;
    this.nextLine = line;
    return true;
  }

  /** True when the current record is an empty line (or only spaces). */
  isBlank(): boolean {
    if (this.count !== 1 || this.flags[0] !== 0) return false;
    const b = this.bytes;
    for (let i = this.starts[0] ?? 0, e = this.ends[0] ?? 0; i < e; i++) {
      if (b[i] !== 32 && b[i] !== 9) return false;
    }
    return true;
  }

  /** Field `i` of the current record as text (UTF-8, `""` unescaped); '' when the record has no such field. */
  text(i: number): string {
    if (i >= this.count) return '';
    const s = this.starts[i] ?? 0;
    const e = this.ends[i] ?? 0;
    const raw = Buffer.from(this.bytes.buffer, this.bytes.byteOffset + s, e - s).toString('utf8');
    return (this.flags[i] ?? 0) & FIELD_ESCAPED ? raw.replaceAll('""', '"') : raw;
  }

  /** Every field of the current record as text. */
  fields(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.text(i));
    return out;
  }

  private grow(): void {
    const size = this.starts.length * 2;
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    const flags = new Uint8Array(size);
    starts.set(this.starts);
    ends.set(this.ends);
    flags.set(this.flags);
    this.starts = starts;
    this.ends = ends;
    this.flags = flags;
  }
}

function hasBom(b: Uint8Array): boolean {
  return b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
}

/**
 * The delimiter of a file, judged from its first line: the most frequent of `,` `;` tab `|` outside quotes, and
 * `,` when none appears (a one-column file).
 */
export function detectDelimiter(bytes: Uint8Array): number {
  const counts = new Map<number, number>([
    [44, 0],
    [59, 0],
    [9, 0],
    [124, 0],
  ]);
  let inQuotes = false;
  const limit = Math.min(bytes.length, 64 * 1024);
  for (let i = hasBom(bytes) ? 3 : 0; i < limit; i++) {
    const c = bytes[i] as number;
    if (c === QUOTE) inQuotes = !inQuotes;
    else if (!inQuotes && (c === LF || c === CR)) break;
    else if (!inQuotes && counts.has(c)) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let best = 44;
  let bestCount = 0;
  for (const [c, count] of counts) {
    if (count > bestCount) {
      best = c;
      bestCount = count;
    }
  }
  return best;
}
