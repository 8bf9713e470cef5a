/**
 * The settings registry: every setting the app stores, with its type and default. The SQLite settings
 * table holds JSON values keyed by these names; reading a key that was never written gives the default.
 */
import { z } from 'zod';
import { defaultBrokerConfig } from './domain/broker';
import { voiceSettingsSchema } from './domain/voice';

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
  /**
   * Allow short sales (Reg T margin: 50% initial, 30% maintenance). Off: a cash account. Applies to the next order;
   * it cannot be turned off while the account holds a short (buy it back first).
   */
  'broker.allowShort': z.boolean().default(defaultBrokerConfig.allowShort),
  /** Bid-ask spread in basis points; market orders and triggered stops pay half of it. Applies to the next fill. */
  'broker.spreadBps': z.number().min(0).max(1000).default(defaultBrokerConfig.spreadBps),
  /** Extra market impact in basis points on market orders and triggered stops. Applies to the next fill. */
  'broker.slippageBps': z.number().min(0).max(1000).default(defaultBrokerConfig.slippageBps),
  /** Commission per share in 1/100 cent (E4 dollars: 50 is $0.005). Applies to the next fill. */
  'broker.commissionPerShareE4': z.number().int().min(0).max(10_000).default(defaultBrokerConfig.commissionPerShareE4),
  /** Minimum commission per order, in cents. Applies to the next fill. */
  'broker.commissionMinCents': z
    .number()
    .int()
    .min(0)
    .max(100_000)
    .default(defaultBrokerConfig.commissionMinE4 / 100),
  /** At most this share of a bar's volume fills, in (0, 1]; the rest keeps working. Applies to the next bar. */
  'broker.maxVolumeParticipation': z.number().gt(0).max(1).default(defaultBrokerConfig.maxVolumeParticipation),
  /** Seed of the simulated market: the same seed gives the same market. */
  'market.seed': z.number().int().min(0).max(4_294_967_295).default(42),
  /** Where the replay was when the desk last closed, so it resumes there. */
  'replay.resume': z
    .object({
      source: z.enum(['synthetic', 'imported']),
      symbols: z.array(z.string()),
      timeframe: z.enum(['1m', '5m', '15m', '1h', '1d']),
      marketT: z.number().int(),
    })
    .nullable()
    .default(null),
  /** Budget of the pattern cache's memory tier. */
  'cache.memoryMaxMb': z.number().int().min(1).max(16_384).default(64),
  /** Budget of the pattern cache's SQLite tier. */
  'cache.sqliteMaxMb': z.number().int().min(1).max(1_048_576).default(512),
  /** Seal cache entries at rest with AES-256-GCM (key in cache.key in the data folder). Applies at the next start. */
  'cache.encryptAtRest': z.boolean().default(false),
  /** Half-life of news in the sentiment aggregate, in hours of market time. */
  'sentiment.halfLifeHours': z
    .number()
    .positive()
    .max(24 * 365)
    .default(72),
  /** The decision SLO: per-bar decisions predicted to miss it are deferred or dropped under load. */
  'engine.sloMs': z.number().positive().max(10_000).default(8),
  /** Push-to-talk, recognition and spoken alerts (recorder, device, engine, mute, verbosity, order limits). */
  ...voiceSettingsSchema.shape,
} as const;

export type SettingKey = keyof typeof settingsSchemas;
export type SettingValue<K extends SettingKey> = z.output<(typeof settingsSchemas)[K]>;
export type Settings = { [K in SettingKey]: SettingValue<K> };

export const settingKeys = Object.keys(settingsSchemas) as SettingKey[];

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(settingsSchemas, key);
}
