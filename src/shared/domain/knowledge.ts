/**
 * The ChatGLM slot's knowledge of US trading rules: passages of the knowledge base, answers to questions (with the
 * passage they came from), and compliance warnings on an order before it is placed.
 */
import { z } from 'zod';
import { modelInfoSchema } from './sentiment';

/** One passage of the rules knowledge base. */
export const knowledgePassageSchema = z.object({
  /** Stable id, cited by answers and order warnings (`pdt-rule`, `wash-sale`). */
  id: z.string(),
  title: z.string(),
  tags: z.array(z.string()),
  text: z.string(),
  /** Where the rule comes from, e.g. "FINRA Rule 4210(f)(8)(B)". */
  source: z.string(),
});
export type KnowledgePassage = z.infer<typeof knowledgePassageSchema>;

/** A passage used for an answer, with how well it matched. */
export const knowledgeHitSchema = z.object({
  id: z.string(),
  title: z.string(),
  source: z.string(),
  /** BM25 relevance, higher is better (SQLite reports it negated; this is flipped). */
  score: z.number(),
  /** The sentences of the passage that answer the question. */
  excerpt: z.string(),
});
export type KnowledgeHit = z.infer<typeof knowledgeHitSchema>;

/** The answer to a question: the key sentences of the best passage, and the passages it relied on. */
export const knowledgeAnswerSchema = z.object({
  question: z.string(),
  /** False when no passage matched well enough; `answer` then says so instead of guessing. */
  found: z.boolean(),
  answer: z.string(),
  /** The best passages, best first (empty when nothing matched). */
  passages: z.array(knowledgeHitSchema),
  sourceIds: z.array(z.string()),
  /** The search terms after stop words and synonyms, for explanations and debugging. */
  terms: z.array(z.string()),
  model: modelInfoSchema,
});
export type KnowledgeAnswer = z.infer<typeof knowledgeAnswerSchema>;

/**
 * The order to check, in the broker's order shape. Prices are in dollars as the order ticket takes them; extra
 * fields of a broker order are ignored, so a broker order can be passed as it is.
 */
export const orderToCheckSchema = z.object({
  symbol: z.string().trim().toUpperCase().min(1),
  side: z.enum(['buy', 'sell']),
  qty: z.number().positive(),
  type: z.enum(['market', 'limit', 'stop', 'stop_limit']),
  limitPrice: z.number().positive().optional(),
  stopPrice: z.number().positive().optional(),
});
export type OrderToCheck = z.infer<typeof orderToCheckSchema>;

/** A past fill of the account, used to count day trades and find wash sales. */
export const tradeRecordSchema = z.object({
  symbol: z.string().trim().toUpperCase(),
  side: z.enum(['buy', 'sell']),
  qty: z.number().positive(),
  /** Execution time, UTC epoch ms. */
  tMs: z.number().int(),
  priceE4: z.number().int().positive().optional(),
});
export type TradeRecord = z.infer<typeof tradeRecordSchema>;

/** A sale at a loss in the last weeks; a purchase of the same symbol within 30 days makes it a wash sale. */
export const lossSaleSchema = z.object({
  symbol: z.string().trim().toUpperCase(),
  tMs: z.number().int(),
  qty: z.number().positive(),
  /** The realised loss, a positive number of E4 units ($1 = 10,000). */
  lossE4: z.number().int().positive(),
});
export type LossSale = z.infer<typeof lossSaleSchema>;

export const marketSessions = ['pre', 'regular', 'post', 'closed'] as const;
export type MarketSession = (typeof marketSessions)[number];

/**
 * The account and market state an order is checked against. Only `accountType`, `nowMs` and `equityE4` are
 * required; a rule whose inputs are missing is skipped, never guessed.
 */
export const orderContextSchema = z.object({
  accountType: z.enum(['cash', 'margin']),
  /** Market time of the check (the replay or market clock), UTC epoch ms. */
  nowMs: z.number().int(),
  /** Account equity (net liquidation value), E4 units. */
  equityE4: z.number().int(),
  /** Settled cash available to buy with (cash accounts), E4 units. */
  settledCashE4: z.number().int().optional(),
  /** Proceeds of sales that have not settled yet (cash accounts), E4 units. */
  unsettledCashE4: z.number().int().nonnegative().optional(),
  /** Buying power as the broker computes it, E4 units; when absent it is derived from Reg T (50%). */
  buyingPowerE4: z.number().int().optional(),
  /** Initial (Reg T) requirement of the positions already held, E4 units; 0 when absent. */
  marginRequirementE4: z.number().int().nonnegative().optional(),
  /** Last trade price of the symbol, E4 units: prices market and stop orders. */
  lastPriceE4: z.number().int().positive().optional(),
  /** Shares of the symbol held now (negative when short). */
  positionQty: z.number().optional(),
  /** Average cost of the held shares, E4 units: tells whether a sale realises a loss. */
  avgCostE4: z.number().int().positive().optional(),
  /** Shares of the symbol bought with unsettled funds and not yet paid for with settled cash (cash accounts). */
  unsettledBoughtQty: z.number().nonnegative().optional(),
  /** Day trades in the last five business days before this order, if the broker counts them. */
  dayTradeCount: z.number().int().nonnegative().optional(),
  /** Fills of the last weeks: day trades are counted from them when `dayTradeCount` is absent. */
  trades: z.array(tradeRecordSchema).optional(),
  /** Sales at a loss in the last 30 days. */
  lossSales: z.array(lossSaleSchema).optional(),
  /** The symbol's change from the prior close, in percent (-12.5 means down 12.5%). */
  changeFromPriorClosePct: z.number().optional(),
  /** True when the short-sale restriction is known to be in force (triggered today or on the previous day). */
  shortSaleRestricted: z.boolean().optional(),
  /** Whether the broker has located shares to borrow; unknown when absent. */
  locateAvailable: z.boolean().optional(),
  /** The session now; derived from `nowMs` in New York time when absent (holidays are not known). */
  session: z.enum(marketSessions).optional(),
  /** True when trading in the symbol is halted or paused (LULD, news pending). */
  halted: z.boolean().optional(),
});
export type OrderContext = z.infer<typeof orderContextSchema>;

export const orderWarningSeverities = ['block', 'warn', 'info'] as const;

/** One rule the order would break or come close to. */
export const orderWarningSchema = z.object({
  /** The rule, and the knowledge passage that explains it. */
  ruleId: z.string(),
  /**
   * `block`: the broker or the regulation would refuse it (or it breaks a rule outright); `warn`: it would trigger
   * a violation or a restriction; `info`: worth knowing before sending.
   */
  severity: z.enum(orderWarningSeverities),
  title: z.string(),
  message: z.string(),
  source: z.string(),
});
export type OrderWarning = z.infer<typeof orderWarningSchema>;

export const orderCheckSchema = z.object({
  /** False when any warning has severity `block`. */
  allowed: z.boolean(),
  warnings: z.array(orderWarningSchema),
  /** Facts the check derived (so the UI can show its working). */
  facts: z.object({
    session: z.enum(marketSessions),
    isShortSale: z.boolean(),
    isDayTrade: z.boolean(),
    dayTradesInWindow: z.number().int().nonnegative().nullable(),
    /** Price used for the order's value, E4 units, or null when unknown. */
    priceE4: z.number().int().nullable(),
    notionalE4: z.number().int().nullable(),
  }),
  model: modelInfoSchema,
});
export type OrderCheck = z.infer<typeof orderCheckSchema>;
