import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knowledgeAnswerSchema } from '../../../../shared/domain/knowledge';
import { type Db, openDatabase } from '../../db/database';
import { cleanupTempDirs, makeTempDir } from '../../testing/fixtures';
import { answerQuestion } from './knowledge-answerer';
import { KNOWLEDGE_BASE, KNOWLEDGE_BASE_VERSION } from './knowledge-base';
import { KnowledgeRepository } from './knowledge-repository';
import { MODEL_VERSION } from './model-version';

let db: Db;
let repo: KnowledgeRepository;
beforeAll(() => {
  db = openDatabase(path.join(makeTempDir(), 'swaggy.db'));
  repo = new KnowledgeRepository(db);
  repo.ensureSeeded(KNOWLEDGE_BASE, KNOWLEDGE_BASE_VERSION);
});
afterAll(() => {
  db.close();
  cleanupTempDirs();
});

const firstSentence = (id: string) => (KNOWLEDGE_BASE.find((p) => p.id === id)?.text ?? '').split('. ')[0] ?? '';

describe('answerQuestion', () => {
  it.each([
    ['What is the PDT rule?', 'pdt-rule'],
    ['How much equity do I need to day trade?', 'pdt-rule'],
    ['When do my trades settle? Is it T+1 now?', 'settlement-t1'],
    ['Can I short a stock that dropped 12% today?', 'ssr-rule-201'],
    ['what is the uptick rule', 'ssr-rule-201'],
    ['What is the wash sale rule?', 'wash-sale'],
    ['How much margin does Reg T require?', 'regt-initial-margin'],
    ["What's the maintenance margin on a long position?", 'maintenance-margin'],
    ['What is a good faith violation?', 'good-faith-violation'],
    ['what is free riding', 'free-riding'],
    ['Do I need a locate to short?', 'locate-requirement'],
    ['What is a stop-limit order?', 'order-stop-limit'],
    ['What is a trailing stop?', 'order-trailing-stop'],
    ['What is an OCO order?', 'order-bracket-oco'],
    ['What does GTC mean?', 'time-in-force'],
    ['What is fill or kill?', 'time-in-force'],
    ['Can I trade pre-market?', 'trading-hours'],
    ['What is LULD?', 'luld'],
    ['When do market-wide circuit breakers halt trading?', 'market-wide-circuit-breakers'],
    ['What happens to my orders when a stock is halted?', 'trading-halts'],
    ['American vs European options exercise', 'options-basics'],
    ['Can my short call be assigned early?', 'options-assignment'],
    ['How are short-term capital gains taxed?', 'holding-period-taxes'],
    ['When do I have to buy to get the dividend?', 'ex-dividend'],
    ['What is a margin call?', 'margin-calls'],
  ])('%s -> %s', (question, id) => {
    const a = answerQuestion(repo, question);
    expect(knowledgeAnswerSchema.parse(a)).toEqual(a);
    expect(a.found).toBe(true);
    expect(a.sourceIds[0]).toBe(id);
    expect(a.passages[0]?.id).toBe(id);
    // The answer leads with the rule's own statement and cites the passage.
    expect(a.answer.startsWith(firstSentence(id))).toBe(true);
    expect(a.answer).toContain(KNOWLEDGE_BASE.find((p) => p.id === id)?.source ?? '?');
  });

  it('says it has no rule when nothing matches well, instead of guessing', () => {
    for (const q of ['What is the best pizza in town?', "What's the weather tomorrow?", 'hello', '???', 'what is it']) {
      const a = answerQuestion(repo, q);
      expect(a.found, q).toBe(false);
      expect(a.answer).toMatch(/^I don't have a rule about that/);
      expect(a.passages).toEqual([]);
      expect(a.sourceIds).toEqual([]);
    }
  });

  it('lists related passages with their own excerpts, at most `limit`, and names the model', () => {
    const a = answerQuestion(repo, 'pattern day trader margin call', 3);
    expect(a.passages.length).toBeGreaterThan(1);
    expect(a.passages.length).toBeLessThanOrEqual(3);
    expect(new Set(a.sourceIds).size).toBe(a.sourceIds.length);
    for (const p of a.passages)
      expect(KNOWLEDGE_BASE.find((k) => k.id === p.id)?.text).toContain(p.excerpt.split(' ').slice(0, 4).join(' '));
    expect(answerQuestion(repo, 'pattern day trader margin call', 1).passages).toHaveLength(1);
    expect(a.model).toEqual({
      slot: 'ChatGLM',
      backend: 'built-in knowledge base (SQLite FTS5)',
      version: MODEL_VERSION,
    });
  });

  it('is not confused by FTS5 syntax in the question', () => {
    expect(() => answerQuestion(repo, 'wash" OR * NEAR( sale) AND NOT -')).not.toThrow();
    expect(answerQuestion(repo, '"wash sale"?').sourceIds[0]).toBe('wash-sale');
  });
});
