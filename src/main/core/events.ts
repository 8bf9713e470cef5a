import type { EventName, EventPayload } from '../../shared/contract';

type Listener<E extends EventName> = (payload: EventPayload<E>) => void;

/**
 * The engine's typed event bus. Hosts subscribe per event and forward to windows and sockets; a listener that
 * throws is logged and removed from nothing else's path (one bad subscriber must not stop a fill event).
 */
export class EventBus {
  private readonly listeners = new Map<EventName, Set<Listener<EventName>>>();

  constructor(private readonly onListenerError: (event: EventName, error: unknown) => void = () => {}) {}

  on<E extends EventName>(event: E, listener: Listener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener as Listener<EventName>);
    return () => {
      set.delete(listener as Listener<EventName>);
    };
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(payload);
      } catch (error) {
        this.onListenerError(event, error);
      }
    }
  }

  listenerCount(event: EventName): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  clear(): void {
    this.listeners.clear();
  }
}
