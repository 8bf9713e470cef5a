import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { optionAnalysisSchema } from '../../../../shared/domain/analysis';
import type { Bar } from '../../../../shared/domain/market';
import { AppError } from '../../../../shared/result';
import { readBarsCsv, TSLA_DAILY } from '../internlm2/test-support/read-csv';
import { priceOption, putCallParityGap } from './black-scholes';
import { analyzeOptionRequest, DEFAULT_RATE, MODEL_VERSION, realizedVolatility } from './option-request';

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

/** Daily bars whose log returns alternate +r, −r: a known realised volatility. */
function zigzagBars(count: number, r: number, start = 100): Bar[] {
  let c = start;
  return Array.from({ length: count }, (_, i) => {
    if (i > 0) c *= Math.exp(i % 2 ? r : -r);
    return { t: Date.UTC(2024, 0, 1) + i * 86_400_000, o: c, h: c * 1.001, l: c * 0.999, c, v: 1000 };
  });
}

describe('realised volatility', () => {
  it('is the sample standard deviation of the last window of log returns, annualised', () => {
    const bars = zigzagBars(61, 0.01);
    // 30 returns of ±1%, mean 0: sample sd = 0.01·√(30/29).
    expect(realizedVolatility(bars, 30, 252)).toBeCloseTo(0.01 * Math.sqrt(30 / 29) * Math.sqrt(252), 12);
    expect(realizedVolatility(bars, 30, 365) / realizedVolatility(bars, 30, 252)).toBeCloseTo(Math.sqrt(365 / 252), 12);
  });
});

describe('analyzeOptionRequest', () => {
  const bars = zigzagBars(61, 0.02, 240);

  it('takes spot and volatility from the data and rate and dividend from stated defaults', () => {
    const a = analyzeOptionRequest({ symbol: 'tsla', right: 'call', strike: 250, daysToExpiry: 30 }, { bars });
    expect(optionAnalysisSchema.parse(a)).toEqual(a);
    expect(a.symbol).toBe('TSLA');
    const by = Object.fromEntries(a.assumptions.map((x) => [x.input, x]));
    expect(by.spot).toMatchObject({ source: 'data', value: (bars.at(-1) as Bar).c });
    expect(by.spot?.note).toMatch(/^Last close of TSLA on 2024-03-01$/);
    expect(by.volatility?.source).toBe('data');
    expect(by.volatility?.value).toBeCloseTo(realizedVolatility(bars, 30, 252), 14);
    expect(by.volatility?.note).toMatch(/last 30 daily log returns.*×√252/);
    expect(by.rate).toMatchObject({ source: 'default', value: DEFAULT_RATE });
    expect(by.rate?.note).toMatch(/4.5% risk-free/);
    expect(by.dividendYield).toMatchObject({ source: 'default', value: 0 });
    expect(by.timeYears?.value).toBeCloseTo(30 / 365, 15);
    expect(a.asOfT).toBe((bars.at(-1) as Bar).t);
    // The quote is exactly Black-Scholes on those inputs, and the other right satisfies parity.
    const direct = priceOption({
      right: 'call',
      spot: by.spot?.value as number,
      strike: 250,
      timeYears: 30 / 365,
      volatility: by.volatility?.value as number,
      rate: DEFAULT_RATE,
    });
    expect(a.quote.price).toBe(direct.price);
    expect(a.quote.greeks).toEqual(direct.greeks);
    expect(Math.abs(putCallParityGap(a.quote.price, a.parityPrice, a.quote.inputs))).toBeLessThan(1e-10);
    expect(MODEL_VERSION).toMatch(/^deepseek-math-/);
  });

  it('uses what the user gave and marks it as theirs', () => {
    const a = analyzeOptionRequest(
      {
        symbol: 'TSLA',
        right: 'put',
        strike: 250,
        daysToExpiry: 45,
        spot: 260,
        volatility: 0.55,
        rate: 0.03,
        dividendYield: 0.01,
      },
      { bars: [] },
    );
    expect(a.assumptions.filter((x) => x.input !== 'timeYears').every((x) => x.source === 'user')).toBe(true);
    expect(a.asOfT).toBeNull();
    expect(a.quote.inputs).toMatchObject({
      spot: 260,
      volatility: 0.55,
      rate: 0.03,
      dividendYield: 0.01,
      right: 'put',
    });
  });

  it('annualises intraday volatility with the timeframe', () => {
    const daily = analyzeOptionRequest({ symbol: 'X', right: 'call', strike: 250, daysToExpiry: 30 }, { bars });
    const hourly = analyzeOptionRequest(
      { symbol: 'X', right: 'call', strike: 250, daysToExpiry: 30 },
      { bars, timeframe: '1h' },
    );
    const v = (a: typeof daily) => a.assumptions.find((x) => x.input === 'volatility')?.value as number;
    expect(v(hourly) / v(daily)).toBeCloseTo(Math.sqrt(1638 / 252), 12);
  });

  it('refuses impossible requests with a message the user can act on', () => {
    const ask = { symbol: 'TSLA', right: 'call' as const, strike: 250, daysToExpiry: 30 };
    expectBadInput(() => analyzeOptionRequest({ ...ask, strike: -250 }, { bars }), /Strike must be a positive price/);
    expectBadInput(
      () => analyzeOptionRequest({ ...ask, daysToExpiry: 0 }, { bars }),
      /Days to expiry must be more than 0/,
    );
    expectBadInput(() => analyzeOptionRequest({ ...ask, spot: -3 }, { bars }), /Spot must be a positive/);
    expectBadInput(() => analyzeOptionRequest({ ...ask, volatility: 55 }, { bars }), /positive fraction/);
    expectBadInput(() => analyzeOptionRequest(ask, { bars: [] }), /No spot price given and no bars for TSLA/);
    expectBadInput(() => analyzeOptionRequest(ask, { bars: bars.slice(0, 5) }), /only 5 bars of TSLA/);
    const flat = bars.map((b) => ({ ...b, o: 100, h: 100, l: 100, c: 100 }));
    expectBadInput(() => analyzeOptionRequest(ask, { bars: flat }), /do not move/);
    expectBadInput(() => analyzeOptionRequest({ ...ask, right: 'straddle' as 'call' }, { bars }), /right/);
  });
});

describe.skipIf(!fs.existsSync(TSLA_DAILY))(
  '"Black-Scholes price of a TSLA 250 call expiring in 30 days" on real TSLA data',
  () => {
    it('prices it from the last close and 30-day realised volatility, saying what it assumed', () => {
      const bars = readBarsCsv(TSLA_DAILY);
      const a = analyzeOptionRequest({ symbol: 'TSLA', right: 'call', strike: 250, daysToExpiry: 30 }, { bars });
      const spot = a.quote.inputs.spot;
      expect(spot).toBe(431.38); // last close in the file, 2026-01-28
      expect(a.quote.inputs.volatility).toBeGreaterThan(0.2);
      expect(a.quote.inputs.volatility).toBeLessThan(1.5);
      // Deep in the money: worth at least its discounted intrinsic value, delta near 1.
      expect(a.quote.price).toBeGreaterThan(spot - 250 * Math.exp(-DEFAULT_RATE * (30 / 365)) - 1e-9);
      expect(a.quote.greeks.delta).toBeGreaterThan(0.95);
      console.log(
        `TSLA 250C 30d: price ${a.quote.price.toFixed(2)}, spot ${spot}, vol ${(a.quote.inputs.volatility * 100).toFixed(1)}%; ` +
          a.assumptions.map((x) => `${x.input}=${x.value.toFixed(4)} (${x.source})`).join(', '),
      );
    });
  },
);
