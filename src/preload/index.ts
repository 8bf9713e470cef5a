/**
 * The preload exposes exactly one object, `window.api`, built from the contract. The page never sees
 * ipcRenderer: it can only call contract methods and subscribe to contract events.
 */
import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import { type ApiTransport, createApiClient } from '../shared/client';
import { IPC } from '../shared/ipc-channels';
import { err, type Result } from '../shared/result';

const listeners = new Map<string, Set<(payload: unknown) => void>>();

ipcRenderer.on(IPC.event, (_event: IpcRendererEvent, name: string, payload: unknown) => {
  for (const listener of [...(listeners.get(name) ?? [])]) {
    try {
      listener(payload);
    } catch (error) {
      console.error(`A listener of ${name} failed`, error);
    }
  }
});

const transport: ApiTransport = {
  async invoke(method, input) {
    try {
      return (await ipcRenderer.invoke(IPC.invoke, method, input)) as Result<unknown>;
    } catch (e) {
      return err('INTERNAL', `IPC call ${method} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  },
  subscribe(name, listener) {
    let set = listeners.get(name);
    if (!set) {
      set = new Set();
      listeners.set(name, set);
      ipcRenderer.send(IPC.subscribe, name);
    }
    set.add(listener);
    return () => {
      const current = listeners.get(name);
      if (!current?.delete(listener) || current.size > 0) return;
      listeners.delete(name);
      ipcRenderer.send(IPC.unsubscribe, name);
    };
  },
};

contextBridge.exposeInMainWorld('api', createApiClient(transport));
