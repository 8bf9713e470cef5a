import { describe, expect, it } from 'vitest';
import { knowledgePassageSchema } from '../../../../shared/domain/knowledge';
import { KNOWLEDGE_BASE } from './knowledge-base';
import { splitSentences } from './split-sentences';

const byId = new Map(KNOWLEDGE_BASE.map((p) => [p.id, p]));
const text = (id: string) => byId.get(id)?.text ?? '';

describe('the knowledge base', () => {
  it('has 20 to 40 well-formed passages with unique ids, tags and sources', () => {
    expect(KNOWLEDGE_BASE.length).toBeGreaterThanOrEqual(20);
    expect(KNOWLEDGE_BASE.length).toBeLessThanOrEqual(40);
    expect(byId.size).toBe(KNOWLEDGE_BASE.length);
    for (const p of KNOWLEDGE_BASE) {
      expect(knowledgePassageSchema.parse(p)).toEqual(p);
      expect(p.id).toMatch(/^[a-z0-9-]+$/);
      expect(p.tags.length).toBeGreaterThan(0);
      expect(p.source.length).toBeGreaterThan(3);
      expect(splitSentences(p.text).length).toBeGreaterThanOrEqual(2);
    }
  });

  it('states the key numbers of each rule', () => {
    expect(text('pdt-rule')).toMatch(/four or more day trades within five business days/);
    expect(text('pdt-rule')).toContain('$25,000');
    expect(text('regt-initial-margin')).toMatch(/50 percent/);
    expect(text('regt-initial-margin')).toMatch(/150 percent/);
    expect(text('maintenance-margin')).toMatch(/25 percent/);
    expect(text('settlement-t1')).toMatch(/28 May 2024.*T\+1/);
    expect(text('wash-sale')).toMatch(/30 days before or after/);
    expect(text('wash-sale')).toMatch(/added to the cost basis/);
    expect(text('ssr-rule-201')).toMatch(/10 percent or more/);
    expect(text('ssr-rule-201')).toMatch(/rest of that day and the whole next trading day/);
    expect(text('ssr-rule-201')).toMatch(/above the current national best bid/);
    expect(text('market-wide-circuit-breakers')).toMatch(/7 percent.*13 percent.*20 percent/);
    expect(text('trading-hours')).toMatch(/9:30 a\.m\. to 4:00 p\.m\. Eastern/);
    expect(text('locate-requirement')).toMatch(/reasonable grounds to believe/);
  });
});

describe('splitSentences', () => {
  it('splits at sentence ends but not at abbreviations', () => {
    expect(splitSentences('Trading runs to 4:00 p.m. Eastern. Then it stops! Is that so? Yes.')).toEqual([
      'Trading runs to 4:00 p.m. Eastern.',
      'Then it stops!',
      'Is that so?',
      'Yes.',
    ]);
    expect(splitSentences('Martin Luther King Jr. Day is a holiday. Markets close.')).toHaveLength(2);
  });
});
