import { useMemo, useState } from 'react';
import type { Alert, Decision } from '../../../shared/domain/decision';
import type { FeedItem } from '../desk/feed-model';
import { pushNotice } from '../desk/notice-store';
import { useEngineFeed } from '../desk/use-engine-feed';
import { sayAgainAction } from '../desk/voice-bridge';
import { formatSignal, slotLabel } from '../engine-format';
import { formatPrice, formatQty } from '../format';
import { formatMarketTime, type MarketZone } from '../market-time';
import { AnswerView } from './AnswerView';
import { ExpandableText } from './ExpandableText';
import { EmptyState } from './Panel';
import { SlotChips } from './SlotChips';

type Filter = 'all' | 'alerts' | 'decisions' | 'answers';

const FILTERS: { id: Filter; label: string }[] = [
  { id: 'all', label: 'Everything' },
  { id: 'alerts', label: 'Fills and risk' },
  { id: 'decisions', label: 'Decisions' },
  { id: 'answers', label: 'Answers' },
];

const ALERT_TAGS: Record<Alert['priority'], string> = {
  fill: 'Fill',
  risk: 'Risk',
  decision: 'Decision',
  info: 'Info',
};

function matches(item: FeedItem, filter: Filter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'alerts':
      return item.kind === 'alert' && (item.alert.priority === 'fill' || item.alert.priority === 'risk');
    case 'decisions':
      return item.kind === 'decision';
    case 'answers':
      return item.kind === 'answer' || (item.kind === 'decision' && item.answer !== null);
  }
}

interface DecisionFeedProps {
  reloadKey: string;
  zone: MarketZone;
  /** Daily bars are stamped 00:00 UTC of their date: their times read as dates. */
  daily: boolean;
  /** The answer the command bar is showing: not repeated here while it is. */
  hiddenAnswerId: string | null;
}

/**
 * The decision feed, newest first: each decision (action, confidence, size, market time, the explanation naming
 * every slot and whether it came from the cache, each slot's vote, rule warnings), fills and risk alerts as
 * first-class entries, and the answers to questions. "Say again" appears only where the voice API exists.
 */
export function DecisionFeed({ reloadKey, zone, daily, hiddenAnswerId }: DecisionFeedProps) {
  const { items, error } = useEngineFeed(reloadKey);
  const [filter, setFilter] = useState<Filter>('all');
  const sayAgain = useMemo(() => sayAgainAction(), []);
  const time = (t: number) => (daily ? formatMarketTime(t, 'UTC', true) : formatMarketTime(t, zone));
  const shown = items.filter((i) => matches(i, filter) && !(i.kind === 'answer' && i.answer.id === hiddenAnswerId));

  const speak = sayAgain
    ? async (alert: Alert) => {
        const failure = await sayAgain(alert);
        if (failure) pushNotice('warn', `Could not say it again: ${failure}`);
      }
    : null;

  return (
    <div className="feed">
      <div className="feed-toolbar">
        <label className="inline-field">
          Show
          <select aria-label="Show in the feed" value={filter} onChange={(e) => setFilter(e.target.value as Filter)}>
            {FILTERS.map((f) => (
              <option key={f.id} value={f.id}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        {error ? <span className="tab-error">{error}</span> : null}
      </div>
      {shown.length === 0 ? (
        <EmptyState title={filter === 'all' ? 'No decisions yet' : 'Nothing of this kind yet'}>
          Each BUY, SELL or HOLD decision with its confidence and an explanation naming the slots behind it; fills, risk
          warnings and spoken alerts appear here too. Play the replay or ask a question above.
        </EmptyState>
      ) : (
        <ol className="feed-list" aria-label="Decisions and alerts" data-testid="feed-list">
          {shown.map((item) => {
            if (item.kind === 'decision') {
              return (
                <DecisionCard
                  key={item.key}
                  decision={item.decision}
                  item={item}
                  time={time(item.decision.t)}
                  speak={speak}
                  chipsShownAbove={item.answer?.id === hiddenAnswerId}
                />
              );
            }
            if (item.kind === 'alert') {
              const a = item.alert;
              return (
                <li
                  key={item.key}
                  className={`feed-item feed-alert alert-${a.priority}`}
                  data-testid="feed-alert"
                  data-priority={a.priority}
                >
                  <div className="feed-head">
                    <span className={`alert-tag tag-${a.priority}`}>{ALERT_TAGS[a.priority]}</span>
                    {a.symbol ? <strong>{a.symbol}</strong> : null}
                    <span className="feed-time">{time(a.t)}</span>
                  </div>
                  <p className="feed-text">{a.text}</p>
                  {speak ? (
                    <button type="button" className="small" onClick={() => void speak(a)}>
                      Say again
                    </button>
                  ) : null}
                </li>
              );
            }
            return (
              <li key={item.key} className="feed-item feed-answer" data-testid="feed-answer">
                <AnswerView answer={item.answer} />
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}

function DecisionCard({
  decision: d,
  item,
  time,
  speak,
  chipsShownAbove,
}: {
  decision: Decision;
  item: Extract<FeedItem, { kind: 'decision' }>;
  time: string;
  speak: ((alert: Alert) => Promise<void>) | null;
  /** The command bar shows this decision's answer with its slots: not repeated here. */
  chipsShownAbove: boolean;
}) {
  const action = d.action.toLowerCase();
  return (
    <li
      className={`feed-item feed-decision decision-${action}`}
      data-testid="feed-decision"
      data-symbol={d.symbol}
      data-action={d.action}
      data-decision-id={d.id}
    >
      <div className="feed-head">
        <span className={`action action-${action}`}>{d.action}</span>
        <strong>{d.symbol}</strong>
        <span title="Confidence">{Math.round(d.confidence * 100)}%</span>
        {d.suggestedQty > 0 ? <span title="Suggested size">{formatQty(d.suggestedQty)} sh</span> : null}
        {d.price !== null ? <span className="muted">@ {formatPrice(d.price)}</span> : null}
        {d.fromCache ? (
          <span className="cache-badge hit" title="The whole decision came from the pattern cache">
            cache
          </span>
        ) : null}
        <span className="feed-time">{time}</span>
      </div>
      {item.answer ? (
        <div className="feed-asked">
          <p className="muted">
            Asked: <span className="answer-quote">“{item.answer.query}”</span>
          </p>
          {chipsShownAbove ? null : <SlotChips runs={item.answer.slots} />}
        </div>
      ) : null}
      <ExpandableText text={d.explanation} className="feed-explanation" testId="feed-explanation" />
      {d.contributions.length > 0 ? (
        <ul className="contributions" aria-label="Votes">
          {d.contributions.map((c) => (
            <li
              key={c.slot}
              className="contribution"
              title={`${slotLabel(c.slot)}: ${c.reason} (signal ${formatSignal(c.signal)}, weight ${c.weight.toFixed(2)})`}
            >
              {slotLabel(c.slot)}{' '}
              <span className={c.signal > 0 ? 'up' : c.signal < 0 ? 'down' : 'muted'}>{formatSignal(c.signal)}</span>{' '}
              <span className={`cache-badge ${c.fromCache ? 'hit' : 'miss'}`}>
                {c.fromCache ? 'cache' : 'computed'}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {d.warnings.length > 0 ? (
        <ul className="feed-warnings" aria-label="Rule warnings">
          {d.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
      {d.degraded.length > 0 ? <p className="warn-text small-print">Made without: {d.degraded.join('; ')}</p> : null}
      {item.alert && speak ? (
        <button type="button" className="small" onClick={() => item.alert && void speak(item.alert)}>
          Say again
        </button>
      ) : null}
    </li>
  );
}
