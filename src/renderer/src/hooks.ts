import { useEffect, useRef, useState } from 'react';
import type { EventName, EventPayload } from '../../shared/contract';
import type { AppInfo } from '../../shared/contract/app';
import type { Result } from '../../shared/result';
import { api, type ConnectionState, connection } from './api';

/** The connection state of the API transport (always "connected" over Electron IPC). */
export function useConnectionState(): ConnectionState {
  const [state, setState] = useState<ConnectionState>('connecting');
  useEffect(() => connection.onState(setState), []);
  return state;
}

/** `app.info`, fetched again whenever the connection comes back (the engine may have restarted). */
export function useAppInfo(connectionState: ConnectionState): { info: AppInfo | null; error: string | null } {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (connectionState !== 'connected') return;
    let live = true;
    api.app.info().then((result) => {
      if (!live) return;
      if (result.ok) {
        setInfo(result.value);
        setError(null);
      } else {
        setError(result.error.message);
      }
    });
    return () => {
      live = false;
    };
  }, [connectionState]);
  return { info, error };
}

/** Subscribes to an engine event for the component's lifetime. */
export function useEvent<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): void {
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => {
    const subscribe = api.events[event] as (cb: (payload: EventPayload<E>) => void) => () => void;
    return subscribe((payload) => ref.current(payload));
  }, [event]);
}

/**
 * Calls an API method and keeps its latest result; `reload` calls it again. Errors are kept as text for the UI.
 */
export function useQuery<T>(
  load: () => Promise<Result<T>>,
  deps: readonly unknown[],
): {
  data: T | null;
  error: string | null;
  reload: () => void;
} {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller lists the dependencies of `load`
  useEffect(() => {
    let live = true;
    loadRef.current().then((result) => {
      if (!live) return;
      if (result.ok) {
        setData(result.value);
        setError(null);
      } else {
        setError(result.error.message);
      }
    });
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return { data, error, reload: () => setTick((t) => t + 1) };
}
