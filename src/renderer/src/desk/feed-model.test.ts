import { describe, expect, it } from 'vitest';
import type { Alert, Answer, Decision } from '../../../shared/domain/decision';
import { FeedModel } from './feed-model';

function decision(id: string, symbol = 'TSLA'): Decision {
  return {
    id,
    symbol,
    t: 1_735_678_740_000,
    action: 'BUY',
    confidence: 0.78,
    suggestedQty: 201,
    price: 124.2,
    contributions: [{ slot: 'moonshot', signal: 0.8, weight: 0.8, fromCache: true, reason: 'bull flag' }],
    explanation: `BUY ${symbol} with 78% confidence.`,
    warnings: [],
    fromCache: false,
    degraded: [],
  };
}

function alert(id: string, priority: Alert['priority'], decisionId?: string): Alert {
  return { id, t: 1_735_678_740_000, priority, text: `alert ${id}`, ...(decisionId ? { decisionId } : {}) };
}

function answer(id: string, withDecision?: Decision): Answer {
  return {
    id,
    query: withDecision ? 'should I buy TSLA calls?' : 'is this a bull flag on TSLA?',
    intent: withDecision
      ? { kind: 'comprehensive', symbol: 'TSLA' }
      : { kind: 'pattern', symbol: 'TSLA', pattern: 'bull_flag' },
    slots: [],
    text: 'text',
    latencyUs: 100,
    degraded: [],
    ...(withDecision ? { decision: withDecision } : {}),
  };
}

const keys = (m: FeedModel) => m.items().map((i) => i.key);

describe('decision feed model', () => {
  it('lists newest first and history below the live items', () => {
    const m = new FeedModel();
    m.addDecision(decision('d2'));
    m.addAlert(alert('a1', 'fill'));
    m.loadDecisions([decision('d1'), decision('d0')]);
    m.addAnswer(answer('q1'));
    expect(keys(m)).toEqual(['answer:q1', 'alert:a1', 'decision:d2', 'decision:d1', 'decision:d0']);
  });

  it("folds a decision's alert and the question that asked for it into its card, in either order", () => {
    const m = new FeedModel();
    m.addDecision(decision('d1'));
    m.addAlert(alert('a1', 'decision', 'd1'));
    m.addAnswer(answer('q1', decision('d1')));
    // The alert came first here, the decision later.
    m.addAlert(alert('a2', 'decision', 'd2'));
    m.addDecision(decision('d2'));
    const items = m.items();
    expect(items.map((i) => i.key)).toEqual(['decision:d2', 'decision:d1']);
    const [d2, d1] = items;
    expect(d1?.kind === 'decision' && d1.alert?.id).toBe('a1');
    expect(d1?.kind === 'decision' && d1.answer?.id).toBe('q1');
    expect(d2?.kind === 'decision' && d2.alert?.id).toBe('a2');
  });

  it('shows a comprehensive answer as a decision card even when the decision event never came', () => {
    const m = new FeedModel();
    m.addAnswer(answer('q1', decision('d9')));
    m.addDecision(decision('d9'));
    expect(keys(m)).toEqual(['decision:d9']);
  });

  it('shows each thing once and drops the oldest past its limit', () => {
    const m = new FeedModel(3);
    m.addAlert(alert('a1', 'risk'));
    m.addAlert(alert('a1', 'risk'));
    m.addAnswer(answer('q1'));
    m.addAnswer(answer('q1'));
    m.loadDecisions([decision('d1')]);
    m.loadDecisions([decision('d1')]);
    expect(keys(m)).toEqual(['answer:q1', 'alert:a1', 'decision:d1']);
    m.addDecision(decision('d2'));
    expect(keys(m)).toEqual(['decision:d2', 'answer:q1', 'alert:a1']);
  });

  it('keeps the same array until something changes', () => {
    const m = new FeedModel();
    m.addDecision(decision('d1'));
    const first = m.items();
    expect(m.items()).toBe(first);
    m.addDecision(decision('d2'));
    expect(m.items()).not.toBe(first);
  });
});
