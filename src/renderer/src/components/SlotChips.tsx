import type { SlotRun } from '../../../shared/domain/decision';
import { formatLatencyUs, slotLabel } from '../engine-format';

/**
 * The slots that answered, in the order they ran: each chip names the slot, whether its result came from the
 * pattern cache (and which tier) or was computed now, and how long it took. A failed slot is marked and says why.
 */
export function SlotChips({ runs }: { runs: readonly SlotRun[] }) {
  if (runs.length === 0) return null;
  return (
    <ul className="slot-chips" aria-label="Slots that answered">
      {runs.map((run) => {
        const status = !run.ok ? 'failed' : run.fromCache ? 'cache' : 'computed';
        const detail = !run.ok
          ? `failed: ${run.error ?? 'no result'}`
          : run.fromCache
            ? `from the ${run.tier === 'sqlite' ? 'SQLite' : 'memory'} tier of the pattern cache`
            : 'computed now';
        return (
          <li
            // A slot may run twice in one answer (two lookups of one slot): its result tells the runs apart.
            key={`${run.slot}|${run.latencyUs}|${run.summary}`}
            className={`slot-chip chip-${status}`}
            data-testid={`slot-chip-${run.slot}`}
            data-cache={run.fromCache ? 'hit' : 'miss'}
            title={`${slotLabel(run.slot)} (${run.backend}): ${run.summary}. ${detail}.${run.error && run.ok ? ` ${run.error}` : ''}`}
          >
            <span className="chip-name">{slotLabel(run.slot)}</span>
            <span className="chip-status">{status === 'cache' && run.tier === 'sqlite' ? 'cache (disk)' : status}</span>
            <span className="chip-latency">{formatLatencyUs(run.latencyUs)}</span>
          </li>
        );
      })}
    </ul>
  );
}
