import { defaultBrokerConfig } from '../../../shared/domain/broker';
import type { PolicyCostModel } from '../../../shared/domain/policy';
import { toE4 } from '../../../shared/money';
import { type BarE4, commissionDue, withCost } from '../broker/fill-rules';

/**
 * The paper broker's default costs ($0.005 a share, $1 minimum, 2 bp spread of which a market order pays half,
 * 1 bp slippage). Shorting is on: the policy's "short" action needs a margin account (the broker's `allowShort`);
 * on an account without it, "short" can only close a long.
 */
export const DEFAULT_COST_MODEL: PolicyCostModel = {
  commissionPerShareE4: defaultBrokerConfig.commissionPerShareE4,
  commissionMinE4: defaultBrokerConfig.commissionMinE4,
  spreadBps: defaultBrokerConfig.spreadBps,
  slippageBps: defaultBrokerConfig.slippageBps,
  allowShort: true,
};

/** What a market order pays against the open: half the spread plus the slippage, in bps (the broker's rule). */
export function marketCostBps(model: PolicyCostModel): number {
  return model.spreadBps / 2 + model.slippageBps;
}

/** A bar's open, high and low in E4, converted exactly as the broker converts bars. */
export function barToE4(bar: { t: number; o: number; h: number; l: number; c: number; v: number }): BarE4 {
  return {
    t: bar.t,
    openE4: toE4(bar.o),
    highE4: toE4(bar.h),
    lowE4: toE4(bar.l),
    closeE4: toE4(bar.c),
    volume: bar.v,
  };
}

/**
 * A market order's fill price on `bar`, in E4: the broker's own `withCost` (the open moved against the trader,
 * kept inside the bar's range).
 */
export function marketFillPriceE4(model: PolicyCostModel, side: 'buy' | 'sell', bar: BarE4): number {
  return withCost(bar.openE4, side === 'buy', marketCostBps(model), bar);
}

/** Commission for one order of `qty` shares filled at once, in E4 (the broker's per-share rule with a minimum). */
export function orderCommissionE4(model: PolicyCostModel, qty: number): number {
  if (qty <= 0) return 0;
  return commissionDue(qty, 0, model.commissionPerShareE4, model.commissionMinE4);
}
