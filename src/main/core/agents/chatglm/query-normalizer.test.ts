import { describe, expect, it } from 'vitest';
import { normalizeQuestion } from './query-normalizer';

describe('normalizeQuestion', () => {
  it('expands trader shorthand and drops stop words', () => {
    expect(normalizeQuestion('What is the PDT rule?').terms).toEqual(['pattern day trader', 'pdt']);
    expect(normalizeQuestion('When do trades settle, T+1?').terms).toEqual(['settlement', 't 1', 'trades', 'settle']);
    expect(normalizeQuestion('is SSR on?').terms).toEqual(['short sale restriction', 'rule 201', 'ssr']);
    expect(normalizeQuestion('Reg T margin').terms).toEqual(['regulation t', 'initial margin', 'reg', 'margin']);
  });

  it('searches replaced wording only as the knowledge base words it', () => {
    const q = normalizeQuestion('Can I short a stock that dropped 12% today?');
    expect(q.terms).toContain('fall');
    expect(q.terms).not.toContain('dropped');
    expect(q.terms).not.toContain('today');
  });

  it('quotes every term so that user text is never FTS5 syntax', () => {
    const q = normalizeQuestion('"margin" NOT (call*) OR -short AND NEAR(x)');
    expect(q.ftsTerms.every((t) => /^"[^"]+"$/.test(t))).toBe(true);
    expect(q.ftsQuery).toBe(q.ftsTerms.join(' OR '));
  });

  it('returns no terms for a question of stop words only', () => {
    expect(normalizeQuestion('what is it?')).toEqual({ ftsTerms: [], terms: [], ftsQuery: '' });
  });
});
