import type { OrderSide, OrderType } from '../../../shared/domain/broker';

/** A bar in money units, as the fill rules see it. */
export interface BarE4 {
  t: number;
  openE4: number;
  highE4: number;
  lowE4: number;
  closeE4: number;
  volume: number;
}

/** What the fill rules need of an order. */
export interface FillableOrder {
  side: OrderSide;
  type: OrderType;
  limitPriceE4: number | null;
  stopPriceE4: number | null;
  /** A stop or stop-limit whose trigger traded on an earlier bar. */
  triggered: boolean;
}

/** The rules' verdict on one bar: the price it fills at (null: not this bar) and whether its stop is now triggered. */
export interface FillDecision {
  priceE4: number | null;
  triggered: boolean;
}

/**
 * Where an order would fill on a bar, by the rules a real exchange enforces on a bar-by-bar replay:
 *
 * - market: at the open, plus the spread and slippage (`costBps`) against the trader;
 * - limit buy: only when the low trades at or below the limit, at the better of open and limit (sells mirrored);
 * - stop buy: triggers when the high trades at or above the stop and fills as a market order at the stop, or at the
 *   open when the bar gaps through it (never at the better stop price), plus `costBps` (sells mirrored);
 * - stop-limit: once triggered it is a limit order; if the trigger price is inside the limit it fills there, if the
 *   bar gapped past the limit it waits for a later bar (the path inside the bar after the trigger is unknown).
 *
 * Every price is clamped into the bar's range: no fill happens at a price the bar did not trade.
 */
export function decideFill(order: FillableOrder, bar: BarE4, costBps: number): FillDecision {
  const buy = order.side === 'buy';
  switch (order.type) {
    case 'market':
      return { priceE4: withCost(bar.openE4, buy, costBps, bar), triggered: false };
    case 'limit':
      return { priceE4: limitPrice(order, bar, buy), triggered: false };
    case 'stop': {
      if (order.triggered) return { priceE4: withCost(bar.openE4, buy, costBps, bar), triggered: true };
      const at = triggerPrice(order, bar, buy);
      return at === null
        ? { priceE4: null, triggered: false }
        : { priceE4: withCost(at, buy, costBps, bar), triggered: true };
    }
    case 'stop_limit': {
      if (order.triggered) return { priceE4: limitPrice(order, bar, buy), triggered: true };
      const at = triggerPrice(order, bar, buy);
      if (at === null) return { priceE4: null, triggered: false };
      const limit = order.limitPriceE4 ?? at;
      const inside = buy ? at <= limit : at >= limit;
      return { priceE4: inside ? at : null, triggered: true };
    }
  }
}

/** Where a stop trades through on this bar (the stop, or the open when the bar gapped past it), or null. */
function triggerPrice(order: FillableOrder, bar: BarE4, buy: boolean): number | null {
  const stop = order.stopPriceE4;
  if (stop === null) return null;
  if (buy) return bar.highE4 >= stop ? Math.max(bar.openE4, stop) : null;
  return bar.lowE4 <= stop ? Math.min(bar.openE4, stop) : null;
}

function limitPrice(order: FillableOrder, bar: BarE4, buy: boolean): number | null {
  const limit = order.limitPriceE4;
  if (limit === null) return null;
  if (buy) return bar.lowE4 <= limit ? Math.min(bar.openE4, limit) : null;
  return bar.highE4 >= limit ? Math.max(bar.openE4, limit) : null;
}

/** A market price moved against the trader by `costBps`, kept inside the bar's range. */
export function withCost(priceE4: number, buy: boolean, costBps: number, bar: BarE4): number {
  const moved = Math.round(priceE4 * (buy ? 1 + costBps / 10_000 : 1 - costBps / 10_000));
  return Math.min(bar.highE4, Math.max(bar.lowE4, moved));
}

/**
 * Commission owed by an order after `filledQty` shares in total, given what it has paid already: per share, with a
 * minimum per order (so partial fills pay the minimum once, on the first fill).
 */
export function commissionDue(filledQtyAfter: number, paidE4: number, perShareE4: number, minimumE4: number): number {
  const total = Math.max(minimumE4, filledQtyAfter * perShareE4);
  return Math.max(0, total - paidE4);
}
