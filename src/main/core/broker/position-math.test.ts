import { describe, expect, it } from 'vitest';
import { applyFill } from './position-math';

describe('average-cost position maths', () => {
  it('realises P&L on the closed part and keeps the cost of the rest exact', () => {
    const a = applyFill({ qty: 0, costE4: 0 }, 'buy', 3, 1_000_000);
    const b = applyFill(a, 'buy', 1, 1_100_000);
    expect(b).toEqual({ qty: 4, costE4: 4_100_000, realizedE4: 0 });
    // Closing 1 of 4 releases a quarter of the cost (rounded), the rest stays with the 3 left.
    const c = applyFill(b, 'sell', 1, 1_200_000);
    expect(c).toEqual({ qty: 3, costE4: 3_075_000, realizedE4: 1_200_000 - 1_025_000 });
    const d = applyFill(c, 'sell', 3, 900_000);
    expect(d).toEqual({ qty: 0, costE4: 0, realizedE4: 2_700_000 - 3_075_000 });
  });

  it('handles shorts and a fill that flips the position', () => {
    const short = applyFill({ qty: 0, costE4: 0 }, 'sell', 10, 500_000);
    expect(short).toEqual({ qty: -10, costE4: -5_000_000, realizedE4: 0 });
    // Buying 15 covers 10 at a $1 profit each and opens 5 long at the fill price.
    const flipped = applyFill(short, 'buy', 15, 400_000);
    expect(flipped).toEqual({ qty: 5, costE4: 2_000_000, realizedE4: 1_000_000 });
  });

  it('stays exact in integers on books too large for doubles', () => {
    const big = { qty: 999_999_937, costE4: 900_000_000_000_000 };
    const r = applyFill(big, 'sell', 333_333_313, 9_000_000);
    const exact = (900_000_000_000_000n * 333_333_313n * 2n + 999_999_937n) / (2n * 999_999_937n);
    expect(big.costE4 - r.costE4).toBe(Number(exact));
    expect(Number.isSafeInteger(r.costE4)).toBe(true);
  });
});
