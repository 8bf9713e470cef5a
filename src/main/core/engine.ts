import path from 'node:path';
import type { EventName, EventPayload } from '../../shared/contract';
import { appHandlers } from './app/app-handlers';
import { consoleLogger, type EngineConfig, type Logger } from './config';
import { AuditLog } from './db/audit-log';
import { DATABASE_FILE_NAME, type Db, openDatabase } from './db/database';
import { SettingsStore } from './db/settings-store';
import { createDispatcher, type Dispatch } from './dispatch';
import { EventBus } from './events';
import type { Handlers } from './handlers';

/**
 * The engine: every domain's state and commands behind one handler map, free of Electron. The desktop app, browser
 * mode, the CLI and the tests all create it through {@link createEngine}.
 */
export interface Engine {
  readonly config: EngineConfig;
  readonly db: Db;
  readonly databaseFile: string;
  readonly events: EventBus;
  readonly handlers: Handlers;
  /** The one path from any host to a command: parse, run, errors as data. */
  readonly dispatch: Dispatch;
  readonly settings: SettingsStore;
  readonly log: Logger;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  /** Stops timers and workers and closes the database. Safe to call twice. */
  close(): Promise<void>;
}

export function createEngine(config: EngineConfig): Engine {
  const log = config.log ?? consoleLogger;
  const wallClock = config.wallClock ?? Date.now;
  const databaseFile = path.join(config.dataDir, DATABASE_FILE_NAME);
  const db = openDatabase(databaseFile, { nativeBinding: config.sqliteNativeBinding });
  const events = new EventBus((event, error) => log.error(`A listener of ${event} failed`, error));
  const settings = new SettingsStore(db, (key, reason) =>
    log.warn(`Setting ${key} had an invalid stored value (${reason}); using its default`),
  );
  const audit = new AuditLog(db);

  const handlers = {
    ...appHandlers({ config, db, databaseFile, settings, audit, events, wallClock }),
  } satisfies Handlers;

  const dispatch = createDispatcher(handlers, { validateOutputs: config.validateOutputs, log });

  let closed = false;
  return {
    config,
    db,
    databaseFile,
    events,
    handlers,
    dispatch,
    settings,
    log,
    emit: (event, payload) => events.emit(event, payload),
    async close() {
      if (closed) return;
      closed = true;
      events.clear();
      db.close();
    },
  };
}
