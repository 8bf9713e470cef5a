import type { Grammar, GrammarNode } from './grammar';

/** One semantic capture of a parse: the slot, the words it covered, and the captures inside it. */
export interface Capture {
  readonly slot: string;
  /** Index of the first word covered. */
  readonly start: number;
  /** Index one past the last word covered. */
  readonly end: number;
  readonly words: readonly string[];
  readonly children: readonly Capture[];
}

interface Partial {
  end: number;
  captures: Capture[];
}

/** Enough alternatives to find the intended parse of a spoken command; bounds the work on garbage input. */
const MAX_PARTIALS = 64;

/**
 * Parses a word sequence against the grammar, returning the top-level captures of the first complete parse (in the
 * order of the grammar's alternatives), or null when the words are not a sentence of the grammar.
 */
export function parseWords(grammar: Grammar, words: readonly string[]): Capture[] | null {
  const root = grammar.rules[grammar.root];
  if (!root) return null;
  const memo = new Map<string, Partial[]>();

  const matchRule = (rule: string, pos: number, depth: number): Partial[] => {
    const key = `${rule}@${pos}`;
    const cached = memo.get(key);
    if (cached) return cached;
    const node = grammar.rules[rule];
    if (!node || depth > 64) return [];
    memo.set(key, []); // a left-recursive reference matches nothing rather than looping
    const result = match(node, pos, depth + 1);
    memo.set(key, result);
    return result;
  };

  const match = (node: GrammarNode, pos: number, depth: number): Partial[] => {
    switch (node.kind) {
      case 'word':
        return words[pos] === node.word ? [{ end: pos + 1, captures: [] }] : [];
      case 'ref':
        return matchRule(node.rule, pos, depth);
      case 'tag':
        return match(node.item, pos, depth).map((p) => ({
          end: p.end,
          captures: [{ slot: node.slot, start: pos, end: p.end, words: words.slice(pos, p.end), children: p.captures }],
        }));
      case 'opt':
        return cap([...match(node.item, pos, depth), { end: pos, captures: [] }]);
      case 'rep': {
        const out: Partial[] = [];
        let frontier = match(node.item, pos, depth);
        while (frontier.length > 0 && out.length < MAX_PARTIALS) {
          out.push(...frontier);
          const next: Partial[] = [];
          for (const p of frontier) {
            if (p.end === pos) continue;
            for (const q of match(node.item, p.end, depth)) {
              if (q.end > p.end) next.push({ end: q.end, captures: [...p.captures, ...q.captures] });
            }
          }
          frontier = cap(next);
        }
        // Longest repetitions first: a garbage loop should swallow the whole utterance.
        return cap(out.sort((a, b) => b.end - a.end));
      }
      case 'alt':
        return cap(node.items.flatMap((item) => match(item, pos, depth)));
      case 'seq': {
        let partials: Partial[] = [{ end: pos, captures: [] }];
        for (const item of node.items) {
          const next: Partial[] = [];
          for (const p of partials) {
            for (const q of match(item, p.end, depth)) {
              next.push({ end: q.end, captures: [...p.captures, ...q.captures] });
            }
          }
          partials = cap(next);
          if (partials.length === 0) return [];
        }
        return partials;
      }
    }
  };

  const complete = match(root, 0, 0).find((p) => p.end === words.length);
  return complete ? complete.captures : null;
}

function cap(partials: Partial[]): Partial[] {
  return partials.length > MAX_PARTIALS ? partials.slice(0, MAX_PARTIALS) : partials;
}

/** The first capture of `slot` at any depth, searching depth-first in sentence order. */
export function findCapture(captures: readonly Capture[], slot: string): Capture | undefined {
  for (const capture of captures) {
    if (capture.slot === slot) return capture;
    const inner = findCapture(capture.children, slot);
    if (inner) return inner;
  }
  return undefined;
}
