import { useEffect, useRef, useState } from 'react';
import { api } from '../api';
import { type DeskNotice, dismissNotice, pushNotice, subscribeNotices } from '../desk/notice-store';

/** Info toasts leave by themselves after this long; warnings and errors stay until dismissed. */
const INFO_TTL_MS = 8_000;

/** Toasts: the engine's `onNotice` messages and the desk's own failures, each dismissible. */
export function Notices() {
  const [notices, setNotices] = useState<readonly DeskNotice[]>([]);
  useEffect(() => subscribeNotices(setNotices), []);
  useEffect(() => api.events.onNotice(({ level, message }) => void pushNotice(level, message)), []);
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());
  useEffect(() => {
    for (const n of notices) {
      if (n.level !== 'info' || timers.current.has(n.id)) continue;
      timers.current.set(
        n.id,
        setTimeout(() => dismissNotice(n.id), INFO_TTL_MS),
      );
    }
  }, [notices]);
  useEffect(() => {
    const pending = timers.current;
    return () => {
      for (const t of pending.values()) clearTimeout(t);
      pending.clear();
    };
  }, []);
  if (notices.length === 0) return null;
  return (
    <section className="toasts" aria-label="Notices">
      {notices.map((n) => (
        <div
          key={n.id}
          className={`toast toast-${n.level}`}
          role={n.level === 'info' ? 'status' : 'alert'}
          data-testid="notice"
        >
          <span className="toast-text">{n.message}</span>
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => dismissNotice(n.id)}>
            ×
          </button>
        </div>
      ))}
    </section>
  );
}
