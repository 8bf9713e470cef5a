import { describe, expect, it } from 'vitest';
import { CsvCursor, detectDelimiter, FIELD_QUOTED } from './csv-tokenizer';

function records(text: string, delimiter = 44): Array<{ line: number; fields: string[] }> {
  const cursor = new CsvCursor(Buffer.from(text, 'utf8'), delimiter);
  const out: Array<{ line: number; fields: string[] }> = [];
  while (cursor.next()) out.push({ line: cursor.line, fields: cursor.fields() });
  return out;
}

describe('CsvCursor', () => {
  it('reads LF, CRLF and bare CR lines and a last line without a newline', () => {
    expect(records('a,b\n1,2\r\n3,4\r5,6')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
      { line: 3, fields: ['3', '4'] },
      { line: 4, fields: ['5', '6'] },
    ]);
  });

  it('unquotes fields, unescapes doubled quotes and keeps delimiters and newlines inside quotes', () => {
    const got = records('"date","note"\r\n"2020/01/02","say ""hi"", then\r\nleave"\r\n"2020/01/03","x"\r\n');
    expect(got).toEqual([
      { line: 1, fields: ['date', 'note'] },
      { line: 2, fields: ['2020/01/02', 'say "hi", then\r\nleave'] },
      // the record above spans two physical lines, so this one starts on line 4
      { line: 4, fields: ['2020/01/03', 'x'] },
    ]);
  });

  it('reports empty fields, trailing delimiters and blank lines', () => {
    const cursor = new CsvCursor(Buffer.from('a,,c,\n\n  \nx'));
    expect(cursor.next()).toBe(true);
    expect(cursor.fields()).toEqual(['a', '', 'c', '']);
    expect(cursor.next() && cursor.isBlank()).toBe(true);
    expect(cursor.line).toBe(2);
    expect(cursor.next() && cursor.isBlank()).toBe(true);
    expect(cursor.next() && cursor.isBlank()).toBe(false);
    expect(cursor.line).toBe(4);
    expect(cursor.next()).toBe(false);
  });

  it('skips a UTF-8 byte-order mark and flags quoted fields', () => {
    const cursor = new CsvCursor(Buffer.from('\uFEFFDate,"Open"\n'));
    cursor.next();
    expect(cursor.fields()).toEqual(['Date', 'Open']);
    expect(cursor.flags[0]).toBe(0);
    expect(cursor.flags[1]).toBe(FIELD_QUOTED);
  });

  it('notices a quote that is never closed', () => {
    const cursor = new CsvCursor(Buffer.from('a,b\n"1,2\n3,4\n'));
    while (cursor.next()) {}
    expect(cursor.unterminatedQuote).toBe(true);
  });

  it('grows past 64 fields', () => {
    const row = Array.from({ length: 300 }, (_, i) => String(i)).join(',');
    expect(records(row)[0]?.fields).toHaveLength(300);
  });

  it('detects the delimiter from the first line, ignoring quoted text', () => {
    expect(detectDelimiter(Buffer.from('Date;Open;High\n1,5;2;3'))).toBe(59);
    expect(detectDelimiter(Buffer.from('"a;b;c",x,y\n'))).toBe(44);
    expect(detectDelimiter(Buffer.from('Date\tOpen\tHigh\n'))).toBe(9);
    expect(detectDelimiter(Buffer.from('Date\n'))).toBe(44);
  });
});
