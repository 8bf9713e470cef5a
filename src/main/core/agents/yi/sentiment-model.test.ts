import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MODEL_VERSION } from './model-version';
import { DEFAULT_NEUTRAL_BAND, labelFor, scoreText } from './sentiment-model';

const terms = (text: string) => scoreText(text).terms.map((t) => t.term);

describe('scoreText', () => {
  it('scores finance news by direction: beats, misses, upgrades, guidance, bankruptcy', () => {
    expect(scoreText('Apple beats estimates and raises guidance').label).toBe('positive');
    expect(scoreText('Company misses estimates, cuts guidance').label).toBe('negative');
    expect(scoreText('Goldman upgrades Tesla to Buy').label).toBe('positive');
    expect(scoreText('Retailer files for Chapter 11 bankruptcy').score).toBeLessThan(-0.5);
    expect(scoreText('Board approves a dividend hike and a share buyback').label).toBe('positive');
    expect(scoreText('Automaker announces layoffs after a profit warning').label).toBe('negative');
  });

  it('knows trader slang, matching the longest phrase first', () => {
    const moon = scoreText('$GME to the moon 🚀 diamond hands, HODL');
    expect(moon.label).toBe('positive');
    expect(moon.symbols).toEqual(['GME']);
    expect(moon.terms.map((t) => t.term)).toEqual(['to the moon', '🚀', 'diamond hand', 'hodl']);
    expect(scoreText('total rug pull, bagholders everywhere').label).toBe('negative');
    expect(scoreText('classic dead cat bounce, this is a bull trap').label).toBe('negative');
    expect(scoreText('stonks only go up, tendies incoming').label).toBe('positive');
    expect(terms('bull trap')).toEqual(['bull trap']);
  });

  it('pairs a metric with its movement: costs falling is good, losses widening is bad', () => {
    expect(scoreText('Operating costs fell 12%').label).toBe('positive');
    expect(scoreText('Net loss narrowed to $3 million').label).toBe('positive');
    expect(scoreText('Net loss widened to $9 million').label).toBe('negative');
    expect(scoreText('Quarterly revenue rose sharply').label).toBe('positive');
    expect(scoreText('The company will cut 500 jobs').label).toBe('negative');
    expect(terms('Operating profit rose to EUR 13.1 mn')).toEqual(['operating profit + rose']);
  });

  it('flips and dampens a term after a negation', () => {
    const beat = scoreText('The company beat estimates');
    const notBeat = scoreText('The company did not beat estimates');
    expect(notBeat.label).toBe('negative');
    expect(notBeat.terms[0]?.negated).toBe(true);
    expect(Math.abs(notBeat.score)).toBeLessThan(Math.abs(beat.score));
    expect(scoreText('No layoffs are planned').label).toBe('positive');
    expect(scoreText('Shipments failed to improve').label).toBe('negative');
    expect(scoreText("Profit didn't rise this quarter").label).toBe('negative');
    // "not only ... but also" is not a negation.
    expect(scoreText('not only strong sales but also record profit').label).toBe('positive');
  });

  it('ends negation at a clause boundary', () => {
    const r = scoreText('No surprise. Strong quarter');
    expect(r.terms.find((t) => t.term === 'strong')?.negated).toBe(false);
  });

  it('applies intensifiers and diminishers, before or right after the term', () => {
    const base = scoreText('Shares fell').score;
    expect(scoreText('Shares fell sharply').score).toBeLessThan(base);
    expect(scoreText('Shares fell slightly').score).toBeGreaterThan(base);
    expect(scoreText('very strong demand').score).toBeGreaterThan(scoreText('strong demand').score);
  });

  it('weights the clause after "but" over the one before, and dampens a conceded clause', () => {
    expect(scoreText('Revenue was strong but guidance was cut sharply').label).toBe('negative');
    expect(scoreText('Sales were weak, but margins improved strongly').label).toBe('positive');
    const conceded = scoreText('Despite weak sales, margins improved');
    expect(conceded.label).toBe('positive');
    expect(conceded.terms.find((t) => t.term === 'weak')?.weight).toBeCloseTo(-0.6, 6);
  });

  it('reads analyst ratings only after a rating action, and ignores the old rating after "from"', () => {
    expect(scoreText('Netflix downgraded to neutral from outperform at Wedbush').label).toBe('negative');
    expect(terms('Netflix downgraded to neutral from outperform')).toEqual(['downgraded']);
    expect(scoreText('The company agreed to sell its paper unit').label).toBe('neutral');
    expect(terms('Barclays upgrades to Buy')).toEqual(['upgrade', 'buy']);
  });

  it('is neutral for plain statements and empty or unknown text', () => {
    expect(scoreText('The annual general meeting will be held in Helsinki on 5 May').label).toBe('neutral');
    expect(scoreText('').score).toBe(0);
    expect(scoreText('@@@ ### ...').terms).toEqual([]);
  });

  it('reports the model version, the token count and rounded weights', () => {
    const r = scoreText('Tesla beats estimates');
    expect(r.modelVersion).toBe(MODEL_VERSION);
    expect(r.tokenCount).toBe(3);
    expect(r.terms[0]).toEqual({
      term: 'beat estimate',
      text: 'beats estimates',
      kind: 'finance',
      base: 2.5,
      weight: 2.5,
      negated: false,
    });
  });

  it('labels with the neutral band', () => {
    expect(labelFor(DEFAULT_NEUTRAL_BAND)).toBe('neutral');
    expect(labelFor(DEFAULT_NEUTRAL_BAND + 0.001)).toBe('positive');
    expect(labelFor(-0.5, 0.6)).toBe('neutral');
    expect(scoreText('Shares up slightly', { neutralBand: 0.9 }).label).toBe('neutral');
  });

  it('never throws, stays in [-1, 1] and is deterministic for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        const a = scoreText(text);
        expect(a.score).toBeGreaterThanOrEqual(-1);
        expect(a.score).toBeLessThanOrEqual(1);
        expect(scoreText(text)).toEqual(a);
      }),
      { numRuns: 300 },
    );
    const many = 'great '.repeat(500);
    expect(scoreText(many).score).toBeLessThanOrEqual(1);
  });
});
