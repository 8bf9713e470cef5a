/**
 * The DQN policy's API: its status (model, version, execution provider, warnings, metrics), its current action and
 * Q-values per symbol, background retraining with progress (`onProgress`, kind 'train') and cancellation, and the
 * evaluation against buy-and-hold and a random policy.
 */
import { z } from 'zod';
import { timeframeSchema } from '../domain/market';
import { evaluationReportSchema, policyActionSchema, policyDecisionSchema, policyStatusSchema } from '../domain/policy';
import { tickerSchema } from '../settings';
import { event, method, noInput } from './define';

const daySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day is YYYY-MM-DD');

/** What to train on: the bars imported into the bar store, or a slice of the seeded synthetic market. */
export const policyTrainInputSchema = z.object({
  source: z.enum(['imported', 'synthetic']).default('imported'),
  /** Symbols to train on. Imported: default every stored series of the timeframe. Synthetic: default the watchlist. */
  symbols: z.array(tickerSchema).min(1).max(50).optional(),
  timeframe: timeframeSchema.default('1d'),
  /** Training seed: the same seed and data give the same model, bit for bit. */
  seed: z.number().int().min(0).max(0xffff_ffff).default(7),
  /** Upper bound on episodes; early stopping on the validation period usually ends sooner. */
  episodes: z.number().int().min(1).max(5000).default(200),
  /** Synthetic only: the market's seed and the calendar days to generate. */
  syntheticSeed: z.number().int().min(0).max(0xffff_ffff).default(42),
  fromDay: daySchema.default('2010-01-01'),
  toDay: daySchema.default('2021-12-31'),
});
export type PolicyTrainInput = z.input<typeof policyTrainInputSchema>;
export type PolicyTrainArgs = z.output<typeof policyTrainInputSchema>;

export const policyMethods = {
  'policy.status': method({
    summary: 'The policy model in use (file, version, origin), its execution provider, warnings, metrics and training.',
    input: noInput,
    output: policyStatusSchema,
  }),
  'policy.actions': method({
    summary:
      "The policy's action and Q-values per symbol at its latest bar, all symbols in one batched inference (default: the watchlist).",
    input: z
      .object({
        symbols: z.array(tickerSchema).min(1).max(500).optional(),
        timeframe: timeframeSchema.default('1d'),
        /** The position each state assumes per symbol (default flat); the desk passes the broker's positions. */
        positions: z.record(z.string(), policyActionSchema).optional(),
      })
      .optional(),
    output: z.object({
      modelVersion: z.string(),
      provider: z.string(),
      decisions: z.array(policyDecisionSchema),
    }),
  }),
  'policy.train': method({
    summary:
      'Retrains the policy in the background (worker thread) and switches to the new model when done; progress as onProgress (kind train).',
    input: policyTrainInputSchema,
    output: z.object({ taskId: z.string() }),
  }),
  'policy.cancelTraining': method({
    summary: 'Cancels the running training; the model in use stays.',
    input: z.object({ taskId: z.string().optional() }).optional(),
    output: z.object({ cancelled: z.boolean() }),
  }),
  'policy.evaluate': method({
    summary:
      "The policy against buy-and-hold and a random policy on held-out data (the test period), with the broker's costs.",
    input: z
      .object({
        source: z.enum(['imported', 'synthetic']).default('synthetic'),
        symbols: z.array(tickerSchema).min(1).max(50).optional(),
        timeframe: timeframeSchema.default('1d'),
      })
      .optional(),
    output: evaluationReportSchema,
  }),
  'policy.reload': method({
    summary:
      'Reloads the policy model from disk; with useDefault, deletes the retrained model and goes back to the shipped one.',
    input: z.object({ useDefault: z.boolean().default(false) }).optional(),
    output: policyStatusSchema,
  }),
} as const;

export const policyEvents = {
  onPolicyChanged: event({
    summary: 'The policy model changed (retrained, reloaded, failed to load): the new status.',
    payload: policyStatusSchema,
  }),
} as const;

export type PolicyMethods = typeof policyMethods;
export type PolicyMethodName = keyof PolicyMethods;
export type PolicyMethodInput<M extends PolicyMethodName> = z.input<PolicyMethods[M]['input']>;
export type PolicyMethodArgs<M extends PolicyMethodName> = z.output<PolicyMethods[M]['input']>;
export type PolicyMethodOutput<M extends PolicyMethodName> = z.output<PolicyMethods[M]['output']>;
