import { checkGrammar, type Grammar, type GrammarNode } from './grammar';

/**
 * Compiles a {@link Grammar} to JSGF V1.0 text for PocketSphinx. Tags are semantic only (the parser re-derives
 * them from the words), so they compile to their content.
 */
export function toJsgf(grammar: Grammar, name = 'swaggy'): string {
  checkGrammar(grammar);
  const lines = ['#JSGF V1.0;', `grammar ${name};`];
  const ordered = [grammar.root, ...Object.keys(grammar.rules).filter((rule) => rule !== grammar.root)];
  for (const rule of ordered) {
    const body = expansion(grammar.rules[rule] as GrammarNode, false);
    lines.push(`${rule === grammar.root ? 'public ' : ''}<${rule}> = ${body};`);
  }
  return `${lines.join('\n')}\n`;
}

function expansion(node: GrammarNode, nested: boolean): string {
  switch (node.kind) {
    case 'word':
      return node.word;
    case 'ref':
      return `<${node.rule}>`;
    case 'tag':
      return expansion(node.item, nested);
    case 'opt':
      return `[${expansion(node.item, false)}]`;
    case 'rep':
      return `${group(node.item)}+`;
    case 'seq': {
      const text = node.items.map((item) => expansion(item, true)).join(' ');
      return text;
    }
    case 'alt': {
      const parts = node.items.map((item, i) => {
        const weight = node.weights?.[i];
        const body = expansion(item, false);
        return weight === undefined ? body : `/${formatWeight(weight)}/ ${body}`;
      });
      const text = parts.join(' | ');
      return nested ? `(${text})` : text;
    }
  }
}

/** A node as one JSGF unit (for a `+` suffix). */
function group(node: GrammarNode): string {
  if (node.kind === 'word' || node.kind === 'ref') return expansion(node, true);
  return `(${expansion(node, false)})`;
}

function formatWeight(weight: number): string {
  if (!(weight > 0) || !Number.isFinite(weight)) throw new Error(`JSGF weight must be positive, got ${weight}`);
  // The JSGF scanner reads weights as plain decimals (/[0-9]*(\.[0-9]+)?/): no exponent notation.
  if (Number.isInteger(weight)) return BigInt(weight).toString();
  const text = weight.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
  if (Number(text) === 0) throw new Error(`JSGF weight ${weight} is too small to write as a decimal`);
  return text;
}
