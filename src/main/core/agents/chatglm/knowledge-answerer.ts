import type { KnowledgeAnswer, KnowledgeHit } from '../../../../shared/domain/knowledge';
import type { KnowledgeRepository, PassageMatch } from './knowledge-repository';
import { MODEL_VERSION } from './model-version';
import { normalizeQuestion } from './query-normalizer';

/**
 * Share of the question's information (terms weighted by inverse document frequency) that the best passage must
 * contain for an answer; below it the answer is "no rule". A term no passage contains weighs the most, so
 * "best pizza in town" matches the "best execution" passage on one weak word and is declined.
 */
export const MIN_COVERAGE = 0.5;
/** Other passages are listed when their bm25 is at least this share of the best one's. */
const RELATED_SHARE = 0.4;
const CANDIDATES = 10;

const MODEL = { slot: 'ChatGLM', backend: 'built-in knowledge base (SQLite FTS5)', version: MODEL_VERSION } as const;

const NO_RULE =
  "I don't have a rule about that. I can answer questions on pattern day trading, margin (Reg T, maintenance, margin calls), settlement and cash-account violations, wash sales, short selling (SSR, locates), order types and time in force, trading hours, halts and circuit breakers, and options exercise and assignment.";

/**
 * Answers a question from the knowledge base: bm25 over the normalised question, a coverage check against the best
 * passage, then the passage's sentences that best match the question as the answer, citing the passage.
 */
export function answerQuestion(repo: KnowledgeRepository, question: string, limit = 3): KnowledgeAnswer {
  const q = normalizeQuestion(question);
  const declined = (): KnowledgeAnswer => ({
    question,
    found: false,
    answer: NO_RULE,
    passages: [],
    sourceIds: [],
    terms: q.terms,
    model: { ...MODEL },
  });
  if (q.ftsTerms.length === 0) return declined();
  const candidates = repo.search(q.ftsQuery, CANDIDATES);
  const best = candidates[0];
  const idf = termWeights(repo, q.ftsTerms);
  if (!best || coverage(repo, idf, best.id) < MIN_COVERAGE) return declined();

  const hits: KnowledgeHit[] = [];
  for (const c of candidates) {
    if (hits.length >= limit) break;
    if (c !== best && (c.score < best.score * RELATED_SHARE || coverage(repo, idf, c.id) < MIN_COVERAGE)) {
      continue;
    }
    hits.push({
      id: c.id,
      title: c.title,
      source: c.source,
      score: round3(c.score),
      excerpt: excerpt(repo, q.ftsQuery, c, c === best),
    });
  }
  const top = hits[0] as KnowledgeHit;
  return {
    question,
    found: true,
    answer: `${top.excerpt} (${top.title}; ${top.source})`,
    passages: hits,
    sourceIds: hits.map((h) => h.id),
    terms: q.terms,
    model: { ...MODEL },
  };
}

/** The idf-weighted share of the query terms that occur in the passage. */
function coverage(repo: KnowledgeRepository, idf: ReadonlyMap<string, number>, passageId: string): number {
  let total = 0;
  let matched = 0;
  for (const [term, weight] of idf) {
    total += weight;
    if (weight > 0 && repo.passageMatches(term, passageId)) matched += weight;
  }
  return total > 0 ? matched / total : 0;
}

/** Inverse document frequency of each term; a term in no passage gets the highest weight (and never matches). */
function termWeights(repo: KnowledgeRepository, ftsTerms: readonly string[]): Map<string, number> {
  const n = repo.passageCount();
  return new Map(ftsTerms.map((t) => [t, Math.log((n + 1) / (repo.documentFrequency(t) + 0.5))]));
}

/**
 * The answer text of a passage. The knowledge base states each rule in a passage's first sentence, so the lead
 * passage answers with that sentence plus the one sentence that best matches the question; a related passage
 * with its best-matching sentence only.
 */
function excerpt(repo: KnowledgeRepository, ftsQuery: string, passage: PassageMatch, lead: boolean): string {
  const all = repo.sentences(passage.id);
  const best = repo.bestSentences(ftsQuery, passage.id, 2);
  if (!lead) return best[0]?.sentence ?? all[0] ?? passage.text;
  const detail = best.find((s) => s.ordinal !== 0);
  const first = all[0] ?? passage.text;
  return detail ? `${first} ${detail.sentence}` : first;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
