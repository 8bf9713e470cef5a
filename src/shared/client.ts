/**
 * Builds the `window.api` object from the contract over any transport: Electron IPC in the preload, a
 * WebSocket in browser mode, or an in-process dispatcher in tests. The object holds only plain functions, so
 * Electron's contextBridge can expose it as is.
 */
import { type Api, eventNames, methodNames } from './contract';
import type { Result } from './result';

export interface ApiTransport {
  /** Sends one call; must resolve (never reject) with a Result. */
  invoke(method: string, input: unknown): Promise<Result<unknown>>;
  /** Starts delivering one event to the listener; returns the function that stops it. */
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

export function createApiClient(transport: ApiTransport): Api {
  const events: Record<string, unknown> = {};
  const api: Record<string, Record<string, unknown>> = { events };
  for (const name of methodNames) {
    const dot = name.indexOf('.');
    const domain = name.slice(0, dot);
    const verb = name.slice(dot + 1);
    api[domain] ??= {};
    api[domain][verb] = (input?: unknown) => transport.invoke(name, input);
  }
  for (const name of eventNames) {
    events[name] = (listener: (payload: unknown) => void) => {
      if (typeof listener !== 'function') throw new TypeError(`${name} needs a listener function`);
      return transport.subscribe(name, listener);
    };
  }
  return api as unknown as Api;
}
