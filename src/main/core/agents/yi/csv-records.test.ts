import { describe, expect, it } from 'vitest';
import { parseCsvRecords, sniffDelimiter } from './csv-records';

describe('parseCsvRecords', () => {
  it('reads quoted fields with delimiters, doubled quotes and line breaks, and numbers the lines', () => {
    const text = 'text,label\r\n"a, b",1\r\n"say ""hi""\nnext line",2\r\nplain,0';
    const recs = parseCsvRecords(text);
    expect(recs.map((r) => r.fields)).toEqual([
      ['text', 'label'],
      ['a, b', '1'],
      ['say "hi"\nnext line', '2'],
      ['plain', '0'],
    ]);
    expect(recs.map((r) => [r.line, r.endLine])).toEqual([
      [1, 1],
      [2, 2],
      [3, 4],
      [5, 5],
    ]);
  });

  it('handles a BOM, CR-only endings, blank lines, a missing final newline and quotes inside unquoted fields', () => {
    const recs = parseCsvRecords('\uFEFFa,b\r\r1,2 "inch"\r3,4');
    expect(recs.map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['1', '2 "inch"'],
      ['3', '4'],
    ]);
    expect(recs.map((r) => r.line)).toEqual([1, 3, 4]);
  });

  it('flags a quoted field the file never closes', () => {
    const recs = parseCsvRecords('a,b\n1,"open\n2,3\n');
    expect(recs[1]?.unterminated).toBe(true);
  });

  it('sniffs comma, semicolon and tab delimiters', () => {
    expect(sniffDelimiter('a;b;c\n1;2;3')).toBe(';');
    expect(sniffDelimiter('a\tb\n')).toBe('\t');
    expect(sniffDelimiter('title\n')).toBe(',');
    expect(parseCsvRecords('a;b\n1;2', ';')[1]?.fields).toEqual(['1', '2']);
  });
});
