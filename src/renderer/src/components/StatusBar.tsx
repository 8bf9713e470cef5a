import type { AppInfo } from '../../../shared/contract/app';
import type { ConnectionState } from '../api';

const CONNECTION_TEXT: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Engine unreachable, reconnecting…',
  unauthorized: 'Session expired: the engine restarted. Open the new URL it printed.',
};

interface StatusBarProps {
  info: AppInfo | null;
  infoError: string | null;
  connection: ConnectionState;
  transport: 'ipc' | 'websocket';
}

export function StatusBar({ info, infoError, connection, transport }: StatusBarProps) {
  const mode = info
    ? info.mode === 'electron'
      ? 'Desktop'
      : info.mode === 'browser'
        ? 'Browser mode'
        : info.mode
    : '…';
  return (
    <footer className="status-bar" role="status" aria-label="Status bar">
      <span className="status-item" data-testid="status-mode">
        Mode: <strong>{mode}</strong>
      </span>
      <span className={`status-item conn conn-${connection}`} data-testid="status-connection">
        <span className="dot" aria-hidden="true" />
        {CONNECTION_TEXT[connection]} ({transport === 'ipc' ? 'IPC' : 'WebSocket'})
      </span>
      {info ? (
        <>
          <span className="status-item" data-testid="status-version">
            v{info.version}
          </span>
          <span className="status-item" title={info.databaseFile}>
            SQLite {info.sqliteVersion}, schema v{info.schemaVersion}
          </span>
          <span className="status-item grow" title={info.dataDir}>
            Data: {info.dataDir}
          </span>
        </>
      ) : null}
      {infoError ? <span className="status-item error">{infoError}</span> : null}
    </footer>
  );
}
