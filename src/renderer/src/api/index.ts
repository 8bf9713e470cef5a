import { createApiClient } from '../../../shared/client';
import type { Api } from '../../../shared/contract';
import { type ConnectionState, WsTransport } from './ws-transport';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in browser mode, where the WebSocket twin takes its place. */
    api?: Api;
  }
}

export type { ConnectionState };

export interface Connection {
  readonly transport: 'ipc' | 'websocket';
  onState(listener: (state: ConnectionState) => void): () => void;
}

function resolveApi(): { api: Api; connection: Connection } {
  if (window.api) {
    return {
      api: window.api,
      connection: {
        transport: 'ipc',
        onState: (listener) => {
          listener('connected');
          return () => {};
        },
      },
    };
  }
  const transport = new WsTransport();
  return {
    api: createApiClient(transport),
    connection: { transport: 'websocket', onState: (listener) => transport.onState(listener) },
  };
}

/** The one API object the UI talks to, identical in the desktop app and in browser mode. */
export const { api, connection } = resolveApi();
