import { describe, expect, it } from 'vitest';
import { compileLexicon, lemma, phraseKey } from './lexicon';

describe('lexicon', () => {
  it('lemmatises plurals and third persons, leaving short words and -ss/-us/-is endings alone', () => {
    expect(
      ['beats', 'losses', 'tendies', 'bagholders', 'sales', 'loss', 'bonus', 'analysis', 'us', 'gas'].map(lemma),
    ).toEqual(['beat', 'loss', 'tendy', 'bagholder', 'sale', 'loss', 'bonus', 'analysis', 'us', 'gas']);
    expect(phraseKey('Diamond  Hands')).toBe('diamond hand');
  });

  it('compiles every section into one table without duplicate keys', () => {
    const lex = compileLexicon();
    expect(lex.units.get('to the moon')).toEqual({ type: 'term', kind: 'slang', weight: 3 });
    expect(lex.units.get('profit warning')).toEqual({ type: 'term', kind: 'finance', weight: -3 });
    expect(lex.units.get('net loss')).toMatchObject({ type: 'metric', polarity: -1 });
    expect(lex.units.get('narrowed')).toMatchObject({ type: 'movement', direction: -1 });
    expect(lex.units.get('fail to')).toEqual({ type: 'negator' });
    expect(lex.emoji.get('🚀')).toBe(2);
    expect(lex.maxWords).toBeGreaterThanOrEqual(4);
    // Weights stay on the documented scale.
    for (const [key, unit] of lex.units) {
      if (unit.type === 'term') expect(Math.abs(unit.weight), key).toBeLessThanOrEqual(4);
    }
  });
});
