/**
 * What the router makes of a typed or spoken request: an intent with its entities. Typed text and recognised
 * speech take the same path from here on.
 */
import { z } from 'zod';

export const slotIds = ['internlm2', 'moonshot', 'deepseek', 'yi', 'chatglm', 'qwen', 'minimax'] as const;
export const slotIdSchema = z.enum(slotIds);
export type SlotId = z.infer<typeof slotIdSchema>;

/** Display names, as the seed calls the slots. */
export const slotNames: Record<SlotId, string> = {
  internlm2: 'InternLM2',
  moonshot: 'Moonshot',
  deepseek: 'DeepSeek',
  yi: 'Yi',
  chatglm: 'ChatGLM',
  qwen: 'Qwen',
  minimax: 'MiniMax',
};

export const orderIntentSchema = z.object({
  kind: z.literal('order'),
  side: z.enum(['buy', 'sell']),
  /** "short" and "cover" are sells and buys that open or close a short position. */
  opensShort: z.boolean(),
  qty: z.number().int().positive(),
  symbol: z.string(),
  type: z.enum(['market', 'limit', 'stop', 'stop_limit']),
  limitPrice: z.number().positive().optional(),
  stopPrice: z.number().positive().optional(),
  tif: z.enum(['day', 'gtc']),
  bracket: z.object({ takeProfit: z.number().positive(), stopLoss: z.number().positive() }).optional(),
});
export type OrderIntent = z.infer<typeof orderIntentSchema>;

export const patternKinds = [
  'bull_flag',
  'bear_flag',
  'double_top',
  'double_bottom',
  'head_and_shoulders',
  'inverse_head_and_shoulders',
  'breakout',
  'any',
] as const;
export type PatternKind = (typeof patternKinds)[number];

export const optionTermsSchema = z.object({
  right: z.enum(['call', 'put']),
  strike: z.number().positive().optional(),
  daysToExpiry: z.number().positive().optional(),
});

export const intentSchema = z.discriminatedUnion('kind', [
  orderIntentSchema,
  z.object({ kind: z.literal('price'), symbol: z.string() }),
  z.object({ kind: z.literal('technical'), symbol: z.string(), indicator: z.string().optional() }),
  z.object({ kind: z.literal('pattern'), symbol: z.string(), pattern: z.enum(patternKinds) }),
  z.object({
    kind: z.literal('math'),
    symbol: z.string().optional(),
    topic: z.enum(['option_price', 'implied_volatility', 'var', 'position_size', 'greeks']),
    option: optionTermsSchema.optional(),
    stopPrice: z.number().positive().optional(),
    optionPrice: z.number().positive().optional(),
  }),
  z.object({ kind: z.literal('sentiment'), symbol: z.string() }),
  z.object({ kind: z.literal('knowledge'), question: z.string() }),
  z.object({
    kind: z.literal('comprehensive'),
    symbol: z.string(),
    /** "should I buy Tesla calls?" asks about options on the symbol. */
    option: optionTermsSchema.optional(),
    side: z.enum(['buy', 'sell']).optional(),
  }),
  z.object({ kind: z.literal('confirm') }),
  z.object({ kind: z.literal('cancel') }),
  z.object({
    kind: z.literal('correct'),
    field: z.enum(['qty', 'limitPrice', 'stopPrice', 'symbol', 'side']),
    value: z.union([z.number(), z.string()]),
  }),
  z.object({ kind: z.literal('unknown'), reason: z.string(), suggestions: z.array(z.string()) }),
]);
export type Intent = z.infer<typeof intentSchema>;
export type IntentKind = Intent['kind'];
