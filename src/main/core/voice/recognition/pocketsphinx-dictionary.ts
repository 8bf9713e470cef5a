import fs from 'node:fs';
import { extraPronunciations, letterTokens } from '../grammar/companies';

/** Pronunciations by word (CMU phones, space-separated), alternates in dictionary order. */
export type Pronunciations = ReadonlyMap<string, readonly string[]>;

const cache = new Map<string, { mtimeMs: number; entries: Map<string, string[]> }>();

/**
 * The words of `wanted` that the CMU dictionary at `dictPath` pronounces, read once per file and cached. Reading
 * only what the grammar needs keeps the decoder's dictionary small, which is what makes its start-up fast.
 */
export function readPronunciations(dictPath: string, wanted: Iterable<string>): Map<string, string[]> {
  let loaded = cache.get(dictPath);
  const stat = fs.statSync(dictPath);
  if (!loaded || loaded.mtimeMs !== stat.mtimeMs) {
    const entries = new Map<string, string[]>();
    for (const line of fs.readFileSync(dictPath, 'utf8').split('\n')) {
      const space = line.indexOf(' ');
      if (space <= 0) continue;
      const head = line.slice(0, space);
      const word = head.replace(/\(\d+\)$/, '');
      const phones = line.slice(space + 1).trim();
      if (!phones) continue;
      const list = entries.get(word);
      if (list) list.push(phones);
      else entries.set(word, [phones]);
    }
    loaded = { mtimeMs: stat.mtimeMs, entries };
    cache.set(dictPath, loaded);
  }
  const out = new Map<string, string[]>();
  for (const word of wanted) {
    const prons = loaded.entries.get(word);
    if (prons) out.set(word, prons);
  }
  return out;
}

/** Our own words: spelled letters (`ltr_a`), "dot", and names the CMU dictionary lacks. */
export function builtInPronunciations(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { token, phones } of Object.values(letterTokens)) out.set(token, [...phones]);
  out.set('dot', ['D AA T']);
  for (const [word, prons] of Object.entries(extraPronunciations)) out.set(word, [...prons]);
  return out;
}

export interface BuiltDictionary {
  /** The dictionary file's text, in PocketSphinx's format (`word PH ON ES`, alternates as `word(2)`). */
  readonly text: string;
  /** Words that have a pronunciation. */
  readonly known: ReadonlySet<string>;
  /** Words asked for that nobody can pronounce (the grammar drops them). */
  readonly missing: readonly string[];
  /** The fewest phones each known word is pronounced with. */
  readonly phoneCounts: ReadonlyMap<string, number>;
}

/** Builds a dictionary for exactly these words: ours first, then the CMU dictionary's. */
export function buildDictionary(
  words: Iterable<string>,
  dictPath: string,
  extra: Pronunciations = new Map(),
): BuiltDictionary {
  const wanted = [...new Set(words)].sort();
  const ours = builtInPronunciations();
  const cmu = readPronunciations(
    dictPath,
    wanted.filter((w) => !ours.has(w) && !extra.has(w)),
  );
  const lines: string[] = [];
  const known = new Set<string>();
  const missing: string[] = [];
  const phoneCounts = new Map<string, number>();
  for (const word of wanted) {
    const prons = extra.get(word) ?? ours.get(word) ?? cmu.get(word);
    if (!prons || prons.length === 0) {
      missing.push(word);
      continue;
    }
    known.add(word);
    phoneCounts.set(word, Math.min(...prons.map((p) => p.trim().split(/\s+/).length)));
    prons.forEach((phones, i) => {
      lines.push(`${i === 0 ? word : `${word}(${i + 1})`} ${phones}`);
    });
  }
  return { text: `${lines.join('\n')}\n`, known, missing, phoneCounts };
}
