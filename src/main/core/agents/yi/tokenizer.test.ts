import { describe, expect, it } from 'vitest';
import { normalizeText, repairMojibake } from './normalize-text';
import { tokenize } from './tokenizer';

const norms = (text: string) => tokenize(text).tokens.map((t) => t.norm);

describe('normalizeText', () => {
  it('removes BOMs and zero-width characters and turns no-break spaces into spaces', () => {
    expect(normalizeText('\uFEFFApple\u00A0beats\u200B estimates')).toBe('Apple beats estimates');
  });

  it('repairs UTF-8 read as Windows-1252 and straightens quotes', () => {
    expect(repairMojibake('doesnâ€™t')).toBe('doesn\u2019t');
    expect(normalizeText('doesnâ€™t')).toBe("doesn't");
    expect(normalizeText('CafÃ© Ã…land')).toBe('Café Åland');
    expect(normalizeText('\u201Cquoted\u201D')).toBe('"quoted"');
  });

  it('leaves text that only looks like mojibake alone', () => {
    expect(repairMojibake('Sepp+ñl+ñ')).toBe('Sepp+ñl+ñ');
    expect(repairMojibake('Ã')).toBe('Ã');
  });
});

describe('tokenize', () => {
  it('collects cashtags as symbols, in order of first mention, and keeps dollar amounts as numbers', () => {
    const { tokens, symbols } = tokenize('$TSLA and $aapl beat, $TSLA again; raised $5.2B and BRK at $BRK.B');
    expect(symbols).toEqual(['TSLA', 'AAPL', 'BRK.B']);
    expect(tokens.filter((t) => t.kind === 'number').map((t) => t.norm)).toEqual(['$5.2b']);
  });

  it('drops URLs, including truncated t.co links', () => {
    expect(norms('Ally pulls outlook https://t.co/G9Zdi1boy5 and www.example.com/x')).toEqual([
      'ally',
      'pulls',
      'outlook',
      'and',
    ]);
  });

  it('splits negative contractions into "not" and drops possessives', () => {
    expect(norms("It doesn't look good, won't last; company's profit")).toEqual([
      'it',
      'does',
      'not',
      'look',
      'good',
      ',',
      'will',
      'not',
      'last',
      ';',
      'company',
      'profit',
    ]);
    expect(norms("does n't rise ; company 's profit ; can't")).toEqual([
      'does',
      'not',
      'rise',
      ';',
      'company',
      'profit',
      ';',
      'can',
      'not',
    ]);
  });

  it('keeps emoji (without skin tone or variation selectors) and signed percentages', () => {
    const { tokens } = tokenize('🚀🚀 up 👍🏽 shares -2.7% and +5 % and 3%');
    expect(tokens.filter((t) => t.kind === 'emoji').map((t) => t.norm)).toEqual(['🚀', '🚀', '👍']);
    expect(tokens.filter((t) => t.kind === 'percent').map((t) => t.signedPct)).toEqual([-2.7, 5, null]);
  });

  it('splits hyphenated words and marks clause boundaries', () => {
    expect(norms('all-time high - sell-off.')).toEqual(['all', 'time', 'high', '-', 'sell', 'off', '.']);
  });

  it('copes with mojibake and lower-cases every script', () => {
    expect(norms('Sepp+ñl+ñ ÄLAND')).toEqual(['sepp', 'ñl', 'ñ', 'äland']);
  });
});
