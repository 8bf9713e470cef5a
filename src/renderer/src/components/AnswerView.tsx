import type { Answer } from '../../../shared/domain/decision';
import type { IntentKind } from '../../../shared/domain/intent';
import { formatLatencyUs } from '../engine-format';
import { formatQty } from '../format';
import { ExpandableText } from './ExpandableText';
import { SlotChips } from './SlotChips';

/** What the router took the request for, in a trader's words. */
const INTENT_LABELS: Record<IntentKind, string> = {
  order: 'order',
  price: 'price',
  technical: 'indicators',
  pattern: 'pattern',
  math: 'maths',
  sentiment: 'sentiment',
  knowledge: 'rules and knowledge',
  comprehensive: 'full analysis',
  confirm: 'confirmation',
  cancel: 'cancellation',
  correct: 'correction',
  unknown: 'not understood',
};

const ORDER_LABELS = {
  placed: 'Placed',
  rejected: 'Not placed',
  needs_confirmation: 'Waiting for your confirmation',
} as const;

/**
 * One answer of the engine: the request, how it was routed, the slots that answered (cache or computed, latency),
 * what happened to an order, the decision when one was made, and the reply itself.
 */
export function AnswerView({ answer, showQuery = true }: { answer: Answer; showQuery?: boolean }) {
  const d = answer.decision;
  return (
    <div className="answer-view">
      {showQuery ? (
        <p className="answer-query">
          <span className="answer-quote">“{answer.query}”</span>
          <span className="muted">
            {' '}
            · {INTENT_LABELS[answer.intent.kind]} · {formatLatencyUs(answer.latencyUs)}
          </span>
        </p>
      ) : null}
      <SlotChips runs={answer.slots} />
      {answer.order ? (
        // The reply itself says what was ordered (and any rule warnings); the badge says what became of it.
        <p className={`answer-order order-${answer.order.status}`} data-testid="answer-order">
          {ORDER_LABELS[answer.order.status]}
          {answer.order.orderId ? ` · order #${answer.order.orderId}` : ''}
        </p>
      ) : null}
      {d ? (
        <p className="answer-decision">
          <span className={`action action-${d.action.toLowerCase()}`}>{d.action}</span> {d.symbol} ·{' '}
          {Math.round(d.confidence * 100)}% confidence
          {d.suggestedQty > 0 ? ` · about ${formatQty(d.suggestedQty)} shares` : ''}
        </p>
      ) : null}
      <ExpandableText text={answer.text} className="answer-text" testId="answer-text" />
      {answer.degraded.length > 0 ? (
        <p className="answer-degraded warn-text">Answered without: {answer.degraded.join('; ')}</p>
      ) : null}
    </div>
  );
}
