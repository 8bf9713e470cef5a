import path from 'node:path';
import type { DoctorCheck } from '../../../shared/contract/app';
import type { SettingKey } from '../../../shared/settings';
import type { EngineConfig } from '../config';
import type { AuditLog } from '../db/audit-log';
import type { Db } from '../db/database';
import { schemaVersion } from '../db/migrations';
import type { SettingsStore } from '../db/settings-store';
import { runDoctor } from '../doctor/doctor';
import type { EventBus } from '../events';
import type { Handlers } from '../handlers';

export interface AppDeps {
  config: EngineConfig;
  db: Db;
  databaseFile: string;
  settings: SettingsStore;
  audit: AuditLog;
  events: EventBus;
  wallClock: () => number;
  /** Checks of other domains for the doctor (policy provider, voice tools). */
  extraChecks?: () => Promise<DoctorCheck[]>;
  /**
   * Asks the domain a setting belongs to whether its new (already validated) value can apply now; throws an
   * AppError (for example `CONFLICT`) to refuse it. It runs inside the write's transaction and sees the new value
   * through the settings store, so a refusal leaves the stored value as it was.
   */
  checkSetting?: (key: SettingKey) => void;
}

export function appHandlers(
  deps: AppDeps,
): Pick<Handlers, 'app.info' | 'app.doctor' | 'settings.get' | 'settings.set' | 'settings.list'> {
  const { config, db, settings, events } = deps;
  const sqliteVersion = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  return {
    'app.info': () => ({
      name: 'Swaggy Stacks',
      version: config.version,
      mode: config.mode,
      dataDir: config.dataDir,
      databaseFile: path.resolve(deps.databaseFile),
      sqliteVersion,
      schemaVersion: schemaVersion(db),
      platform: `${process.platform}-${process.arch}`,
      nodeVersion: process.versions.node,
      electronVersion: process.versions.electron ?? null,
    }),
    'app.doctor': async () => {
      const report = runDoctor({
        db,
        dataDir: config.dataDir,
        databaseFile: deps.databaseFile,
        projectRoot: config.projectRoot,
      });
      const extra = deps.extraChecks ? await deps.extraChecks() : [];
      return { ...report, checks: [...report.checks, ...extra] };
    },
    'settings.get': ({ key }) => ({ key, value: settings.get(key as never) }),
    'settings.set': ({ key, value }, ctx) => {
      const now = deps.wallClock();
      const stored = db.transaction(() => {
        const v = settings.set(key as never, value, now);
        deps.checkSetting?.(key as SettingKey);
        deps.audit.record(now, ctx.origin, 'settings.set', { key, value: v });
        return v;
      })();
      events.emit('onSettingsChanged', { key, value: stored });
      return { key, value: stored };
    },
    'settings.list': () => settings.all(),
  };
}
