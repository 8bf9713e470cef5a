/**
 * A tiny grammar language: one description of the spoken command language that is compiled to JSGF for the
 * recogniser, parsed back into slots after recognition, and sampled to generate test sentences. Keeping all three
 * on one tree means the grammar the decoder searches, the parser that interprets its output and the test set can
 * never drift apart.
 *
 * Words are lower-case tokens as the recogniser's dictionary spells them (`ltr_a` for the spoken letter A).
 */

/** One node of a rule's expansion. */
export type GrammarNode =
  | { readonly kind: 'word'; readonly word: string }
  | { readonly kind: 'seq'; readonly items: readonly GrammarNode[] }
  | { readonly kind: 'alt'; readonly items: readonly GrammarNode[]; readonly weights?: readonly number[] }
  | { readonly kind: 'opt'; readonly item: GrammarNode }
  | { readonly kind: 'rep'; readonly item: GrammarNode }
  | { readonly kind: 'ref'; readonly rule: string }
  /** A semantic capture: the words it matched are interpreted as `slot` (a number, a ticker, an intent). */
  | { readonly kind: 'tag'; readonly slot: string; readonly item: GrammarNode };

/** A whole grammar: named rules and the public root rule the decoder starts from. */
export interface Grammar {
  readonly root: string;
  readonly rules: Readonly<Record<string, GrammarNode>>;
}

/** Words separated by spaces become a sequence of word nodes: `w('shares of')`. */
export function w(words: string): GrammarNode {
  const parts = words.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) throw new Error('w(): empty phrase');
  for (const part of parts) {
    if (!/^[a-z][a-z0-9_']*$/.test(part)) throw new Error(`w(): "${part}" is not a grammar word`);
  }
  if (parts.length === 1) return { kind: 'word', word: parts[0] as string };
  return { kind: 'seq', items: parts.map((word) => ({ kind: 'word', word }) as const) };
}

const lift = (item: GrammarNode | string): GrammarNode => (typeof item === 'string' ? w(item) : item);

export function seq(...items: (GrammarNode | string)[]): GrammarNode {
  if (items.length === 1) return lift(items[0] as GrammarNode | string);
  return { kind: 'seq', items: items.map(lift) };
}

/** Alternatives; strings are phrases. Order matters to the parser: earlier alternatives win ties. */
export function alt(...items: (GrammarNode | string)[]): GrammarNode {
  if (items.length === 0) throw new Error('alt(): no alternatives');
  if (items.length === 1) return lift(items[0] as GrammarNode | string);
  return { kind: 'alt', items: items.map(lift) };
}

/** Weighted alternatives (JSGF `/w/`): how likely the decoder thinks each branch is. */
export function weighted(...pairs: [number, GrammarNode | string][]): GrammarNode {
  return { kind: 'alt', items: pairs.map(([, item]) => lift(item)), weights: pairs.map(([weight]) => weight) };
}

export function opt(item: GrammarNode | string): GrammarNode {
  return { kind: 'opt', item: lift(item) };
}

/** One or more repetitions (JSGF `+`). */
export function rep(item: GrammarNode | string): GrammarNode {
  return { kind: 'rep', item: lift(item) };
}

export function ref(rule: string): GrammarNode {
  return { kind: 'ref', rule };
}

export function tag(slot: string, item: GrammarNode | string): GrammarNode {
  return { kind: 'tag', slot, item: lift(item) };
}

/** Every word any rule can produce, sorted. */
export function grammarWords(grammar: Grammar): string[] {
  const words = new Set<string>();
  const visit = (node: GrammarNode): void => {
    switch (node.kind) {
      case 'word':
        words.add(node.word);
        return;
      case 'seq':
      case 'alt':
        for (const item of node.items) visit(item);
        return;
      case 'opt':
      case 'rep':
      case 'tag':
        visit(node.item);
        return;
      case 'ref':
        return;
    }
  };
  for (const node of Object.values(grammar.rules)) visit(node);
  return [...words].sort();
}

/** Throws when a rule refers to a rule that does not exist, or the root is missing. */
export function checkGrammar(grammar: Grammar): void {
  if (!Object.hasOwn(grammar.rules, grammar.root)) throw new Error(`grammar: no root rule <${grammar.root}>`);
  const visit = (node: GrammarNode, inRule: string): void => {
    switch (node.kind) {
      case 'ref':
        if (!Object.hasOwn(grammar.rules, node.rule)) {
          throw new Error(`grammar: <${inRule}> refers to missing rule <${node.rule}>`);
        }
        return;
      case 'seq':
      case 'alt':
        for (const item of node.items) visit(item, inRule);
        return;
      case 'opt':
      case 'rep':
      case 'tag':
        visit(node.item, inRule);
        return;
      case 'word':
        return;
    }
  };
  for (const [name, node] of Object.entries(grammar.rules)) {
    if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`grammar: bad rule name "${name}"`);
    visit(node, name);
  }
}

/**
 * Removes every branch that uses a word outside `known` (a recogniser cannot listen for a word it cannot
 * pronounce): an alternative loses that branch, a sequence or repetition that needs it disappears, an optional
 * part is dropped. Rules left empty are removed along with the references to them. Returns the pruned grammar and
 * the words removed.
 */
export function pruneGrammar(
  grammar: Grammar,
  known: (word: string) => boolean,
): { grammar: Grammar; removed: string[] } {
  const removed = new Set<string>();
  const rules = new Map<string, GrammarNode | null>();
  const visiting = new Set<string>();

  const pruneRule = (name: string): GrammarNode | null => {
    if (rules.has(name)) return rules.get(name) ?? null;
    const node = grammar.rules[name];
    if (!node || visiting.has(name)) return node ?? null;
    visiting.add(name);
    const result = prune(node);
    visiting.delete(name);
    rules.set(name, result);
    return result;
  };

  const prune = (node: GrammarNode): GrammarNode | null => {
    switch (node.kind) {
      case 'word':
        if (known(node.word)) return node;
        removed.add(node.word);
        return null;
      case 'ref': {
        const target = pruneRule(node.rule);
        if (!target) return null;
        return target.kind === 'seq' && target.items.length === 0 ? target : node;
      }
      case 'tag': {
        const item = prune(node.item);
        return item ? { ...node, item } : null;
      }
      case 'opt': {
        const item = prune(node.item);
        return item ? { ...node, item } : { kind: 'seq', items: [] };
      }
      case 'rep': {
        const item = prune(node.item);
        return item ? { ...node, item } : null;
      }
      case 'seq': {
        const items: GrammarNode[] = [];
        for (const item of node.items) {
          const kept = prune(item);
          if (!kept) return null;
          if (kept.kind === 'seq' && kept.items.length === 0) continue;
          items.push(kept);
        }
        if (items.length === 1) return items[0] as GrammarNode;
        return { kind: 'seq', items };
      }
      case 'alt': {
        const items: GrammarNode[] = [];
        const weights: number[] = [];
        node.items.forEach((item, i) => {
          const kept = prune(item);
          if (!kept) return;
          items.push(kept);
          weights.push(node.weights?.[i] ?? 1);
        });
        if (items.length === 0) return null;
        if (items.length === 1) return items[0] as GrammarNode;
        return node.weights ? { kind: 'alt', items, weights } : { kind: 'alt', items };
      }
    }
  };

  const root = pruneRule(grammar.root);
  if (!root) throw new Error('pruneGrammar: nothing of the grammar is left');
  for (const name of Object.keys(grammar.rules)) pruneRule(name);
  const kept: Record<string, GrammarNode> = {};
  for (const [name, node] of rules) {
    if (node && !(node.kind === 'seq' && node.items.length === 0)) kept[name] = node;
  }
  return { grammar: { root: grammar.root, rules: kept }, removed: [...removed].sort() };
}
