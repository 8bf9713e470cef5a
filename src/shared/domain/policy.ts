/**
 * The DQN trading policy as every part of the app sees it: its actions, the feature specification its input is
 * built from, the metadata stored inside each exported ONNX model, and the evaluation report.
 */
import { z } from 'zod';

/** The policy's actions, in the order of the network's outputs. Each is a target position, not a trade. */
export const policyActions = ['short', 'flat', 'long'] as const;
export const policyActionSchema = z.enum(policyActions);
export type PolicyAction = z.infer<typeof policyActionSchema>;

/** The signed position each action asks for (short -1, flat 0, long +1). */
export const actionTargetPosition: Record<PolicyAction, -1 | 0 | 1> = { short: -1, flat: 0, long: 1 };

/** What each action means, as written into the model's metadata and shown in the desk. */
export const actionMeanings: Record<PolicyAction, string> = {
  short: 'hold a short position of one unit of account equity (sell to open, or sell through a long)',
  flat: 'hold no position (close whatever is open)',
  long: 'hold a long position of one unit of account equity (buy to open, or buy through a short)',
};

/** How one raw feature is scaled into the network's input: divide by `scale`, then clip to ±`clip`. */
export const featureNormalisationSchema = z.object({
  kind: z.literal('scale-clip'),
  scale: z.number().positive(),
  clip: z.number().positive(),
});

/** One named input feature: what it measures, where it comes from, and how it is normalised. */
export const featureDefSchema = z.object({
  name: z.string(),
  description: z.string(),
  /** The InternLM2 stream indicator(s) it is computed from. */
  source: z.string(),
  normalisation: featureNormalisationSchema,
});
export type FeatureDef = z.infer<typeof featureDefSchema>;

/**
 * The versioned recipe of a policy's input. A model is only run on states built by the same spec: the runtime
 * refuses a model whose spec version or state size differs from the code's.
 */
export const featureSpecSchema = z.object({
  version: z.string(),
  /** How many consecutive bars of features the state holds (the newest last). */
  window: z.number().int().positive(),
  features: z.array(featureDefSchema).min(1),
  /** The position part of the state: one-hot over the actions' target positions. */
  position: z.literal('one-hot short/flat/long'),
  /** window × features + 3. */
  stateSize: z.number().int().positive(),
  /** Bars of history the stream needs before the first state is defined. */
  warmupBars: z.number().int().nonnegative(),
});
export type FeatureSpec = z.infer<typeof featureSpecSchema>;

/** The costs a trade pays, the paper broker's cost model (see `src/shared/domain/broker.ts`). */
export const policyCostModelSchema = z.object({
  commissionPerShareE4: z.number().int().nonnegative(),
  commissionMinE4: z.number().int().nonnegative(),
  spreadBps: z.number().nonnegative(),
  slippageBps: z.number().nonnegative(),
  /** Whether "short" can open a short (a margin account); without it, short means flat. */
  allowShort: z.boolean(),
});
export type PolicyCostModel = z.infer<typeof policyCostModelSchema>;

/** Performance of one policy over one period, with costs. */
export const performanceSchema = z.object({
  /** Final equity / starting equity - 1. */
  totalReturn: z.number(),
  /** Annualised Sharpe ratio of per-bar returns (risk-free rate 0). */
  sharpe: z.number(),
  /** Largest peak-to-trough fall of equity, as a positive fraction. */
  maxDrawdown: z.number(),
  /** Traded notional / starting equity, summed over the period. */
  turnover: z.number(),
  trades: z.number().int().nonnegative(),
  costsPaid: z.number().nonnegative(),
  bars: z.number().int().nonnegative(),
});
export type Performance = z.infer<typeof performanceSchema>;

/** Training metadata stored in every exported model and in its side-car JSON. */
export const policyModelMetadataSchema = z.object({
  format: z.literal('swaggy-dqn-policy'),
  /** Model version: `dqn-<featureSpec.version>-<first 12 hex of the weights' sha256>`; cache keys use it. */
  version: z.string(),
  featureSpec: featureSpecSchema,
  actions: z.array(z.object({ index: z.number().int(), name: policyActionSchema, meaning: z.string() })),
  inputName: z.string(),
  outputName: z.string(),
  hidden: z.array(z.number().int().positive()),
  /** sha256 over the training data (symbols, timeframe and every bar), hex. */
  dataHash: z.string(),
  data: z.object({
    /** Human-readable origin: "synthetic market seed 42" or "imported". */
    source: z.string(),
    timeframe: z.string(),
    symbols: z.array(z.string()),
    bars: z.number().int().nonnegative(),
    /** For a synthetic data set, what regenerates it exactly (evaluate uses it to find the held-out period). */
    synthetic: z
      .object({ seed: z.number().int(), timeframe: z.string(), fromDay: z.string(), toDay: z.string() })
      .nullable(),
  }),
  costModel: policyCostModelSchema,
  training: z.record(z.string(), z.unknown()),
  metrics: z.object({
    train: performanceSchema.nullable(),
    validation: performanceSchema,
    bestEpisode: z.number().int().nonnegative(),
    episodesRun: z.number().int().nonnegative(),
    stoppedEarly: z.boolean(),
  }),
});
export type PolicyModelMetadata = z.infer<typeof policyModelMetadataSchema>;

/** The policy's state as the desk and `doctor` show it. */
export const policyStatusSchema = z.object({
  /** True when a model is loaded and decisions are available. */
  available: z.boolean(),
  /** The model file in use (or the one that failed to load). */
  modelFile: z.string().nullable(),
  /** Where the model came from: shipped with the app, or retrained by the user. */
  origin: z.enum(['default', 'user']).nullable(),
  version: z.string().nullable(),
  /** The execution provider that runs it (cuda, dml, coreml, webgpu or cpu). */
  provider: z.string().nullable(),
  /** Providers tried and why each earlier one was skipped; model problems. */
  warnings: z.array(z.string()),
  /** Why the policy is unavailable, when it is. */
  error: z.string().nullable(),
  metadata: policyModelMetadataSchema.nullable(),
  training: z
    .object({ taskId: z.string(), state: z.enum(['running', 'done', 'failed', 'cancelled']), message: z.string() })
    .nullable(),
});
export type PolicyStatus = z.infer<typeof policyStatusSchema>;

/** The policy's decision for one symbol at its latest bar. */
export const policyDecisionSchema = z.object({
  symbol: z.string(),
  /** Open time of the bar the state ends at. */
  t: z.number().int().nullable(),
  action: policyActionSchema.nullable(),
  /** Q-values in action order (short, flat, long). */
  qValues: z.array(z.number()),
  /** The position the state assumed. */
  position: policyActionSchema,
  cached: z.boolean(),
  /** Why there is no decision (too few bars, no data). */
  reason: z.string().nullable(),
});
export type PolicyDecision = z.infer<typeof policyDecisionSchema>;

/** One row of the evaluation table: one policy on one data set's held-out period. */
export const evaluationRowSchema = z.object({
  dataset: z.string(),
  policy: z.enum(['dqn', 'buy-and-hold', 'random']),
  performance: performanceSchema,
});
export type EvaluationRow = z.infer<typeof evaluationRowSchema>;

export const evaluationReportSchema = z.object({
  modelVersion: z.string(),
  modelFile: z.string(),
  rows: z.array(evaluationRowSchema),
  /** SVG files of the equity curves, one per data set. */
  plots: z.array(z.string()),
  notes: z.array(z.string()),
});
export type EvaluationReport = z.infer<typeof evaluationReportSchema>;
