/**
 * The desk's toasts: notices the engine pushes (`onNotice`) and failures of the trader's own actions (a refused
 * play, a failed seek). A tiny store outside React, so any component can report without prop plumbing.
 */
export interface DeskNotice {
  id: number;
  level: 'info' | 'warn' | 'error';
  message: string;
}

type Listener = (notices: readonly DeskNotice[]) => void;

/** Most toasts kept on screen; older ones go first. */
const MAX_NOTICES = 5;

let nextId = 1;
let notices: readonly DeskNotice[] = [];
const listeners = new Set<Listener>();

function publish(next: readonly DeskNotice[]): void {
  notices = next;
  for (const listener of listeners) listener(notices);
}

/** Shows a toast; returns its id. The same message twice in a row is shown once. */
export function pushNotice(level: DeskNotice['level'], message: string): number {
  const last = notices.at(-1);
  if (last && last.message === message && last.level === level) return last.id;
  const notice: DeskNotice = { id: nextId++, level, message };
  publish([...notices, notice].slice(-MAX_NOTICES));
  return notice.id;
}

export function dismissNotice(id: number): void {
  publish(notices.filter((n) => n.id !== id));
}

export function subscribeNotices(listener: Listener): () => void {
  listeners.add(listener);
  listener(notices);
  return () => {
    listeners.delete(listener);
  };
}
