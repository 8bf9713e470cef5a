/**
 * Market data as every part of the app sees it. Times are UTC epoch milliseconds of the bar's open; prices are
 * plain numbers in the instrument's currency (analysis is float maths; the broker rounds to money units, see
 * money.ts); volume is in shares (or coins).
 */
import { z } from 'zod';

export const timeframes = ['1m', '5m', '15m', '1h', '1d'] as const;
export const timeframeSchema = z.enum(timeframes);
export type Timeframe = z.infer<typeof timeframeSchema>;

/** Length of one bar of each timeframe, in milliseconds (a daily bar spans a calendar day). */
export const timeframeMs: Record<Timeframe, number> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
  '1d': 86_400_000,
};

export const barSchema = z.object({
  /** Open time of the bar, UTC epoch ms. */
  t: z.number().int(),
  o: z.number().positive(),
  h: z.number().positive(),
  l: z.number().positive(),
  c: z.number().positive(),
  v: z.number().nonnegative(),
});
export type Bar = z.infer<typeof barSchema>;

/** One trade print. The synthetic market produces them; replays of imported bars derive them from each bar. */
export const tickSchema = z.object({
  symbol: z.string(),
  t: z.number().int(),
  price: z.number().positive(),
  size: z.number().nonnegative(),
});
export type Tick = z.infer<typeof tickSchema>;

/** Where a symbol's bars come from: a CSV the user imported, or the seeded synthetic market. */
export const marketSourceSchema = z.enum(['imported', 'synthetic']);
export type MarketSource = z.infer<typeof marketSourceSchema>;

/** A stored series: one symbol at one timeframe. `version` changes whenever its bars change (re-import). */
export const seriesInfoSchema = z.object({
  symbol: z.string(),
  timeframe: timeframeSchema,
  source: marketSourceSchema,
  rows: z.number().int().nonnegative(),
  firstT: z.number().int().nullable(),
  lastT: z.number().int().nullable(),
  version: z.number().int().nonnegative(),
});
export type SeriesInfo = z.infer<typeof seriesInfoSchema>;
