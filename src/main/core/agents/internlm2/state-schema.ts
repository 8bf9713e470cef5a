/**
 * The serialised form of an InternLM2 stream. The cache stores it at block boundaries of a bar series and hands it
 * back on a prefix hit, so it is validated on the way in: a truncated or foreign blob must be refused, never
 * resumed into wrong indicators.
 */
import { z } from 'zod';
import { streamParamsSchema } from '../../../../shared/domain/analysis';

const num = z.number();
const count = z.number().int().nonnegative();

export const ringSchema = z.object({
  cap: z.number().int().positive(),
  buf: z.array(num),
  head: count,
  size: count,
});

export const windowSchema = z.object({
  n: z.number().int().positive(),
  count,
  sum: num,
  comp: num,
  mean: num,
  m2: num.nonnegative(),
});

/** An exponential average seeded with the simple average of its first `period` inputs. */
export const emaStateSchema = z.object({
  period: z.number().int().positive(),
  value: num.nullable(),
  seedSum: num,
  seedCount: count,
});
export type EmaState = z.infer<typeof emaStateSchema>;

/** Wilder-smoothed average (RSI gains and losses, ATR), seeded with the simple average of its first `period` inputs. */
export const wilderStateSchema = z.object({
  period: z.number().int().positive(),
  value: num.nullable(),
  seedSum: num,
  seedCount: count,
});
export type WilderState = z.infer<typeof wilderStateSchema>;

export const streamStateSchema = z.object({
  kind: z.literal('internlm2-stream'),
  schema: z.literal(1),
  modelVersion: z.string(),
  /** Parameters as resolved (defaults filled in); part of the cache key. */
  params: streamParamsSchema,
  /** Bars consumed so far. */
  count,
  lastT: z.number().int().nullable(),
  prevClose: num.nullable(),
  closes: ringSchema,
  sma: z.array(windowSchema),
  bb: windowSchema,
  ema: z.array(emaStateSchema),
  macdFast: emaStateSchema,
  macdSlow: emaStateSchema,
  macdSignal: emaStateSchema,
  rsiGain: wilderStateSchema,
  rsiLoss: wilderStateSchema,
  atr: wilderStateSchema,
  session: z.object({ day: z.number().int().nullable(), pv: num, v: num }),
  /** Typical price × volume and volume of recent bars (rolling VWAP, volume z-score). */
  pvs: ringSchema,
  volumes: ringSchema,
  vwapPv: windowSchema,
  vwapV: windowSchema,
  volume: windowSchema,
  /** Log returns of recent closes (realised volatility). */
  returns: ringSchema,
  rv: windowSchema,
  rvShort: windowSchema,
  rvLong: windowSchema,
});

/** The whole state of one stream: plain JSON, constant size whatever the number of bars consumed. */
export type StreamState = z.infer<typeof streamStateSchema>;
