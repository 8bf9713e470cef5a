import { describe, expect, it } from 'vitest';
import type { Fill } from '../../../shared/domain/broker';
import { roundTrips } from './round-trips';

let id = 0;
const fill = (
  side: 'buy' | 'sell',
  qty: number,
  price: number,
  positionAfter: number,
  realized = 0,
  commission = 0,
): Fill => ({
  id: ++id,
  orderId: id,
  symbol: 'X',
  side,
  qty,
  priceE4: price * 10_000,
  commissionE4: commission,
  realizedPnlE4: realized,
  positionAfter,
  t: id * 1000,
});

describe('round trips', () => {
  it('groups fills from flat to flat, splitting a flip and its commission', () => {
    const trips = roundTrips([
      fill('buy', 10, 100, 10, 0, 10_000),
      fill('buy', 10, 110, 20, 0, 10_000),
      fill('sell', 30, 120, -10, 300_000, 30_000),
      fill('buy', 10, 100, 0, 200_000, 10_000),
      fill('buy', 5, 100, 5),
    ]);
    expect(trips).toHaveLength(3);
    const [long, short, open] = trips;
    // Long 20 at an average of $105, sold at $120: $300 realised, less $20 + 2/3 of $30 commission.
    expect(long).toMatchObject({
      side: 'long',
      entryQty: 20,
      exitQty: 20,
      entryPriceE4: 1_050_000,
      exitPriceE4: 1_200_000,
      netPnlE4: 300_000 - 20_000 - 20_000,
      commissionE4: 40_000,
      maxQty: 20,
    });
    expect(long?.returnPct).toBeCloseTo((260_000 / 21_000_000) * 100, 10);
    expect(short).toMatchObject({ side: 'short', entryQty: 10, entryPriceE4: 1_200_000, exitPriceE4: 1_000_000 });
    expect(short?.netPnlE4).toBe(200_000 - 10_000 - 10_000);
    expect(open).toMatchObject({ side: 'long', exitT: null, exitPriceE4: null, entryQty: 5 });
  });

  it('refuses fills whose positions do not add up', () => {
    expect(() => roundTrips([fill('buy', 10, 100, 11)])).toThrow(/does not follow/);
  });
});
