import { z } from 'zod';
import { latencySummarySchema } from '../domain/cache';
import { alertSchema, answerSchema, decisionSchema } from '../domain/decision';
import { slotIdSchema } from '../domain/intent';
import { event, method, noInput } from './define';

export const slotInfoSchema = z.object({
  id: slotIdSchema,
  name: z.string(),
  role: z.string(),
  backend: z.string(),
  version: z.string(),
  namespace: z.string(),
  ttlClass: z.string(),
  inputs: z.array(z.string()),
});

export const slotStatsSchema = slotInfoSchema.extend({
  calls: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  cacheHits: z.number().int().nonnegative(),
  hitRate: z.number().min(0).max(1),
  latency: latencySummarySchema,
  /** The latest call, for the agent panel. */
  last: z
    .object({ summary: z.string(), latencyUs: z.number(), fromCache: z.boolean(), ok: z.boolean(), t: z.number() })
    .nullable(),
});
export type SlotStats = z.infer<typeof slotStatsSchema>;

/** One sample of the live performance plots (one per second of wall time). */
export const perfSampleSchema = z.object({
  t: z.number(),
  queriesPerSec: z.number().nonnegative(),
  decisionsPerSec: z.number().nonnegative(),
  /** p99 of everything answered in that second, µs. */
  p99Us: z.number().nonnegative(),
  hitRate: z.number().min(0).max(1),
  rejected: z.number().int().nonnegative(),
});
export type PerfSample = z.infer<typeof perfSampleSchema>;

export const engineStatsSchema = z.object({
  mode: z.enum(['cached', 'traditional']),
  sloMs: z.number(),
  slots: z.array(slotStatsSchema),
  queries: z.object({
    count: z.number().int(),
    latency: latencySummarySchema,
    byKind: z.record(z.string(), latencySummarySchema),
  }),
  decisions: z.object({ count: z.number().int(), latency: latencySummarySchema }),
  admission: z.object({
    submitted: z.record(z.string(), z.number()),
    completed: z.record(z.string(), z.number()),
    rejected: z.record(z.string(), z.number()),
    missed: z.record(z.string(), z.number()),
    deferred: z.number(),
    coalesced: z.number(),
    queued: z.number(),
  }),
  /** Hit rate of the slot lookups since start. */
  hitRate: z.number().min(0).max(1),
  samples: z.array(perfSampleSchema),
});
export type EngineStats = z.infer<typeof engineStatsSchema>;

export const engineMethods = {
  'engine.ask': method({
    summary: 'Routes a typed (or recognised) question or order through the seven slots and answers it.',
    input: z.object({
      text: z.string().max(500),
      /** The chart's symbol, for questions that name none ("is this a bull flag?"). */
      currentSymbol: z.string().max(32).optional(),
    }),
    output: answerSchema,
  }),
  'engine.slots': method({
    summary: 'The seven model slots: backend, version, cache namespace, and their latest result.',
    input: noInput,
    output: z.array(slotStatsSchema),
  }),
  'engine.stats': method({
    summary: 'Latency histograms, throughput, hit rates and rejections, per slot and overall, with live samples.',
    input: noInput,
    output: engineStatsSchema,
  }),
  'engine.decisions': method({
    summary: 'The most recent decisions (newest first), each with its explanation.',
    input: z.object({ limit: z.number().int().positive().max(500).optional() }).optional(),
    output: z.array(decisionSchema),
  }),
} as const;

export const engineEvents = {
  onAnswer: event({ summary: 'An answer to a typed or spoken request.', payload: answerSchema }),
  onDecision: event({
    summary: 'A new Qwen decision on a symbol (when its action changes, or when a trader asked).',
    payload: decisionSchema,
  }),
  onAlert: event({ summary: 'An alert to show and speak (fills, rule warnings, decisions).', payload: alertSchema }),
} as const;
