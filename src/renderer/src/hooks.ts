import { useEffect, useState } from 'react';
import type { AppInfo } from '../../shared/contract/app';
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
