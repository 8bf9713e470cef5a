import { AppError, formatZodError } from '../../../shared/result';
import {
  isSettingKey,
  type SettingKey,
  type Settings,
  type SettingValue,
  settingKeys,
  settingsSchemas,
} from '../../../shared/settings';
import type { Db } from './database';

/**
 * Typed accessors over the settings table. Values are validated on the way in and on the way out; a stored value
 * that no longer parses (written by an older build, edited by hand) reads as the default and is reported once.
 */
export class SettingsStore {
  private readonly selectOne;
  private readonly upsert;

  constructor(
    db: Db,
    private readonly onInvalid: (key: SettingKey, reason: string) => void = () => {},
  ) {
    this.selectOne = db.prepare<[string], { value_json: string }>('SELECT value_json FROM settings WHERE key = ?');
    this.upsert = db.prepare<[string, string, number]>(
      `INSERT INTO settings (key, value_json, updated_at_ms) VALUES (?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json, updated_at_ms = excluded.updated_at_ms`,
    );
  }

  get<K extends SettingKey>(key: K): SettingValue<K> {
    const schema = settingsSchemas[key];
    const row = this.selectOne.get(key);
    if (row) {
      let raw: unknown;
      try {
        raw = JSON.parse(row.value_json);
      } catch {
        this.onInvalid(key, 'stored value is not JSON');
        return schema.parse(undefined) as SettingValue<K>;
      }
      const parsed = schema.safeParse(raw);
      if (parsed.success) return parsed.data as SettingValue<K>;
      this.onInvalid(key, formatZodError(parsed.error));
    }
    return schema.parse(undefined) as SettingValue<K>;
  }

  /** Validates and stores a value; throws BAD_INPUT with the reason when it does not fit the setting's type. */
  set<K extends SettingKey>(key: K, value: unknown, nowMs: number): SettingValue<K> {
    if (!isSettingKey(key)) throw new AppError('BAD_INPUT', `Unknown setting "${String(key)}"`);
    const parsed = settingsSchemas[key].safeParse(value);
    if (!parsed.success) {
      throw new AppError('BAD_INPUT', `Setting ${key}: ${formatZodError(parsed.error)}`);
    }
    this.upsert.run(key, JSON.stringify(parsed.data), nowMs);
    return parsed.data as SettingValue<K>;
  }

  all(): Settings {
    const out: Record<string, unknown> = {};
    for (const key of settingKeys) out[key] = this.get(key);
    return out as Settings;
  }
}
