import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { varResultSchema } from '../../../../shared/domain/analysis';
import { AppError } from '../../../../shared/result';
import { AAPL_DAILY, readBarsCsv } from '../internlm2/test-support/read-csv';
import { seededNormal } from '../internlm2/test-support/synthetic';
import { normInv, normPdf } from './normal';
import { historicalVar, parametricPortfolioVar, parametricVar, simpleReturns } from './risk';

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

/** n returns at the normal quantiles of (i + ½)/n: an exact sample of N(μ, σ²) without randomness. */
function normalGrid(n: number, mean: number, sd: number): number[] {
  return Array.from({ length: n }, (_, i) => mean + sd * normInv((i + 0.5) / n));
}

describe('historical VaR', () => {
  it('is the interpolated 5% quantile of a uniform grid, and CVaR the mean beyond it', () => {
    // 1001 returns evenly spaced from −5% to +5%, shuffled: order must not matter.
    const grid = Array.from({ length: 1001 }, (_, i) => -0.05 + (0.1 * i) / 1000);
    const shuffled = [...grid].sort((a, b) => Math.sin(a * 1e4) - Math.sin(b * 1e4));
    const r = historicalVar(shuffled, { confidence: 0.95 });
    expect(varResultSchema.parse(r)).toEqual(r);
    expect(r.var).toBeCloseTo(0.045, 12);
    expect(r.cvar).toBeCloseTo(0.0475, 12);
    expect(r.observations).toBe(1001);
    expect(r.varAmount).toBeNull();
  });

  it('matches the normal distribution it was sampled from, at 95% and 99%', () => {
    const mu = 0.0005;
    const sd = 0.02;
    const returns = normalGrid(100_000, mu, sd);
    for (const c of [0.95, 0.99]) {
      const z = normInv(c);
      const r = historicalVar(returns, { confidence: c, positionValue: 1_000_000 });
      expect(Math.abs(r.var - (z * sd - mu)) / (z * sd)).toBeLessThan(1e-3);
      const cvar = (sd * normPdf(z)) / (1 - c) - mu;
      expect(Math.abs(r.cvar - cvar) / cvar).toBeLessThan(2e-3);
      expect(r.varAmount).toBeCloseTo(r.var * 1_000_000, 6);
      expect(r.cvar).toBeGreaterThan(r.var);
    }
  });

  it('scales a multi-day horizon by √h and says it assumed so', () => {
    const returns = normalGrid(1000, 0, 0.01);
    const one = historicalVar(returns);
    const ten = historicalVar(returns, { horizonDays: 10 });
    expect(ten.var / one.var).toBeCloseTo(Math.sqrt(10), 12);
    const note = ten.assumptions.find((a) => a.input === 'horizonDays');
    expect(note).toMatchObject({ value: 10, source: 'user' });
    expect(note?.note).toMatch(/√10.*independent, identically distributed/);
    expect(one.assumptions.find((a) => a.input === 'confidence')).toMatchObject({ value: 0.95, source: 'default' });
  });

  it('refuses too little history for the confidence, bad returns and bad options', () => {
    const fifty = normalGrid(50, 0, 0.01);
    expect(historicalVar(fifty, { confidence: 0.95 }).observations).toBe(50);
    expectBadInput(() => historicalVar(fifty, { confidence: 0.99 }), /needs at least 100 returns, got 50/);
    expectBadInput(() => historicalVar([...fifty, Number.NaN]), /returns\[50\]/);
    expectBadInput(() => historicalVar([...fifty, -1.5]), /above −100%/);
    expectBadInput(() => historicalVar(fifty, { confidence: 95 }), /between 0.5 and 1/);
    expectBadInput(() => historicalVar(fifty, { horizonDays: 0 }), /horizon/);
  });
});

describe('parametric VaR', () => {
  it('is z·σ·√h − μ·h with the normal CVaR, from given moments', () => {
    const r = parametricVar({ mean: 0.001, stdev: 0.02, confidence: 0.99, horizonDays: 5, positionValue: 10_000 });
    const z = 2.3263478740408408;
    expect(r.var).toBeCloseTo(z * 0.02 * Math.sqrt(5) - 0.005, 12);
    expect(r.cvar).toBeCloseTo((0.02 * Math.sqrt(5) * normPdf(z)) / 0.01 - 0.005, 12);
    expect(r.varAmount).toBeCloseTo(r.var * 10_000, 8);
    expect(r.assumptions.find((a) => a.input === 'distribution')?.note).toMatch(/fatter tails/);
    const zeroMean = parametricVar({ mean: 0.001, stdev: 0.02, confidence: 0.99, horizonDays: 5, includeMean: false });
    expect(zeroMean.var).toBeCloseTo(z * 0.02 * Math.sqrt(5), 12);
  });

  it('estimates the moments from returns and agrees with historical VaR on normal data', () => {
    const normal = seededNormal(99);
    const returns = Array.from({ length: 200_000 }, () => 0.0003 + 0.015 * normal());
    const p = parametricVar({ returns, confidence: 0.95 });
    const h = historicalVar(returns, { confidence: 0.95 });
    expect(p.observations).toBe(200_000);
    expect(p.assumptions.find((a) => a.input === 'stdev')?.value).toBeCloseTo(0.015, 3);
    expect(Math.abs(p.var - h.var) / p.var).toBeLessThan(0.01);
    expect(Math.abs(p.cvar - h.cvar) / p.cvar).toBeLessThan(0.01);
    expectBadInput(() => parametricVar({ confidence: 0.95 }), /needs returns/);
    expectBadInput(() => parametricVar({ returns: [0.01] }), /at least 2/);
  });

  it('adds positions through their covariance: perfect correlation adds, independence adds in quadrature, a hedge cancels', () => {
    const normal = seededNormal(7);
    const a = Array.from({ length: 5000 }, () => 0.01 * normal());
    const b = Array.from({ length: 5000 }, () => 0.01 * normal());
    const single = parametricVar({ returns: a, includeMean: false, positionValue: 100 }).varAmount as number;
    const twice = parametricPortfolioVar({ positionValues: [100, 100], returns: [a, a], includeMean: false });
    expect(twice.varAmount).toBeCloseTo(2 * single, 9);
    expect(twice.var).toBeCloseTo(single / 100, 9);
    const independent = parametricPortfolioVar({ positionValues: [100, 100], returns: [a, b], includeMean: false });
    const vb = parametricVar({ returns: b, includeMean: false, positionValue: 100 }).varAmount as number;
    // Sample correlation of 5000 independent draws is within a few hundredths of 0, so within 5% of quadrature,
    // and far from the 2× of perfect correlation.
    const quadrature = Math.hypot(single, vb);
    expect(Math.abs((independent.varAmount as number) - quadrature) / quadrature).toBeLessThan(0.05);
    expect(independent.varAmount as number).toBeLessThan(0.8 * (single + vb));
    const hedged = parametricPortfolioVar({ positionValues: [100, -100], returns: [a, a], includeMean: false });
    expect(Math.abs(hedged.varAmount as number)).toBeLessThan(1e-9);
    expectBadInput(
      () => parametricPortfolioVar({ positionValues: [100], returns: [a, b] }),
      /one return series per position/,
    );
    expectBadInput(() => parametricPortfolioVar({ positionValues: [100, 1], returns: [a, b.slice(1)] }), /same length/);
  });
});

describe.skipIf(!fs.existsSync(AAPL_DAILY))('VaR on real AAPL returns', () => {
  it('gives a plausible one-day 95% and 99% VaR, historical above parametric at 99% (fat tails)', () => {
    const returns = simpleReturns(readBarsCsv(AAPL_DAILY));
    const h95 = historicalVar(returns, { confidence: 0.95 });
    const h99 = historicalVar(returns, { confidence: 0.99 });
    const p99 = parametricVar({ returns, confidence: 0.99 });
    console.log(
      `AAPL 2004–2018 one-day VaR: hist 95% ${(h95.var * 100).toFixed(2)}% (CVaR ${(h95.cvar * 100).toFixed(2)}%), hist 99% ${(h99.var * 100).toFixed(2)}%, parametric 99% ${(p99.var * 100).toFixed(2)}%`,
    );
    expect(h95.var).toBeGreaterThan(0.02);
    expect(h95.var).toBeLessThan(0.05);
    expect(h99.var).toBeGreaterThan(h95.var);
    expect(h99.cvar).toBeGreaterThan(p99.cvar);
  });
});
