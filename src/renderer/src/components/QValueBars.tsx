import { type PolicyAction, policyActions } from '../../../shared/domain/policy';

/**
 * The policy's Q-values for one state as three small bars (short, flat, long), the chosen action highlighted. A
 * Q-value is the discounted return the network expects from taking that action; only their order and gaps carry
 * meaning, so the bars are scaled from the smallest to the largest of the three.
 */
export function QValueBars({
  symbol,
  qValues,
  chosen,
}: {
  symbol: string;
  qValues: readonly number[];
  chosen: PolicyAction | null;
}) {
  const min = Math.min(...qValues);
  const max = Math.max(...qValues);
  const span = max - min;
  return (
    <ul className="q-bars" aria-label={`Q-values for ${symbol}`}>
      {policyActions.map((action, i) => {
        const q = qValues[i];
        if (q === undefined) return null;
        // The lowest still gets a sliver, so that three equal values do not look like none.
        const fraction = span > 0 ? 0.12 + 0.88 * ((q - min) / span) : 1;
        return (
          <li
            key={action}
            className={`q-bar q-${action}${action === chosen ? ' chosen' : ''}`}
            data-testid={`policy-q-${symbol}-${action}`}
            title={`${action}: Q = ${q.toFixed(4)}`}
          >
            <span className="q-label">{action}</span>
            <span className="q-track">
              <span className="q-fill" style={{ width: `${(fraction * 100).toFixed(1)}%` }} />
            </span>
            <span className="q-value num">{q.toFixed(3)}</span>
          </li>
        );
      })}
    </ul>
  );
}
