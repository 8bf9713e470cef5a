import { notionalE4 } from '../../../shared/money';

/** A position as its cost basis: signed quantity and signed cost of the open shares (integer E4). */
export interface Holding {
  qty: number;
  costE4: number;
}

export interface HoldingAfterFill extends Holding {
  /** Profit or loss realised by the shares this fill closed (before commission). */
  realizedE4: number;
}

/**
 * Applies one fill to a holding by average cost. Cost is kept as a total, not an average price, so the books stay
 * exact in integers: closing `q` of `Q` shares releases `round(cost × q / Q)` of the cost, and
 * `cash + Σ cost = starting cash + realised − commissions` holds after every fill. A fill that crosses zero closes
 * the old side completely and opens the new side at the fill price.
 */
export function applyFill(holding: Holding, side: 'buy' | 'sell', qty: number, priceE4: number): HoldingAfterFill {
  const signed = side === 'buy' ? qty : -qty;
  const { qty: q0, costE4: c0 } = holding;
  if (q0 === 0 || Math.sign(q0) === Math.sign(signed)) {
    return { qty: q0 + signed, costE4: c0 + Math.sign(signed) * notionalE4(qty, priceE4), realizedE4: 0 };
  }
  const closing = Math.min(qty, Math.abs(q0));
  const released = closing === Math.abs(q0) ? c0 : proRata(c0, closing, Math.abs(q0));
  // Closing a long sells for closing × price; closing a short buys back for it. Cost is signed like the position.
  const value = notionalE4(closing, priceE4);
  const realizedE4 = q0 > 0 ? value - released : -released - value;
  const opening = qty - closing;
  const qty1 = q0 + Math.sign(signed) * closing + Math.sign(signed) * opening;
  const cost1 = c0 - released + Math.sign(signed) * notionalE4(opening, priceE4);
  return { qty: qty1, costE4: cost1, realizedE4 };
}

/** round(total × part / whole) without losing integer precision on large books. */
function proRata(total: number, part: number, whole: number): number {
  const product = total * part;
  if (Number.isSafeInteger(product)) return Math.round(product / whole);
  const n = BigInt(total) * BigInt(part);
  const w = BigInt(whole);
  // Round half up, like Math.round, on the exact quotient.
  const q = n / w;
  const r = n % w;
  const twice = 2n * (r < 0n ? -r : r);
  if (r >= 0n) return Number(twice >= w ? q + 1n : q);
  return Number(twice > w ? q - 1n : q);
}
