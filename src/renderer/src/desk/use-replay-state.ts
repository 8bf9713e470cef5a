import { useCallback, useEffect, useRef, useState } from 'react';
import type { ReplayState } from '../../../shared/contract/market';
import { timeframeMs } from '../../../shared/domain/market';
import { api, type ConnectionState } from '../api';

/**
 * Identity of a replay session: a new value means a new market (load, another seed, other symbols). Charts, quotes
 * and the blotter reload when it changes.
 */
export function sessionKey(state: ReplayState | null): string {
  if (!state) return '';
  return [state.source, state.seed ?? '', state.timeframe, state.symbols.join(','), state.firstT].join('|');
}

/**
 * Whether the clock jumped between two states rather than played: a new session, a step back, a seek or step
 * while paused, or a leap far beyond what the speed explains (a seek by another window, the CLI or a voice command).
 */
function jumped(prev: ReplayState, next: ReplayState, wallMs: number): boolean {
  if (sessionKey(prev) !== sessionKey(next)) return true;
  if (next.marketT < prev.marketT) return true;
  if (next.marketT === prev.marketT) return false;
  if (!prev.playing && !next.playing) return true;
  if (next.speed === 'max') return false;
  const explained = next.speed * Math.max(wallMs, 50) * 4 + 3 * timeframeMs[next.timeframe];
  return next.marketT - prev.marketT > explained;
}

/** The replay session and its clock: fetched on connect, then kept current from `onReplayState`. */
export function useReplayState(connection: ConnectionState): {
  state: ReplayState | null;
  error: string | null;
  /** Increases whenever the market jumped (load, seek, step back): views showing history reload. */
  epoch: number;
  /** Applies the state a replay command answered with (it also arrives as an event, but this is sooner). */
  apply: (state: ReplayState, forceReload?: boolean) => void;
} {
  const [state, setState] = useState<ReplayState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [epoch, setEpoch] = useState(0);
  const last = useRef<{ state: ReplayState; wall: number } | null>(null);

  const apply = useCallback((next: ReplayState, forceReload = false) => {
    const wall = performance.now();
    const prev = last.current;
    last.current = { state: next, wall };
    if (forceReload || !prev || jumped(prev.state, next, wall - prev.wall)) setEpoch((e) => e + 1);
    setState(next);
  }, []);

  useEffect(() => api.events.onReplayState((s) => apply(s)), [apply]);
  useEffect(() => {
    if (connection !== 'connected') return;
    let live = true;
    api.replay.state().then((result) => {
      if (!live) return;
      if (result.ok) {
        apply(result.value, true);
        setError(null);
      } else {
        setError(result.error.message);
      }
    });
    return () => {
      live = false;
    };
  }, [connection, apply]);
  return { state, error, epoch, apply };
}
