/**
 * What the engine answers: the slots that ran (each with its backend, result, latency and cache status) and,
 * for trading questions and on every bar, the Qwen synthesis decision with its explanation.
 */
import { z } from 'zod';
import { intentSchema, slotIdSchema } from './intent';

export const cacheTierSchema = z.enum(['memory', 'sqlite']);

/** One slot's part in an answer. */
export const slotRunSchema = z.object({
  slot: slotIdSchema,
  /** Built-in model and version, or the endpoint that produced the answer. */
  backend: z.string(),
  ok: z.boolean(),
  /** Whether the value came from the pattern cache, and from which tier. */
  fromCache: z.boolean(),
  tier: cacheTierSchema.nullable(),
  latencyUs: z.number().nonnegative(),
  /** One line a trader can read in the agent panel. */
  summary: z.string(),
  /** The slot's structured result (schemas in analysis.ts, sentiment.ts, knowledge.ts...). */
  value: z.unknown().optional(),
  /** Why it failed or was skipped (timeout, no data): the answer is degraded, and says so. */
  error: z.string().optional(),
});
export type SlotRun = z.infer<typeof slotRunSchema>;

export const actionSchema = z.enum(['BUY', 'SELL', 'HOLD']);
export type Action = z.infer<typeof actionSchema>;

/** One slot's vote in a decision. */
export const contributionSchema = z.object({
  slot: z.union([slotIdSchema, z.literal('policy')]),
  /** -1 (strongly bearish) to +1 (strongly bullish). */
  signal: z.number().min(-1).max(1),
  weight: z.number().nonnegative(),
  fromCache: z.boolean(),
  reason: z.string(),
});
export type Contribution = z.infer<typeof contributionSchema>;

export const decisionSchema = z.object({
  id: z.string(),
  symbol: z.string(),
  /** Market time of the bar the decision is about. */
  t: z.number().int(),
  action: actionSchema,
  /** 0 to 1. */
  confidence: z.number().min(0).max(1),
  /** Shares the sizing rule suggests (0 for HOLD). */
  suggestedQty: z.number().int().nonnegative(),
  price: z.number().positive().nullable(),
  contributions: z.array(contributionSchema),
  /** Sentences naming each contributing slot and whether its answer came from the cache. */
  explanation: z.string(),
  /** Rule warnings from the knowledge slot that apply to acting on it. */
  warnings: z.array(z.string()),
  /** The whole decision came from the cache (same inputs seen before). */
  fromCache: z.boolean(),
  /** Slots that failed or timed out: the decision was made without them. */
  degraded: z.array(z.string()),
});
export type Decision = z.infer<typeof decisionSchema>;

/** A spoken or shown alert (the MiniMax slot's output). */
export const alertSchema = z.object({
  id: z.string(),
  t: z.number().int(),
  priority: z.enum(['fill', 'risk', 'decision', 'info']),
  text: z.string(),
  symbol: z.string().optional(),
  decisionId: z.string().optional(),
});
export type Alert = z.infer<typeof alertSchema>;

/** The answer to a typed or spoken request. */
export const answerSchema = z.object({
  id: z.string(),
  query: z.string(),
  intent: intentSchema,
  slots: z.array(slotRunSchema),
  /** The reply in words, shown in the feed (and spoken when voice is on). */
  text: z.string(),
  decision: decisionSchema.optional(),
  /** For orders: what happened (placed, rejected with the reason, or awaiting confirmation). */
  order: z
    .object({
      status: z.enum(['placed', 'rejected', 'needs_confirmation']),
      orderId: z.string().optional(),
      message: z.string(),
    })
    .optional(),
  latencyUs: z.number().nonnegative(),
  degraded: z.array(z.string()),
});
export type Answer = z.infer<typeof answerSchema>;
