import { isEventName } from '../../shared/contract';
import { IPC } from '../../shared/ipc-channels';
import { err } from '../../shared/result';
import type { Dispatch } from '../core/dispatch';
import type { EventBus } from '../core/events';

/** The parts of Electron's IPC objects the host uses; tests pass fakes, the app passes ipcMain. */
export interface IpcSenderLike {
  readonly id: number;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
  once(event: 'destroyed', listener: () => void): unknown;
}
export interface IpcEventLike {
  readonly sender: IpcSenderLike;
  /** The frame that sent the message; null once it navigated away or was destroyed. */
  readonly senderFrame: unknown;
}
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown;
  removeAllListeners(channel: string): unknown;
}

export interface IpcHostOptions {
  ipcMain: IpcMainLike;
  dispatch: Dispatch;
  events: EventBus;
  /** True only for our own window's main frame, loaded from our own origin. */
  isTrustedSender: (event: IpcEventLike) => boolean;
  onRefused?: (what: string) => void;
}

/**
 * Serves the API over Electron IPC. Every method goes through one handler that refuses any sender but our own
 * main frame, then the shared dispatcher (zod parse, command, errors as data). Events are forwarded only to
 * windows that subscribed, and the subscriptions end with the window.
 * Returns the function that unregisters everything.
 */
export function registerIpcApi(options: IpcHostOptions): () => void {
  const { ipcMain, dispatch, events, isTrustedSender } = options;
  const subscriptions = new Map<number, Map<string, () => void>>();

  ipcMain.handle(IPC.invoke, (event, method, input) => {
    if (!isTrustedSender(event)) {
      options.onRefused?.(`call to ${String(method)}`);
      return err('FORBIDDEN', 'This window is not allowed to call the API');
    }
    return dispatch(method, input, { origin: 'ipc' });
  });

  ipcMain.on(IPC.subscribe, (event, name) => {
    if (!isTrustedSender(event)) {
      options.onRefused?.(`subscription to ${String(name)}`);
      return;
    }
    if (!isEventName(name)) return;
    const sender = event.sender;
    let mine = subscriptions.get(sender.id);
    if (!mine) {
      mine = new Map();
      subscriptions.set(sender.id, mine);
      sender.once('destroyed', () => {
        for (const stop of subscriptions.get(sender.id)?.values() ?? []) stop();
        subscriptions.delete(sender.id);
      });
    }
    if (mine.has(name)) return;
    mine.set(
      name,
      events.on(name, (payload) => {
        if (!sender.isDestroyed()) sender.send(IPC.event, name, payload);
      }),
    );
  });

  ipcMain.on(IPC.unsubscribe, (event, name) => {
    if (typeof name !== 'string') return;
    const mine = subscriptions.get(event.sender.id);
    mine?.get(name)?.();
    mine?.delete(name);
  });

  return () => {
    ipcMain.removeHandler(IPC.invoke);
    ipcMain.removeAllListeners(IPC.subscribe);
    ipcMain.removeAllListeners(IPC.unsubscribe);
    for (const mine of subscriptions.values()) for (const stop of mine.values()) stop();
    subscriptions.clear();
  };
}
