import type { ReactNode } from 'react';
import type { SlotStats } from '../../../shared/contract/engine';
import type { PolicyStatus } from '../../../shared/domain/policy';
import { api } from '../api';
import { useLiveQuery } from '../desk/use-live-query';
import { formatCount, formatLatencyUs, formatRatio } from '../engine-format';
import { useEvent } from '../hooks';

/** How often the slots are read while shown; answers and decisions refresh them sooner. */
const SLOTS_POLL_MS = 2_000;
const SLOTS_MIN_GAP_MS = 400;

function cacheBadge(slot: SlotStats): { text: string; className: string } {
  if (!slot.last) return { text: 'not run yet', className: 'idle' };
  if (!slot.last.ok) return { text: 'failed', className: 'failed' };
  return slot.last.fromCache ? { text: 'cache hit', className: 'hit' } : { text: 'computed', className: 'miss' };
}

/** The DQN policy's card: provider and model version, or why it is unavailable (the desk works on without it). */
function PolicyCard({ status, error }: { status: PolicyStatus | null; error: string | null }) {
  let body: ReactNode;
  if (error) {
    body = <p className="slot-last down">Policy status unavailable: {error}</p>;
  } else if (!status) {
    body = <p className="slot-last muted">Reading the policy…</p>;
  } else if (!status.available) {
    body = (
      <>
        <p className="slot-last down" data-testid="policy-unavailable">
          Unavailable: {status.error ?? 'no model loaded'}
        </p>
        <p className="slot-meta muted">Decisions are made without it until a model loads.</p>
      </>
    );
  } else {
    body = (
      <>
        <p className="slot-meta" title={status.modelFile ?? undefined}>
          ONNX Runtime · provider <strong data-testid="policy-provider-line">{status.provider ?? 'unknown'}</strong>
        </p>
        <p className="slot-meta muted" title={status.version ?? undefined}>
          {status.version} ({status.origin === 'user' ? 'retrained here' : 'shipped'})
        </p>
        {status.training?.state === 'running' ? <p className="slot-meta warn-text">Retraining…</p> : null}
      </>
    );
  }
  return (
    <li className="slot-card policy-card" data-testid="policy-line">
      <div className="slot-head">
        <span className="slot-name">DQN policy</span>
        <span className="slot-role muted">trading policy</span>
        <span
          className={`cache-badge ${status?.available ? 'hit' : 'failed'}`}
          title={status?.warnings.join('\n') || undefined}
        >
          {status?.available ? 'active' : status ? 'off' : '…'}
        </span>
      </div>
      {body}
    </li>
  );
}

/**
 * The seven model slots, live: role, backend and version, the latest result with its latency and whether it came
 * from the pattern cache, the hit rate, calls and errors; and the DQN policy. Read every two seconds while shown,
 * and soon after every answer or decision.
 */
export function SlotList({
  visible,
  policy,
}: {
  visible: boolean;
  policy: { status: PolicyStatus | null; error: string | null };
}) {
  const { data, error, refresh } = useLiveQuery(() => api.engine.slots(), {
    intervalMs: SLOTS_POLL_MS,
    minGapMs: SLOTS_MIN_GAP_MS,
    enabled: visible,
  });
  useEvent('onAnswer', refresh);
  useEvent('onDecision', refresh);

  if (!data) {
    return <p className={error ? 'inline-error' : 'muted'}>{error ?? 'Reading the model slots…'}</p>;
  }
  return (
    <>
      {error ? <p className="inline-error">{error}</p> : null}
      <ul className="slot-grid" aria-label="Model slots">
        {data.map((slot) => {
          const badge = cacheBadge(slot);
          return (
            <li key={slot.id} className="slot-card" data-testid={`slot-row-${slot.id}`}>
              <div className="slot-head">
                <span className="slot-name">{slot.name}</span>
                <span className="slot-role muted" title={slot.role}>
                  {slot.role}
                </span>
                <span className={`cache-badge ${badge.className}`} data-testid={`slot-cache-${slot.id}`}>
                  {badge.text}
                </span>
              </div>
              <p className="slot-meta muted" title={`${slot.backend}, version ${slot.version}`}>
                {slot.backend} · <span className="slot-version">{slot.version}</span>
              </p>
              <p className="slot-last" title={slot.last?.summary} data-testid={`slot-last-${slot.id}`}>
                {slot.last ? slot.last.summary : 'No result yet.'}
              </p>
              <p className="slot-meta">
                <span data-testid={`slot-latency-${slot.id}`}>{formatLatencyUs(slot.last?.latencyUs)}</span>
                <span className="muted"> · hits </span>
                <span data-testid={`slot-hitrate-${slot.id}`}>{slot.calls > 0 ? formatRatio(slot.hitRate) : '—'}</span>
                <span className="muted">
                  {' '}
                  · {formatCount(slot.calls)} call{slot.calls === 1 ? '' : 's'}
                </span>
                <span className={slot.errors > 0 ? 'down' : 'muted'}>
                  {' '}
                  · {formatCount(slot.errors)} error{slot.errors === 1 ? '' : 's'}
                </span>
              </p>
            </li>
          );
        })}
        <PolicyCard status={policy.status} error={policy.error} />
      </ul>
    </>
  );
}
