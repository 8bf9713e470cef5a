import type { ApiTransport } from '../../../shared/client';
import { err, type Result } from '../../../shared/result';
import { type ServerMessage, WS_PATH } from '../../../shared/ws-protocol';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'unauthorized';

/**
 * The browser-mode twin of Electron IPC: API calls and event subscriptions over one WebSocket to the local host.
 * It reconnects with backoff and re-subscribes; calls made while disconnected fail fast with UNAVAILABLE.
 */
export class WsTransport implements ApiTransport {
  private socket: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, (result: Result<unknown>) => void>();
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private state: ConnectionState = 'connecting';
  private retryMs = 250;
  private opened: Promise<void>;
  private markOpen: () => void = () => {};

  constructor(private readonly url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WS_PATH}`) {
    this.opened = new Promise((resolve) => {
      this.markOpen = resolve;
    });
    this.connect();
  }

  get connectionState(): ConnectionState {
    return this.state;
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    listener(this.state);
    return () => this.stateListeners.delete(listener);
  }

  async invoke(method: string, input: unknown): Promise<Result<unknown>> {
    if (this.state !== 'connected') {
      // Give the first connection a moment before failing the call.
      await Promise.race([this.opened, new Promise((r) => setTimeout(r, 3000))]);
    }
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      return err('UNAVAILABLE', 'Not connected to the Swaggy Stacks engine; it is reconnecting');
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      socket.send(JSON.stringify({ t: 'call', id, method, input }));
    });
  }

  subscribe(event: string, listener: (payload: unknown) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
      this.sendIfOpen({ t: 'sub', event });
    }
    set.add(listener);
    return () => {
      const current = this.listeners.get(event);
      if (!current?.delete(listener) || current.size > 0) return;
      this.listeners.delete(event);
      this.sendIfOpen({ t: 'unsub', event });
    };
  }

  private sendIfOpen(message: unknown): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }

  private connect(): void {
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.retryMs = 250;
      this.setState('connected');
      this.markOpen();
      for (const event of this.listeners.keys()) socket.send(JSON.stringify({ t: 'sub', event }));
    };
    socket.onmessage = (message) => {
      let data: ServerMessage;
      try {
        data = JSON.parse(String(message.data));
      } catch {
        return;
      }
      if (data.t === 'result') {
        const resolve = this.pending.get(data.id);
        this.pending.delete(data.id);
        resolve?.(data.result as Result<unknown>);
      } else if (data.t === 'event') {
        for (const listener of [...(this.listeners.get(data.event) ?? [])]) {
          try {
            listener(data.payload);
          } catch (error) {
            console.error(`A listener of ${data.event} failed`, error);
          }
        }
      } else {
        console.warn(`Engine: ${data.message}`);
      }
    };
    let everOpened = false;
    socket.addEventListener('open', () => {
      everOpened = true;
    });
    socket.onclose = () => {
      for (const resolve of this.pending.values()) resolve(err('UNAVAILABLE', 'The connection to the engine closed'));
      this.pending.clear();
      if (this.socket !== socket) return;
      this.socket = null;
      this.opened = new Promise((resolve) => {
        this.markOpen = resolve;
      });
      const retry = () => {
        setTimeout(() => this.connect(), this.retryMs);
        this.retryMs = Math.min(this.retryMs * 2, 5000);
      };
      if (everOpened) {
        this.setState('reconnecting');
        retry();
        return;
      }
      // A refused upgrade looks like any other failure to the page; ask the server whether our token is still
      // good (it changes on every launch of the engine).
      fetch(location.pathname, { method: 'HEAD', cache: 'no-store' }).then(
        (response) => {
          this.setState(response.status === 401 ? 'unauthorized' : 'reconnecting');
          retry();
        },
        () => {
          this.setState('reconnecting');
          retry();
        },
      );
    };
  }
}
