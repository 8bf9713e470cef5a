import { defaultBrokerConfig } from '../../../shared/domain/broker';
import type { PolicyCostModel } from '../../../shared/domain/policy';
import { toE4 } from '../../../shared/money';
import type { BarE4 } from '../broker/fill-rules';
import { marketCostBps, marketFillPriceE4, orderCommissionE4 } from './cost-model';

/** A market order the account places at a bar's close, to fill at the next bar's open. */
export interface AccountOrder {
  side: 'buy' | 'sell';
  qty: number;
  /** True when the order opens a position (it needs buying power); false when it only closes one. */
  opening: boolean;
}

/** One fill the account made. */
export interface AccountFill {
  side: 'buy' | 'sell';
  qty: number;
  priceE4: number;
  commissionE4: number;
}

/** Largest q in [0, max] with ok(q), for a predicate that holds up to some point and fails after it. */
function largest(max: number, ok: (q: number) => boolean): number {
  if (max <= 0) return 0;
  if (ok(max)) return max;
  let lo = 0;
  let hi = max;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * A one-symbol account that the environment and the evaluation trade through. It is the paper broker's arithmetic
 * for market orders on one symbol, in memory (training cannot afford a SQLite transaction per step):
 *
 * - the order is sized at the decision bar's close: all the equity the broker's pre-trade check allows, i.e. the
 *   largest quantity whose value at the close moved by the market cost (half the spread plus slippage) plus its
 *   commission fits the cash (`checkRisk`);
 * - it fills at the next bar's open moved by the same cost and kept inside the bar (`decideFill`/`withCost`), and
 *   only as much as the account can carry at that price (a gap up can shrink a buy: `carryableQty`), with the
 *   per-share commission and its minimum (`commissionDue`); money in integer E4 throughout;
 * - one order per bar, and a reversal first closes: the broker's pre-trade check does not count the shares being
 *   closed towards a new opposite position, so long → short is a sell to flat, then a short sale at the next bar.
 *
 * The broker's volume cap (10% of a bar's volume by default) is not modelled: a $100,000 account trades a tiny
 * share of any listed stock's daily volume.
 */
export class TradingAccount {
  cashE4: number;
  shares = 0;
  costsE4 = 0;
  tradedNotionalE4 = 0;
  trades = 0;

  constructor(
    readonly startingCashE4: number,
    readonly costModel: PolicyCostModel,
  ) {
    this.cashE4 = startingCashE4;
  }

  /** Cash plus the position marked at `price` (dollars, converted like the broker's marks), in E4. */
  equityE4(price: number): number {
    return this.cashE4 + this.shares * toE4(price);
  }

  /** Signed position as a target: -1, 0 or +1. */
  get direction(): -1 | 0 | 1 {
    return this.shares > 0 ? 1 : this.shares < 0 ? -1 : 0;
  }

  /**
   * The market order that moves towards `target` (-1 short, 0 flat, +1 long), decided at a bar whose close is
   * `closePrice`; null when nothing is to trade (already there, or short without shorting, or no buying power).
   */
  orderFor(target: -1 | 0 | 1, closePrice: number): AccountOrder | null {
    const want = target === -1 && !this.costModel.allowShort ? 0 : target;
    const have = this.direction;
    if (want === have) return null;
    if (have !== 0) {
      // Flat, or the first leg of a reversal: close what is held.
      return { side: have > 0 ? 'sell' : 'buy', qty: Math.abs(this.shares), opening: false };
    }
    const refE4 = Math.round(toE4(closePrice) * (1 + marketCostBps(this.costModel) / 10_000));
    const cash = this.cashE4;
    const qty = largest(Math.floor(cash / refE4), (q) => q * refE4 + orderCommissionE4(this.costModel, q) <= cash);
    if (qty === 0) return null;
    return { side: want > 0 ? 'buy' : 'sell', qty, opening: true };
  }

  /** Fills `order` on `bar` (the bar after the decision) as the broker would; null when nothing could fill. */
  fill(order: AccountOrder, bar: BarE4): AccountFill | null {
    const priceE4 = marketFillPriceE4(this.costModel, order.side, bar);
    let qty = order.qty;
    if (order.opening) {
      const model = this.costModel;
      const cash = this.cashE4;
      // A buy must leave cash >= 0; a short sale must leave its value plus the initial margin (Reg T 50%) in cash.
      const shortCover = 1 + defaultBrokerConfig.initialMarginRate;
      qty =
        order.side === 'buy'
          ? largest(qty, (q) => cash - q * priceE4 - orderCommissionE4(model, q) >= 0)
          : largest(
              qty,
              (q) => cash + q * priceE4 - orderCommissionE4(model, q) - Math.ceil(shortCover * q * priceE4) >= 0,
            );
    }
    if (qty === 0) return null;
    const commission = orderCommissionE4(this.costModel, qty);
    const notional = qty * priceE4;
    this.cashE4 += (order.side === 'buy' ? -notional : notional) - commission;
    this.shares += order.side === 'buy' ? qty : -qty;
    // Costs are the commission plus what the spread and slippage took from the open.
    this.costsE4 += commission + qty * Math.abs(priceE4 - bar.openE4);
    this.tradedNotionalE4 += notional;
    this.trades++;
    return { side: order.side, qty, priceE4, commissionE4: commission };
  }

  /** Decides at `closePrice` and fills on `nextBar`: one step of the policy. */
  moveTo(target: -1 | 0 | 1, closePrice: number, nextBar: BarE4): AccountFill | null {
    const order = this.orderFor(target, closePrice);
    return order ? this.fill(order, nextBar) : null;
  }
}
