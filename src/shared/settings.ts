/**
 * The settings registry: every setting the app stores, with its type and default. The SQLite settings
 * table holds JSON values keyed by these names; reading a key that was never written gives the default.
 */
import { z } from 'zod';

export const tickerSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z][A-Z0-9.\-/]{0,14}$/, 'a ticker is 1 to 15 letters, digits, ".", "-" or "/", starting with a letter');

export const settingsSchemas = {
  /** Symbols shown in the watchlist, in order. */
  watchlist: z.array(tickerSchema).max(200).default(['AAPL', 'MSFT', 'TSLA', 'NVDA', 'SPY']),
  /** Cash a new paper account starts with, in US cents. */
  'broker.startingCashCents': z.number().int().positive().max(1e15).default(10_000_000),
} as const;

export type SettingKey = keyof typeof settingsSchemas;
export type SettingValue<K extends SettingKey> = z.output<(typeof settingsSchemas)[K]>;
export type Settings = { [K in SettingKey]: SettingValue<K> };

export const settingKeys = Object.keys(settingsSchemas) as SettingKey[];

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(settingsSchemas, key);
}
