import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { impliedVolResultSchema } from '../../../../shared/domain/analysis';
import { AppError } from '../../../../shared/result';
import { bsPrice, bsVegaRaw, checkOptionInputs } from './black-scholes';
import { impliedVolatility } from './implied-vol';

function badInput(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('BAD_INPUT');
    return e as AppError;
  }
  return expect.fail('expected a BAD_INPUT AppError');
}

describe('implied volatility', () => {
  it("recovers Hull's 20% from the 42/40 call and put", () => {
    const base = { spot: 42, strike: 40, rate: 0.1, timeYears: 0.5 };
    const callPrice = bsPrice(checkOptionInputs({ ...base, right: 'call', volatility: 0.2 }));
    const call = impliedVolatility({ ...base, right: 'call', price: callPrice });
    expect(impliedVolResultSchema.parse(call)).toEqual(call);
    expect(call.volatility).toBeCloseTo(0.2, 12);
    expect(Math.abs(call.priceError)).toBeLessThan(1e-10);
    // From the rounded textbook quote the answer is 20% to within the rounding.
    expect(impliedVolatility({ ...base, right: 'put', price: 0.81 }).volatility).toBeCloseTo(0.2, 2);
  });

  it('round-trips price → volatility → price over a sane domain (property test)', () => {
    fc.assert(
      fc.property(
        fc.record({
          right: fc.constantFrom('call' as const, 'put' as const),
          spot: fc.double({ min: 5, max: 2000, noNaN: true }),
          moneyness: fc.double({ min: 0.6, max: 1.5, noNaN: true }),
          timeYears: fc.double({ min: 1 / 365, max: 3, noNaN: true }),
          volatility: fc.double({ min: 0.03, max: 2.5, noNaN: true }),
          rate: fc.double({ min: 0, max: 0.12, noNaN: true }),
          dividendYield: fc.double({ min: 0, max: 0.06, noNaN: true }),
        }),
        ({ moneyness, volatility, ...rest }) => {
          const inputs = { ...rest, strike: rest.spot * moneyness };
          const x = checkOptionInputs({ ...inputs, volatility });
          const price = bsPrice(x);
          // Far out of the money with little time there is no time value to invert; the bounds check refuses it.
          const fwd = x.spot * Math.exp(-x.dividendYield * x.timeYears);
          const pvk = x.strike * Math.exp(-x.rate * x.timeYears);
          const lower = Math.max(0, x.right === 'call' ? fwd - pvk : pvk - fwd);
          fc.pre(price - lower > 1e-9 * x.spot);
          const iv = impliedVolatility({ ...inputs, price });
          const repriced = bsPrice({ ...x, volatility: iv.volatility });
          expect(Math.abs(repriced - price)).toBeLessThan(1e-9 * Math.max(1, price));
          // Where vega is meaningful the volatility itself comes back.
          if (bsVegaRaw(x) > 1e-3 * x.spot) expect(Math.abs(iv.volatility - volatility)).toBeLessThan(1e-7);
          expect(iv.iterations).toBeLessThan(200);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('falls back to bisection where Newton would overshoot, and still converges', () => {
    // A far out-of-the-money call a few hours from expiry, priced at 800% volatility: from the first guess, Newton's
    // step lands outside the bracket.
    const x = { right: 'call' as const, spot: 100, strike: 200, rate: 0.02, timeYears: 0.001 };
    const price = bsPrice(checkOptionInputs({ ...x, volatility: 8 }));
    const iv = impliedVolatility({ ...x, price });
    expect(iv.method).toBe('newton+bisection');
    expect(iv.volatility).toBeCloseTo(8, 9);
  });

  it('refuses prices outside the no-arbitrage bounds, with the bounds in the error', () => {
    const x = { spot: 100, strike: 90, rate: 0.05, timeYears: 1 };
    const fwdSpot = 100;
    const pvStrike = 90 * Math.exp(-0.05);
    // A call worth more than the stock.
    const above = badInput(() => impliedVolatility({ ...x, right: 'call', price: 101 }));
    expect(above.message).toMatch(/outside the no-arbitrage bounds/);
    expect(above.details).toEqual({ lower: fwdSpot - pvStrike, upper: fwdSpot });
    // A call worth less than its discounted intrinsic value.
    badInput(() => impliedVolatility({ ...x, right: 'call', price: fwdSpot - pvStrike - 0.01 }));
    // Exactly at the bound: no time value, no volatility.
    badInput(() => impliedVolatility({ ...x, right: 'call', price: fwdSpot - pvStrike }));
    // A put worth more than the discounted strike.
    badInput(() => impliedVolatility({ ...x, right: 'put', price: 86 }));
    badInput(() => impliedVolatility({ ...x, right: 'put', price: -1 }));
    badInput(() => impliedVolatility({ ...x, right: 'put', price: Number.NaN }));
    badInput(() => impliedVolatility({ ...x, strike: 0, right: 'put', price: 1 }));
  });
});
