import { describe, expect, it } from 'vitest';
import { positionSizingResultSchema } from '../../../../shared/domain/analysis';
import { AppError } from '../../../../shared/result';
import { fixedFractionalSize, kellyFraction, kellySize, volatilityTargetSize } from './sizing';

function expectBadInput(fn: () => unknown, message: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('BAD_INPUT');
    expect((e as AppError).message).toMatch(message);
    return;
  }
  expect.fail('expected a BAD_INPUT AppError');
}

describe('fixed-fractional sizing', () => {
  it('risks the given fraction of equity between entry and stop', () => {
    const r = fixedFractionalSize({ equity: 100_000, riskFraction: 0.01, entryPrice: 50, stopPrice: 48 });
    expect(positionSizingResultSchema.parse(r)).toEqual(r);
    expect(r.shares).toBe(500);
    expect(r.riskAmount).toBe(1000);
    expect(r.notional).toBe(25_000);
    expect(r.fraction).toBe(0.25);
    expect(r.capped).toBe(false);
    // A short (stop above entry) sizes the same way.
    expect(fixedFractionalSize({ equity: 100_000, riskFraction: 0.01, entryPrice: 50, stopPrice: 52 }).shares).toBe(
      500,
    );
  });

  it('rounds down to whole lots and respects the position cap', () => {
    expect(
      fixedFractionalSize({ equity: 100_000, riskFraction: 0.01, entryPrice: 50, stopPrice: 48.3, lotSize: 100 })
        .shares,
    ).toBe(500);
    const tight = fixedFractionalSize({ equity: 100_000, riskFraction: 0.01, entryPrice: 50, stopPrice: 49.9 });
    // 10 000 shares by risk, but that is 5× equity: capped at 100% (2000 shares).
    expect(tight.shares).toBe(2000);
    expect(tight.capped).toBe(true);
    expect(tight.riskAmount).toBeCloseTo(200, 9);
    const capped = fixedFractionalSize({
      equity: 100_000,
      riskFraction: 0.01,
      entryPrice: 50,
      stopPrice: 48,
      maxPositionFraction: 0.2,
    });
    expect(capped.shares).toBe(400);
    expect(capped.assumptions.find((a) => a.input === 'maxPositionFraction')?.source).toBe('user');
  });

  it('refuses a stop at the entry, and impossible numbers', () => {
    expectBadInput(
      () => fixedFractionalSize({ equity: 1e5, riskFraction: 0.01, entryPrice: 50, stopPrice: 50 }),
      /no distance/,
    );
    expectBadInput(
      () => fixedFractionalSize({ equity: -1, riskFraction: 0.01, entryPrice: 50, stopPrice: 48 }),
      /Equity/,
    );
    expectBadInput(
      () => fixedFractionalSize({ equity: 1e5, riskFraction: 2, entryPrice: 50, stopPrice: 48 }),
      /Risk fraction/,
    );
    expectBadInput(
      () => fixedFractionalSize({ equity: 1e5, riskFraction: 0.01, entryPrice: 50, stopPrice: 48, lotSize: 0.5 }),
      /Lot size/,
    );
  });
});

describe('Kelly sizing', () => {
  it('computes p − (1 − p)/b, the fraction that maximises expected log growth', () => {
    expect(kellyFraction(0.55, 1)).toBeCloseTo(0.1, 12);
    expect(kellyFraction(0.4, 2)).toBeCloseTo(0.1, 12);
    const growth = (f: number, p: number, b: number) => p * Math.log(1 + b * f) + (1 - p) * Math.log(1 - f);
    for (const [p, b] of [
      [0.55, 1],
      [0.6, 1.5],
      [0.35, 3],
    ] as const) {
      const f = kellyFraction(p, b);
      expect(growth(f, p, b)).toBeGreaterThan(growth(f + 0.01, p, b));
      expect(growth(f, p, b)).toBeGreaterThan(growth(f - 0.01, p, b));
    }
  });

  it('bets half Kelly by default, caps it, and bets nothing without an edge', () => {
    const half = kellySize({ equity: 100_000, price: 100, winProbability: 0.55, winLossRatio: 1 });
    expect(half.shares).toBe(50);
    expect(half.fraction).toBeCloseTo(0.05, 12);
    expect(half.assumptions[0]?.note).toMatch(/Full Kelly is 10.0% of equity; half Kelly used/);
    const capped = kellySize({ equity: 100_000, price: 100, winProbability: 0.9, winLossRatio: 2, kellyMultiplier: 1 });
    expect(capped.capped).toBe(true);
    expect(capped.fraction).toBeCloseTo(0.25, 12);
    const none = kellySize({ equity: 100_000, price: 100, winProbability: 0.4, winLossRatio: 1 });
    expect(none.shares).toBe(0);
    expect(none.assumptions[0]?.note).toMatch(/no edge/);
    expectBadInput(
      () => kellySize({ equity: 1e5, price: 100, winProbability: 1.2, winLossRatio: 1 }),
      /Win probability/,
    );
  });
});

describe('volatility targeting', () => {
  it('sizes to target ÷ asset volatility of equity, capped by leverage', () => {
    const r = volatilityTargetSize({ equity: 100_000, price: 50, targetVolatility: 0.1, assetVolatility: 0.4 });
    expect(r.shares).toBe(500);
    expect(r.fraction).toBeCloseTo(0.25, 12);
    const calm = volatilityTargetSize({ equity: 100_000, price: 50, targetVolatility: 0.5, assetVolatility: 0.2 });
    expect(calm.capped).toBe(true);
    expect(calm.shares).toBe(2000);
    const levered = volatilityTargetSize({
      equity: 100_000,
      price: 50,
      targetVolatility: 0.5,
      assetVolatility: 0.2,
      maxLeverage: 3,
    });
    expect(levered.shares).toBe(5000);
    expectBadInput(
      () => volatilityTargetSize({ equity: 1e5, price: 50, targetVolatility: 0.1, assetVolatility: 0 }),
      /Asset volatility/,
    );
  });
});
