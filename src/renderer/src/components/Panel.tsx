import type { ReactNode } from 'react';

interface PanelProps {
  title: string;
  /** Used for the landmark's accessible name and by the end-to-end tests. */
  area: string;
  actions?: ReactNode;
  children: ReactNode;
}

/** A titled region of the desk. */
export function Panel({ title, area, actions, children }: PanelProps) {
  return (
    <section className={`panel area-${area}`} aria-label={title} data-area={area}>
      <header className="panel-header">
        <h2>{title}</h2>
        {actions ? <div className="panel-actions">{actions}</div> : null}
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}

/** What will appear in a region once there is something to show; never fake data. */
export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="empty-state">
      <p className="empty-title">{title}</p>
      <p className="empty-text">{children}</p>
    </div>
  );
}
