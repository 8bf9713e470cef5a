/** One CSV record and where it starts in the file. */
export interface CsvRecord {
  /** 1-based physical line where the record starts. */
  line: number;
  /** 1-based physical line where it ends (differs from `line` when a quoted field holds line breaks). */
  endLine: number;
  fields: string[];
  /** The record's raw text, for error messages. */
  raw: string;
  /** True when the file ended inside a quoted field. */
  unterminated: boolean;
}

/**
 * Splits CSV text into records (RFC 4180): quoted fields may hold delimiters, doubled quotes and line breaks; line
 * endings may be LF, CRLF or CR, mixed. A quote inside an unquoted field is kept as text, as spreadsheet exports
 * write it. Blank lines produce no record.
 */
export function parseCsvRecords(text: string, delimiter = ','): CsvRecord[] {
  const records: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const startLine = line;
    const startIndex = i;
    const fields: string[] = [];
    let field = '';
    let inQuotes = false;
    let quotedField = false;
    let unterminated = false;
    let ended = false;
    while (i < n) {
      const ch = text[i] as string;
      if (inQuotes) {
        if (ch === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
          } else {
            inQuotes = false;
            i++;
          }
        } else {
          if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) line++;
          field += ch;
          i++;
        }
        continue;
      }
      if (ch === '"' && field === '' && !quotedField) {
        inQuotes = true;
        quotedField = true;
        i++;
      } else if (ch === delimiter) {
        fields.push(field);
        field = '';
        quotedField = false;
        i++;
      } else if (ch === '\r' || ch === '\n') {
        i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
        line++;
        ended = true;
        break;
      } else {
        field += ch;
        i++;
      }
    }
    if (inQuotes) unterminated = true;
    fields.push(field);
    const raw = text.slice(startIndex, i).replace(/\r?\n$|\r$/, '');
    const blank = fields.length === 1 && fields[0] === '' && !quotedField;
    if (!blank) {
      records.push({ line: startLine, endLine: ended ? line - 1 : line, fields, raw, unterminated });
    }
  }
  return records;
}

/** Picks the delimiter of a CSV file from its first line: comma, semicolon or tab. */
export function sniffDelimiter(text: string): string {
  const firstLine = text.slice(0, text.search(/\r|\n/) === -1 ? text.length : text.search(/\r|\n/));
  const counts = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0] && counts[0][1] > 0 ? counts[0][0] : ',';
}
