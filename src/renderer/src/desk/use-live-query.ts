import { useCallback, useEffect, useRef, useState } from 'react';
import type { Result } from '../../../shared/result';

interface LiveQueryOptions {
  /** Fetch again this long after the previous answer, while `enabled`. */
  intervalMs: number;
  /** Off (a hidden tab): no polling; the last data stays. */
  enabled: boolean;
  /** `refresh()` calls closer together than this are merged into one fetch. */
  minGapMs?: number;
  /** A change fetches at once. */
  deps?: readonly unknown[];
}

/**
 * An API read kept fresh: fetched when enabled, then every `intervalMs` (never two at once, so a slow engine is not
 * piled on), and on `refresh()` (an event said something changed), at most once per `minGapMs`.
 */
export function useLiveQuery<T>(
  load: () => Promise<Result<T>>,
  { intervalMs, enabled, minGapMs = 250, deps = [] }: LiveQueryOptions,
): { data: T | null; error: string | null; refresh: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loadRef = useRef(load);
  loadRef.current = load;
  const state = useRef({ inFlight: false, again: false, lastMs: 0, timer: null as number | null, alive: false });

  const run = useCallback(async () => {
    const s = state.current;
    if (!s.alive) return;
    if (s.inFlight) {
      s.again = true;
      return;
    }
    s.inFlight = true;
    s.lastMs = performance.now();
    const result = await loadRef.current();
    s.inFlight = false;
    if (!s.alive) return;
    if (result.ok) {
      setData(result.value);
      setError(null);
    } else {
      setError(result.error.message);
    }
    if (s.again) {
      s.again = false;
      schedule(minGapMs);
    } else {
      schedule(intervalMs);
    }
    function schedule(ms: number) {
      if (s.timer !== null) window.clearTimeout(s.timer);
      s.timer = window.setTimeout(() => {
        s.timer = null;
        void run();
      }, ms);
    }
  }, [intervalMs, minGapMs]);

  // `deps` are what the caller's `load` reads: a change fetches at once.
  useEffect(() => {
    const s = state.current;
    if (!enabled) return;
    s.alive = true;
    void run();
    return () => {
      s.alive = false;
      if (s.timer !== null) window.clearTimeout(s.timer);
      s.timer = null;
    };
  }, [enabled, run, ...deps]);

  const refresh = useCallback(() => {
    const s = state.current;
    if (!s.alive) return;
    if (s.inFlight) {
      s.again = true;
      return;
    }
    const wait = Math.max(0, s.lastMs + minGapMs - performance.now());
    if (s.timer !== null) window.clearTimeout(s.timer);
    s.timer = window.setTimeout(() => {
      s.timer = null;
      void run();
    }, wait);
  }, [minGapMs, run]);

  return { data, error, refresh };
}
