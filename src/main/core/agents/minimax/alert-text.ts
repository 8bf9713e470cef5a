import type { Alert, Decision } from '../../../../shared/domain/decision';
import { slotNames } from '../../../../shared/domain/intent';
import type { Verbosity } from '../../../../shared/domain/voice';
import { companyName } from '../../orchestrator/symbols';

export type { Verbosity };

/** Words for speech: "Tesla" rather than "TSLA", percentages spoken as words, no symbols a voice would mangle. */
function spokenSymbol(symbol: string): string {
  return companyName(symbol) ?? symbol.split('').join(' ');
}

function nameOf(slot: Decision['contributions'][number]['slot']): string {
  return slot === 'policy' ? 'the DQN policy' : slotNames[slot];
}

function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/**
 * MiniMax's role: turn a decision into one or two sentences to speak and show. What, why (which slots agreed),
 * how confident, and whether it came from the cache. The explanation itself stays in the decision feed.
 */
export function decisionAlertText(decision: Decision, verbosity: Verbosity): string {
  const who = spokenSymbol(decision.symbol);
  const confidence = `${Math.round(decision.confidence * 100)} percent confident`;
  const verb = decision.action === 'BUY' ? 'Buy' : decision.action === 'SELL' ? 'Sell' : 'Hold';
  const head = `${verb} ${who}, ${confidence}.`;
  // The voice setting: quiet speaks only fills and warnings, so its decision text is the shortest.
  if (verbosity === 'quiet') return head;
  const sign = decision.action === 'BUY' ? 1 : decision.action === 'SELL' ? -1 : 0;
  const agree = decision.contributions
    .filter((c) => sign !== 0 && Math.sign(c.signal) === sign)
    .map((c) => nameOf(c.slot));
  const disagree = decision.contributions
    .filter((c) => sign !== 0 && Math.sign(c.signal) === -sign)
    .map((c) => nameOf(c.slot));
  const parts: string[] = [head];
  if (sign === 0) {
    parts.push(decision.contributions.length ? 'The signals are mixed or weak.' : 'There is not enough data yet.');
  } else {
    if (agree.length) parts.push(`${list(agree)} ${agree.length === 1 ? 'points' : 'point'} that way`);
    if (disagree.length)
      parts[parts.length - 1] += `; ${list(disagree)} ${disagree.length === 1 ? 'disagrees' : 'disagree'}`;
    parts[parts.length - 1] += '.';
    if (decision.suggestedQty > 0) parts.push(`Suggested size ${decision.suggestedQty} shares.`);
  }
  if (decision.warnings.length) parts.push(`Rule warning: ${decision.warnings[0]?.split(':')[0]}.`);
  if (decision.fromCache) parts.push('From the cache.');
  if (verbosity === 'verbose') {
    const reasons = decision.contributions.map((c) => `${nameOf(c.slot)}: ${c.reason}`);
    if (reasons.length) parts.push(`${reasons.join('. ')}.`);
  }
  return parts.join(' ');
}

/** An alert for a decision, with the priority the speech queue orders by. */
export function decisionAlert(decision: Decision, verbosity: Verbosity, id: string): Alert {
  return {
    id,
    t: decision.t,
    priority: 'decision',
    text: decisionAlertText(decision, verbosity),
    symbol: decision.symbol,
    decisionId: decision.id,
  };
}

/** A fill is said first: it is money that moved. */
export function fillAlert(
  fill: { symbol: string; side: 'buy' | 'sell'; qty: number; price: number; t: number },
  id: string,
): Alert {
  return {
    id,
    t: fill.t,
    priority: 'fill',
    text: `Filled: ${fill.side === 'buy' ? 'bought' : 'sold'} ${fill.qty} ${spokenSymbol(fill.symbol)} at ${fill.price.toFixed(2)}.`,
    symbol: fill.symbol,
  };
}

/** A rule or risk warning, said before decisions. */
export function riskAlert(text: string, t: number, id: string, symbol?: string): Alert {
  return { id, t, priority: 'risk', text, ...(symbol ? { symbol } : {}) };
}
