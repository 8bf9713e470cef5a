import type { Fill } from '../../../shared/domain/broker';
import { notionalE4 } from '../../../shared/money';

/** One trade from flat to flat (or still open at the end of the data). */
export interface RoundTrip {
  symbol: string;
  side: 'long' | 'short';
  entryT: number;
  /** Null while the position is still open. */
  exitT: number | null;
  /** Largest absolute position during the trade. */
  maxQty: number;
  /** Shares bought (long) or sold short, and their volume-weighted price. */
  entryQty: number;
  entryPriceE4: number;
  exitQty: number;
  exitPriceE4: number | null;
  /** Realised P&L less every commission of the trade (open trades: realised so far). */
  netPnlE4: number;
  commissionE4: number;
  /** Net P&L over the money the entries cost. */
  returnPct: number;
  fills: number;
}

interface Building {
  trip: RoundTrip;
  entryNotional: number;
  exitNotional: number;
  qty: number;
}

/**
 * Groups fills into round trips per symbol: a trade opens when the position leaves zero and closes when it
 * returns there. A fill that flips the position closes one trade and opens the next, its commission split by shares.
 */
export function roundTrips(fills: readonly Fill[]): RoundTrip[] {
  const done: RoundTrip[] = [];
  const open = new Map<string, Building>();
  for (const f of fills) {
    const signed = f.side === 'buy' ? f.qty : -f.qty;
    let b = open.get(f.symbol);
    const before = b?.qty ?? 0;
    const after = f.positionAfter;
    const closing = before !== 0 && Math.sign(signed) !== Math.sign(before) ? Math.min(f.qty, Math.abs(before)) : 0;
    const opening = f.qty - closing;
    if (b && closing > 0) {
      const commission = Math.round((f.commissionE4 * closing) / f.qty);
      b.exitNotional += notionalE4(closing, f.priceE4);
      b.trip.exitQty += closing;
      b.trip.netPnlE4 += f.realizedPnlE4 - commission;
      b.trip.commissionE4 += commission;
      b.trip.fills++;
      b.qty = before + Math.sign(signed) * closing;
      if (b.qty === 0) {
        finish(b, f.t);
        done.push(b.trip);
        open.delete(f.symbol);
        b = undefined;
      }
    }
    if (opening > 0) {
      const commission = f.commissionE4 - Math.round((f.commissionE4 * closing) / f.qty);
      if (!b) {
        b = {
          trip: {
            symbol: f.symbol,
            side: signed > 0 ? 'long' : 'short',
            entryT: f.t,
            exitT: null,
            maxQty: 0,
            entryQty: 0,
            entryPriceE4: 0,
            exitQty: 0,
            exitPriceE4: null,
            netPnlE4: 0,
            commissionE4: 0,
            returnPct: 0,
            fills: 0,
          },
          entryNotional: 0,
          exitNotional: 0,
          qty: 0,
        };
        open.set(f.symbol, b);
      }
      b.entryNotional += notionalE4(opening, f.priceE4);
      b.trip.entryQty += opening;
      b.trip.netPnlE4 -= commission;
      b.trip.commissionE4 += commission;
      b.trip.fills++;
      b.qty += Math.sign(signed) * opening;
    }
    if (b) {
      b.trip.maxQty = Math.max(b.trip.maxQty, Math.abs(b.qty));
      if (b.qty !== after) throw new Error(`Fill ${f.id}: position ${after} does not follow from the fills (${b.qty})`);
    }
  }
  for (const b of open.values()) {
    finish(b, null);
    done.push(b.trip);
  }
  return done.sort((a, b) => a.entryT - b.entryT);
}

function finish(b: Building, exitT: number | null): void {
  const t = b.trip;
  t.exitT = exitT;
  t.entryPriceE4 = t.entryQty > 0 ? Math.round(b.entryNotional / t.entryQty) : 0;
  t.exitPriceE4 = t.exitQty > 0 ? Math.round(b.exitNotional / t.exitQty) : null;
  t.returnPct = b.entryNotional > 0 ? (t.netPnlE4 / b.entryNotional) * 100 : 0;
}
