import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OptionInputs } from '../../../../shared/domain/analysis';
import { AppError } from '../../../../shared/result';
import { bsGreeks, bsPrice, checkOptionInputs, priceOption, putCallParityGap } from './black-scholes';
import { normCdf, normInv, normPdf } from './normal';

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

describe('standard normal', () => {
  it('matches tabulated values to double precision', () => {
    expect(normCdf(0)).toBe(0.5);
    expect(normCdf(1.959963984540054)).toBeCloseTo(0.975, 14);
    expect(normCdf(1)).toBeCloseTo(0.8413447460685429, 14);
    expect(normCdf(-3)).toBeCloseTo(0.0013498980316300946, 16);
    // Absolute accuracy: deep in the tail the relative error grows (1e-8 at x = −8), harmless for prices.
    expect(normCdf(-8)).toBeCloseTo(6.22096057427178e-16, 22);
    expect(normCdf(40)).toBe(1);
    expect(normPdf(0)).toBeCloseTo(0.3989422804014327, 15);
    expect(normInv(0.95)).toBeCloseTo(1.6448536269514722, 12);
    expect(normInv(0.99)).toBeCloseTo(2.3263478740408408, 12);
    expect(normInv(0.5)).toBeCloseTo(0, 14);
    expect(() => normInv(1)).toThrow(RangeError);
  });

  it('is symmetric and normInv inverts normCdf', () => {
    fc.assert(
      fc.property(fc.double({ min: -8, max: 8, noNaN: true }), (x) => {
        expect(normCdf(x) + normCdf(-x)).toBeCloseTo(1, 14);
      }),
    );
    fc.assert(
      fc.property(fc.double({ min: 1e-10, max: 1 - 1e-10, noNaN: true }), (p) => {
        expect(Math.abs(normCdf(normInv(p)) - p)).toBeLessThan(1e-14 + 1e-12 * p);
      }),
    );
  });
});

describe('Black-Scholes-Merton prices', () => {
  it("reproduces Hull's example 15.6: S=42, K=40, r=10%, σ=20%, T=0.5 gives call 4.76 and put 0.81", () => {
    const base = { spot: 42, strike: 40, rate: 0.1, volatility: 0.2, timeYears: 0.5 };
    const call = priceOption({ ...base, right: 'call' });
    const put = priceOption({ ...base, right: 'put' });
    expect(call.price).toBeCloseTo(4.76, 2);
    expect(put.price).toBeCloseTo(0.81, 2);
    // More digits (Hull's d1 = 0.7693, d2 = 0.6278).
    expect(call.price).toBeCloseTo(4.759422, 5);
    expect(put.price).toBeCloseTo(0.808599, 5);
    expect(call.intrinsic).toBe(2);
    expect(call.timeValue).toBeCloseTo(2.759422, 5);
    expect(put.intrinsic).toBe(0);
    expect(call.probabilityItm).toBeCloseTo(normCdf(0.6278), 3);
  });

  it("reproduces Hull's example 17.1 with a dividend yield: S=930, K=900, r=8%, q=3%, σ=20%, T=2/12 gives 51.83", () => {
    const q = priceOption({
      right: 'call',
      spot: 930,
      strike: 900,
      rate: 0.08,
      dividendYield: 0.03,
      volatility: 0.2,
      timeYears: 2 / 12,
    });
    expect(q.price).toBeCloseTo(51.83, 2);
  });

  it('satisfies put-call parity with dividends over a wide domain', () => {
    fc.assert(
      fc.property(
        fc.record({
          spot: fc.double({ min: 1, max: 1000, noNaN: true }),
          moneyness: fc.double({ min: 0.5, max: 2, noNaN: true }),
          timeYears: fc.double({ min: 0.01, max: 5, noNaN: true }),
          volatility: fc.double({ min: 0.01, max: 2, noNaN: true }),
          rate: fc.double({ min: -0.01, max: 0.15, noNaN: true }),
          dividendYield: fc.double({ min: 0, max: 0.08, noNaN: true }),
        }),
        ({ moneyness, ...x }) => {
          const inputs = { ...x, strike: x.spot * moneyness };
          const c = priceOption({ ...inputs, right: 'call' }).price;
          const p = priceOption({ ...inputs, right: 'put' }).price;
          expect(Math.abs(putCallParityGap(c, p, { ...inputs, dividendYield: x.dividendYield }))).toBeLessThan(
            1e-9 * x.spot,
          );
          expect(c).toBeGreaterThanOrEqual(0);
          expect(p).toBeGreaterThanOrEqual(0);
        },
      ),
    );
    // A wrong pair of prices shows up as a parity gap.
    const gap = putCallParityGap(5, 0.81, { spot: 42, strike: 40, rate: 0.1, timeYears: 0.5, dividendYield: 0 });
    expect(gap).toBeCloseTo(5 - 4.759422 - (0.81 - 0.808599), 5);
  });

  it('refuses impossible inputs with BAD_INPUT naming the field', () => {
    const ok = { right: 'call' as const, spot: 100, strike: 100, rate: 0.05, volatility: 0.2, timeYears: 1 };
    expectBadInput(() => priceOption({ ...ok, strike: -5 }), /strike/);
    expectBadInput(() => priceOption({ ...ok, timeYears: 0 }), /timeYears/);
    expectBadInput(() => priceOption({ ...ok, volatility: 0 }), /volatility/);
    expectBadInput(() => priceOption({ ...ok, spot: Number.NaN }), /spot/);
    expectBadInput(() => priceOption({ ...ok, volatility: 45 }), /as a fraction/);
  });
});

describe('Greeks', () => {
  it("reproduce Hull's example 19.1: S=49, K=50, r=5%, σ=20%, T=20 weeks", () => {
    const g = priceOption({
      right: 'call',
      spot: 49,
      strike: 50,
      rate: 0.05,
      volatility: 0.2,
      timeYears: 0.3846,
    }).greeks;
    expect(g.delta).toBeCloseTo(0.522, 3);
    expect(g.gamma).toBeCloseTo(0.066, 3);
    expect(g.vega).toBeCloseTo(0.121, 3); // Hull: 12.1 per unit of σ
    expect(g.theta * 365).toBeCloseTo(-4.31, 2); // Hull: −4.31 per year
    expect(g.rho).toBeCloseTo(0.0891, 4); // Hull: 8.91 per unit of r
  });

  it('equal central finite differences of the price, in trader units', () => {
    const price = (x: OptionInputs) => bsPrice(x);
    fc.assert(
      fc.property(
        fc.record({
          right: fc.constantFrom('call' as const, 'put' as const),
          spot: fc.double({ min: 20, max: 500, noNaN: true }),
          moneyness: fc.double({ min: 0.7, max: 1.3, noNaN: true }),
          timeYears: fc.double({ min: 0.05, max: 2, noNaN: true }),
          volatility: fc.double({ min: 0.1, max: 1, noNaN: true }),
          rate: fc.double({ min: 0, max: 0.1, noNaN: true }),
          dividendYield: fc.double({ min: 0, max: 0.05, noNaN: true }),
        }),
        ({ moneyness, ...rest }) => {
          const x = checkOptionInputs({ ...rest, strike: rest.spot * moneyness });
          const g = bsGreeks(x);
          // A step small against the option's own scale (S·σ·√T) keeps the truncation error of gamma negligible.
          const hS = 1e-3 * x.spot * x.volatility * Math.sqrt(x.timeYears);
          const up = price({ ...x, spot: x.spot + hS });
          const down = price({ ...x, spot: x.spot - hS });
          const mid = price(x);
          // Within 1e-5 of the larger of the value and a natural scale for that Greek.
          const close = (a: number, b: number, scale: number, what: string) =>
            expect(Math.abs(a - b), what).toBeLessThan(1e-5 * Math.max(scale, Math.abs(b)));
          close(g.delta, (up - down) / (2 * hS), 1, 'delta');
          close(g.gamma * x.spot, ((up - 2 * mid + down) / hS ** 2) * x.spot, 1, 'gamma');
          const hV = 1e-4;
          close(
            g.vega,
            (price({ ...x, volatility: x.volatility + hV }) - price({ ...x, volatility: x.volatility - hV })) /
              (2 * hV) /
              100,
            x.spot / 100,
            'vega',
          );
          const hT = 1e-5;
          // Theta is the change as time passes: time to expiry shrinks.
          const dPdT =
            (price({ ...x, timeYears: x.timeYears + hT }) - price({ ...x, timeYears: x.timeYears - hT })) / (2 * hT);
          close(g.theta, -dPdT / 365, x.spot / 365, 'theta');
          const hR = 1e-5;
          close(
            g.rho,
            (price({ ...x, rate: x.rate + hR }) - price({ ...x, rate: x.rate - hR })) / (2 * hR) / 100,
            x.spot / 100,
            'rho',
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keep call and put relations: delta differs by e^(−qT), gamma and vega are equal', () => {
    const x = { spot: 100, strike: 95, rate: 0.03, dividendYield: 0.02, volatility: 0.3, timeYears: 0.75 };
    const c = priceOption({ ...x, right: 'call' }).greeks;
    const p = priceOption({ ...x, right: 'put' }).greeks;
    expect(c.delta - p.delta).toBeCloseTo(Math.exp(-0.02 * 0.75), 14);
    expect(c.gamma).toBeCloseTo(p.gamma, 14);
    expect(c.vega).toBeCloseTo(p.vega, 14);
    expect(c.rho).toBeGreaterThan(0);
    expect(p.rho).toBeLessThan(0);
  });
});
