/**
 * The paper broker's domain: what a trader sends (an order request) and what the broker keeps (orders, fills,
 * positions, the account, the equity curve).
 *
 * Units: money is integer 1e-4 dollars (suffix `E4`, see money.ts); quantities are whole shares; times are market
 * time in UTC epoch ms (from the bars or the replay clock, never the wall clock). Prices a trader types in an
 * order request are plain dollars (`limitPrice: 187.25`); the broker converts them once, at acceptance.
 */
import { z } from 'zod';

export const orderSides = ['buy', 'sell'] as const;
export const orderSideSchema = z.enum(orderSides);
export type OrderSide = z.infer<typeof orderSideSchema>;

export const orderTypes = ['market', 'limit', 'stop', 'stop_limit'] as const;
export const orderTypeSchema = z.enum(orderTypes);
export type OrderType = z.infer<typeof orderTypeSchema>;

/** `day` orders expire at the end of the session they were placed in; `gtc` orders stay until filled or cancelled. */
export const timeInForces = ['day', 'gtc'] as const;
export const timeInForceSchema = z.enum(timeInForces);
export type TimeInForce = z.infer<typeof timeInForceSchema>;

/**
 * - `held`: a bracket exit waiting for its entry to fill; it cannot fill yet.
 * - `open`: working, nothing filled.
 * - `partially_filled`: working, some filled.
 * - `filled`, `cancelled`, `expired`: final. A cancelled or expired order may have filled part of its quantity.
 *
 * An impossible request is refused before it becomes an order (AppError `REJECTED` with the reason) and leaves
 * no trace, so there is no `rejected` status. Orders the broker has to stop later (a cash account that can no
 * longer pay at fill time, a sell whose shares are gone) end `cancelled` with `statusReason` saying why.
 */
export const orderStatuses = ['held', 'open', 'partially_filled', 'filled', 'cancelled', 'expired'] as const;
export const orderStatusSchema = z.enum(orderStatuses);
export type OrderStatus = z.infer<typeof orderStatusSchema>;

/** Statuses of orders that may still fill (held bracket exits included). */
export const workingOrderStatuses: readonly OrderStatus[] = ['held', 'open', 'partially_filled'];

/** A bracket's legs: the entry, and the two exits that cancel each other (one-cancels-other). */
export const orderRoles = ['entry', 'take_profit', 'stop_loss'] as const;
export const orderRoleSchema = z.enum(orderRoles);
export type OrderRole = z.infer<typeof orderRoleSchema>;

const dollars = z.number().describe('a price in dollars');

/**
 * What a trader asks for. Structural checks only: the broker itself refuses impossible orders (a quantity of
 * zero, an unknown symbol, a missing or non-positive price, not enough buying power) with a reason.
 */
export const orderRequestSchema = z.object({
  symbol: z.string().min(1).max(32),
  side: orderSideSchema,
  type: orderTypeSchema.default('market'),
  /** Whole shares, above zero. */
  qty: z.number(),
  /** Dollars; required for `limit` and `stop_limit`. */
  limitPrice: dollars.optional(),
  /** Dollars; the trigger of `stop` and `stop_limit`. */
  stopPrice: dollars.optional(),
  tif: timeInForceSchema.default('day'),
  /**
   * Makes this order the entry of a bracket: after it fills, a take-profit limit and a stop-loss stop (or
   * stop-limit) on the opposite side protect the filled quantity; when one exit fills, the other is cancelled.
   * Exits are good-till-cancelled, so a filled entry is never left unprotected overnight.
   */
  bracket: z
    .object({
      takeProfitLimitPrice: dollars,
      stopLossStopPrice: dollars,
      /** Turns the stop-loss into a stop-limit. */
      stopLossLimitPrice: dollars.optional(),
    })
    .optional(),
  /** The caller's own reference (a voice command id, a strategy tag); stored and shown, never interpreted. */
  clientTag: z.string().max(64).optional(),
});
export type OrderRequest = z.input<typeof orderRequestSchema>;

export const orderSchema = z.object({
  id: z.number().int(),
  symbol: z.string(),
  side: orderSideSchema,
  type: orderTypeSchema,
  tif: timeInForceSchema,
  /** Ordered quantity. For a bracket exit it follows what is left to protect: the entry's fills less exits. */
  qty: z.number().int(),
  filledQty: z.number().int(),
  /** Volume-weighted average fill price, null until something filled. */
  avgFillPriceE4: z.number().int().nullable(),
  limitPriceE4: z.number().int().nullable(),
  stopPriceE4: z.number().int().nullable(),
  /** A stop or stop-limit whose trigger has traded. */
  triggered: z.boolean(),
  status: orderStatusSchema,
  /** Why the order was cancelled or expired (by the trader, OCO, session end, buying power at fill time). */
  statusReason: z.string().nullable(),
  /** Commissions paid on this order so far. */
  commissionE4: z.number().int(),
  /** Bracket exits point at their entry. */
  parentId: z.number().int().nullable(),
  /** The two exits of a bracket share a group (the entry's id): one fill cancels the other. */
  ocoGroup: z.number().int().nullable(),
  role: orderRoleSchema.nullable(),
  clientTag: z.string().nullable(),
  createdT: z.number().int(),
  updatedT: z.number().int(),
});
export type Order = z.infer<typeof orderSchema>;

export const fillSchema = z.object({
  id: z.number().int(),
  orderId: z.number().int(),
  symbol: z.string(),
  side: orderSideSchema,
  qty: z.number().int(),
  priceE4: z.number().int(),
  commissionE4: z.number().int(),
  /** Profit or loss this fill realised by closing shares (before commission); 0 when it only opened. */
  realizedPnlE4: z.number().int(),
  /** The signed position after this fill. */
  positionAfter: z.number().int(),
  t: z.number().int(),
});
export type Fill = z.infer<typeof fillSchema>;

export const positionSchema = z.object({
  symbol: z.string(),
  /** Signed: negative is short. */
  qty: z.number().int(),
  /** Cost of the open shares, signed like `qty` (a short's is negative: the proceeds it was opened for). */
  costE4: z.number().int(),
  avgPriceE4: z.number().int().nullable(),
  /** Last known price; null when the broker never saw one. */
  markPriceE4: z.number().int().nullable(),
  marketValueE4: z.number().int(),
  unrealizedPnlE4: z.number().int(),
  /** Realised on this symbol since the account was opened or reset (before commissions). */
  realizedPnlE4: z.number().int(),
  openedT: z.number().int().nullable(),
  updatedT: z.number().int(),
});
export type Position = z.infer<typeof positionSchema>;

export const accountSummarySchema = z.object({
  accountId: z.string(),
  startingCashE4: z.number().int(),
  cashE4: z.number().int(),
  longMarketValueE4: z.number().int(),
  /** Market value of short positions, as a positive amount owed. */
  shortMarketValueE4: z.number().int(),
  /** Cash plus longs less shorts, at the last marks. */
  equityE4: z.number().int(),
  realizedPnlE4: z.number().int(),
  unrealizedPnlE4: z.number().int(),
  commissionsE4: z.number().int(),
  /** Held back for working orders that would add risk (buys, new shorts). */
  reservedE4: z.number().int(),
  /** What a new order may still use: free cash less reservations. */
  buyingPowerE4: z.number().int(),
  allowShort: z.boolean(),
  /** Equity has fallen below the maintenance margin of the shorts: only orders that reduce risk are accepted. */
  marginCall: z.boolean(),
  openOrders: z.number().int(),
  /** Market time of the last bar, mark or state change the broker saw. */
  t: z.number().int(),
});
export type AccountSummary = z.infer<typeof accountSummarySchema>;

export const equityPointSchema = z.object({
  t: z.number().int(),
  equityE4: z.number().int(),
  cashE4: z.number().int(),
});
export type EquityPoint = z.infer<typeof equityPointSchema>;

/** How the paper broker trades. Every field has a default; see {@link defaultBrokerConfig}. */
export const brokerConfigSchema = z.object({
  /** Cash a new (or reset) account starts with. */
  startingCashE4: z.number().int().positive(),
  /** Commission per share, charged on every fill. */
  commissionPerShareE4: z.number().int().nonnegative(),
  /** Minimum commission per order (charged across its fills: partial fills do not each pay the minimum). */
  commissionMinE4: z.number().int().nonnegative(),
  /** Bid-ask spread in basis points; market orders (and triggered stops) pay half of it. */
  spreadBps: z.number().nonnegative().max(1000),
  /** Extra market impact in basis points for market orders and triggered stops. */
  slippageBps: z.number().nonnegative().max(1000),
  /**
   * At most this share of a bar's volume fills (all orders on the symbol together); the rest keeps working.
   * 1 fills up to the whole bar; a bar with no volume fills nothing.
   */
  maxVolumeParticipation: z.number().positive().max(1),
  /** Allows selling shares the account does not hold (a short). Off: a cash account that never goes negative. */
  allowShort: z.boolean(),
  /** Free cash a new short must leave, as a share of its value (Reg T: 50%). */
  initialMarginRate: z.number().min(0).max(1),
  /** Equity below this share of the shorts' value is a margin call (FINRA: 30% for shorts). */
  maintenanceMarginRate: z.number().min(0).max(1),
  /** Sessions for day orders: a day order expires when market time reaches a later day in this UTC offset. */
  sessionUtcOffsetMinutes: z.number().int().min(-720).max(840),
  /** At most one stored equity point per this much market time. */
  equitySampleMs: z.number().int().positive(),
});
export type BrokerConfig = z.infer<typeof brokerConfigSchema>;

/**
 * A retail-broker-like default: $100,000, $0.005 a share with a $1 minimum, a 2 bp spread plus 1 bp slippage,
 * at most 10% of a bar's volume, no shorting (Reg T 50% / 30% when it is turned on), UTC sessions, one equity
 * point a market minute.
 */
export const defaultBrokerConfig: BrokerConfig = {
  startingCashE4: 100_000 * 10_000,
  commissionPerShareE4: 50,
  commissionMinE4: 10_000,
  spreadBps: 2,
  slippageBps: 1,
  maxVolumeParticipation: 0.1,
  allowShort: false,
  initialMarginRate: 0.5,
  maintenanceMarginRate: 0.3,
  sessionUtcOffsetMinutes: 0,
  equitySampleMs: 60_000,
};

/** Filters of `orders.list`: a group (`working`, `closed`, `all`) or one status. */
export const orderStatusFilterSchema = z.enum(['working', 'closed', 'all', ...orderStatuses]);
export type OrderStatusFilter = z.infer<typeof orderStatusFilterSchema>;

/** What `orders.replace` may change. Prices in dollars, like an order request. */
export const orderChangesSchema = z.object({
  qty: z.number().optional(),
  limitPrice: dollars.optional(),
  stopPrice: dollars.optional(),
  tif: timeInForceSchema.optional(),
});
export type OrderChanges = z.infer<typeof orderChangesSchema>;
