import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { numberToWords, wordsToNumber } from './numbers';

const words = (text: string) => text.split(' ');

describe('wordsToNumber', () => {
  it.each([
    ['ten', 10],
    ['twenty five', 25],
    ['one hundred', 100],
    ['a hundred', 100],
    ['two hundred and ten', 210],
    ['two hundred ten', 210],
    ['one thousand five hundred', 1500],
    ['twelve thousand and five', 12005],
    ['two fifty', 250],
    ['one eighty five', 185],
    ['one oh five', 105],
    ['nine nineteen', 919],
    ['one eighty five point two five', 185.25],
    ['two hundred fifty point five', 250.5],
    ['ninety nine point zero one', 99.01],
  ])('"%s" is %d', (text, value) => {
    expect(wordsToNumber(words(text))).toBe(value);
  });

  it.each([
    'twenty ten',
    'hundred',
    'two two',
    'ten eleven',
    'and five',
    'five and',
    'one hundred hundred',
    'point five',
    'two point',
    'one oh',
    'one oh twenty',
    'apple',
  ])('"%s" is not a number', (text) => {
    expect(wordsToNumber(words(text))).toBeNull();
  });
});

describe('numberToWords', () => {
  it('says numbers the way the grammar hears them', () => {
    expect(numberToWords(210)).toBe('two hundred ten');
    expect(numberToWords(210, { and: true })).toBe('two hundred and ten');
    expect(numberToWords(100, { aHundred: true })).toBe('a hundred');
    expect(numberToWords(250, { short: true })).toBe('two fifty');
    expect(numberToWords(205, { short: true })).toBe('two hundred five');
    expect(numberToWords(1500)).toBe('one thousand five hundred');
    expect(numberToWords(185.25)).toBe('one hundred eighty five point two five');
  });

  it('round-trips through wordsToNumber for every style', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 999_999 }),
        fc.integer({ min: 0, max: 99 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (whole, cents, and, aHundred, short) => {
          const value = cents === 0 ? whole : Number(`${whole}.${String(cents).padStart(2, '0')}`);
          const text = numberToWords(value, { and, aHundred, short });
          expect(wordsToNumber(text.split(' '))).toBe(value);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses numbers it cannot say', () => {
    expect(() => numberToWords(-1)).toThrow(RangeError);
    expect(() => numberToWords(1_000_000)).toThrow(RangeError);
  });
});
