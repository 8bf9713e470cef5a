import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { KnowledgePassage } from '../../../../shared/domain/knowledge';
import { type Db, openDatabase } from '../../db/database';
import { cleanupTempDirs, makeTempDir } from '../../testing/fixtures';
import { KNOWLEDGE_BASE, KNOWLEDGE_BASE_VERSION } from './knowledge-base';
import { KnowledgeRepository } from './knowledge-repository';

let db: Db | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
  cleanupTempDirs();
});

function open(file = path.join(makeTempDir(), 'swaggy.db')): { repo: KnowledgeRepository; file: string } {
  db = openDatabase(file);
  return { repo: new KnowledgeRepository(db), file };
}

const tiny: KnowledgePassage[] = [
  {
    id: 'a',
    title: 'Alpha rule',
    tags: ['alpha'],
    text: 'Alpha applies to margin. It has two sentences.',
    source: 'A',
  },
  { id: 'b', title: 'Beta rule', tags: ['beta'], text: 'Beta applies to cash accounts. Nothing else.', source: 'B' },
];

describe('KnowledgeRepository', () => {
  it('seeds once per version and survives reopening the database', () => {
    const { repo, file } = open();
    expect(repo.storedVersion()).toBeNull();
    expect(repo.ensureSeeded(KNOWLEDGE_BASE, KNOWLEDGE_BASE_VERSION)).toBe(true);
    expect(repo.ensureSeeded(KNOWLEDGE_BASE, KNOWLEDGE_BASE_VERSION)).toBe(false);
    expect(repo.passageCount()).toBe(KNOWLEDGE_BASE.length);
    db?.close();
    const reopened = open(file).repo;
    expect(reopened.storedVersion()).toBe(KNOWLEDGE_BASE_VERSION);
    expect(reopened.ensureSeeded(KNOWLEDGE_BASE, KNOWLEDGE_BASE_VERSION)).toBe(false);
    expect(reopened.list().map((p) => p.id)).toEqual(KNOWLEDGE_BASE.map((p) => p.id));
    expect(reopened.get('wash-sale')).toEqual(KNOWLEDGE_BASE.find((p) => p.id === 'wash-sale'));
    expect(reopened.get('nope')).toBeNull();
  });

  it('replaces every table when the version changes, leaving no stale passage searchable', () => {
    const { repo } = open();
    repo.ensureSeeded(KNOWLEDGE_BASE, KNOWLEDGE_BASE_VERSION);
    expect(repo.ensureSeeded(tiny, 'test-2')).toBe(true);
    expect(repo.list().map((p) => p.id)).toEqual(['a', 'b']);
    expect(repo.search('"wash"', 5)).toEqual([]);
    expect(repo.search('"margin"', 5).map((m) => m.id)).toEqual(['a']);
    expect(repo.sentences('a')).toEqual(['Alpha applies to margin.', 'It has two sentences.']);
    expect(repo.documentFrequency('"applies"')).toBe(2);
    expect(repo.passageMatches('"cash"', 'b')).toBe(true);
    expect(repo.passageMatches('"cash"', 'a')).toBe(false);
  });

  it('refuses a knowledge base with a duplicate id and keeps the old one', () => {
    const { repo } = open();
    repo.ensureSeeded(tiny, 'v1');
    expect(() => repo.ensureSeeded([...tiny, { ...tiny[0], title: 'again' } as KnowledgePassage], 'v2')).toThrow(
      /twice/,
    );
    expect(repo.storedVersion()).toBe('v1');
    expect(repo.passageCount()).toBe(2);
  });

  it('ranks by bm25 with title and tags weighted over the body', () => {
    const { repo } = open();
    repo.ensureSeeded(KNOWLEDGE_BASE, KNOWLEDGE_BASE_VERSION);
    const hits = repo.search('"wash sale"', 3);
    expect(hits[0]?.id).toBe('wash-sale');
    expect(hits[0]?.score).toBeGreaterThan(0);
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1]?.score).toBeGreaterThanOrEqual(hits[i]?.score ?? 0);
    const best = repo.bestSentences('"disallowed"', 'wash-sale', 2);
    expect(best[0]?.sentence).toMatch(/disallowed/);
  });
});
