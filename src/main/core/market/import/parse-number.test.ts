import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeBadNumber, parseNumber } from './parse-number';

function num(text: string, thousands = false, decimalComma = false): number {
  const b = Buffer.from(text, 'latin1');
  return parseNumber(b, 0, b.length, thousands, decimalComma);
}

describe('parseNumber', () => {
  it('reads the number formats market files use', () => {
    expect(num('182.55999755859375')).toBe(182.55999755859375);
    expect(num('0.0672')).toBe(0.0672);
    expect(num('100')).toBe(100);
    expect(num('6189026.0000')).toBe(6189026);
    expect(num('$383.52')).toBe(383.52);
    expect(num('-$1.5')).toBe(-1.5);
    expect(num(' 42 ')).toBe(42);
    expect(num('+7')).toBe(7);
    expect(num('.5')).toBe(0.5);
    expect(num('1.61888E+12')).toBe(1.61888e12);
    expect(num('76530081.487282')).toBe(76530081.487282);
  });

  it('accepts thousands separators only when asked (quoted fields)', () => {
    expect(num('4,787,699', true)).toBe(4787699);
    expect(Number.isNaN(num('4,787,699'))).toBe(true);
    expect(num('1,5', false, true)).toBe(1.5);
  });

  it('refuses what is not a number', () => {
    for (const text of ['', '   ', 'null', 'NaN', '1.2.3', '12abc', '-', '$', '0x10', '1e', '--1']) {
      expect(Number.isNaN(num(text)), text).toBe(true);
    }
  });

  it('gives exactly what Number() gives for any decimal a file can hold', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 }), (x) => {
        const text = String(x);
        expect(num(text)).toBe(Number(text));
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 0, max: 8 }), (units, decimals) => {
        const text = (units / 10 ** decimals).toFixed(decimals);
        expect(num(text)).toBe(Number(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('names the problem for a rejected line', () => {
    expect(describeBadNumber('', 'Open')).toBe('missing Open');
    expect(describeBadNumber('null', 'Open')).toBe('missing Open ("null")');
    expect(describeBadNumber('abc', 'Volume')).toBe('Volume is not a number: "abc"');
  });
});
