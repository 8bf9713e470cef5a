import { describe, expect, it } from 'vitest';
import type { IndicatorSnapshot, PatternHit } from '../../../../shared/domain/analysis';
import type { OrderWarning } from '../../../../shared/domain/knowledge';
import { type SynthesisInput, synthesize } from './synthesis';

function snapshot(overrides: Partial<IndicatorSnapshot> = {}): IndicatorSnapshot {
  return {
    t: 0,
    index: 300,
    close: 110,
    sma: { '20': 105, '50': 100, '200': 90 },
    ema: { '9': 108, '21': 104 },
    rsi: 60,
    macd: { macd: 1, signal: 0.5, histogram: 0.5 },
    atr: 2,
    bollinger: null,
    vwap: null,
    rollingVwap: null,
    realizedVol: 0.3,
    realizedVolShort: 0.3,
    realizedVolLong: 0.3,
    volumeAvg: 1e6,
    volumeZ: 0,
    gapPct: 0,
    anomalies: [],
    ...overrides,
  };
}

function hit(direction: PatternHit['direction'], confidence: number, endIndex = 300): PatternHit {
  return {
    kind: direction === 'bullish' ? 'bull_flag' : 'bear_flag',
    name: direction === 'bullish' ? 'Bull flag' : 'Bear flag',
    category: 'chart',
    direction,
    startIndex: endIndex - 20,
    endIndex,
    startT: 0,
    endT: 0,
    confidence,
    confirmed: true,
    detail: { lines: [], points: [], breakoutLevel: null, target: null, invalidation: null, metrics: {} },
  };
}

const base: SynthesisInput = { symbol: 'TSLA', t: 1, price: 110, equityE4: 100_000 * 10_000, lastIndex: 300 };

describe('Qwen synthesis', () => {
  it('buys when trend, pattern and policy agree, and names every slot with its cache status', () => {
    const out = synthesize({
      ...base,
      indicators: { value: snapshot(), fromCache: true },
      patterns: { value: [hit('bullish', 0.8)], fromCache: false },
      policy: { value: { action: 'long', qValues: [0.1, 0.2, 0.3] }, fromCache: true },
      warnings: { value: [], fromCache: false },
    });
    expect(out.action).toBe('BUY');
    expect(out.confidence).toBeGreaterThan(0.5);
    // $1,000 risk / (2 × ATR 2) = 250 shares, capped at 25% of equity: floor($25,000 / $110) = 227.
    expect(out.suggestedQty).toBe(227);
    expect(out.explanation).toMatch(/InternLM2 \(from the cache\)/);
    expect(out.explanation).toMatch(/Moonshot \(computed now\): bull flag/);
    expect(out.explanation).toMatch(/DQN policy \(from the cache\): long/);
    expect(out.explanation).toMatch(/ChatGLM \(computed now\): no rule/);
  });

  it('sells on a bearish picture and holds when the slots disagree', () => {
    const bearish = synthesize({
      ...base,
      indicators: {
        value: snapshot({
          close: 80,
          rsi: 40,
          macd: { macd: -1, signal: -0.5, histogram: -0.8 },
          sma: { '50': 100, '200': 110 },
        }),
        fromCache: false,
      },
      patterns: { value: [hit('bearish', 0.9)], fromCache: false },
    });
    expect(bearish.action).toBe('SELL');
    const mixed = synthesize({
      ...base,
      indicators: {
        value: snapshot({
          rsi: 50,
          macd: { macd: 0, signal: 0, histogram: 0 },
          sma: { '50': 110, '200': 110 },
          close: 110,
        }),
        fromCache: false,
      },
      patterns: { value: [hit('bullish', 0.5)], fromCache: false },
      policy: { value: { action: 'short', qValues: [0.3, 0.29, 0.1] }, fromCache: false },
    });
    expect(mixed.action).toBe('HOLD');
    expect(mixed.suggestedQty).toBe(0);
  });

  it('turns a blocking rule warning into HOLD and says why', () => {
    const warning: OrderWarning = {
      ruleId: 'pdt',
      severity: 'block',
      title: 'Pattern day trader',
      message: 'fourth day trade',
      source: 'FINRA 4210',
    };
    const out = synthesize({
      ...base,
      indicators: { value: snapshot(), fromCache: false },
      patterns: { value: [hit('bullish', 0.9)], fromCache: false },
      warnings: { value: [warning], fromCache: true },
    });
    expect(out.action).toBe('HOLD');
    expect(out.explanation).toMatch(/ChatGLM \(from the cache\): Pattern day trader/);
    expect(out.warnings[0]).toMatch(/Pattern day trader/);
  });

  it('is deterministic and holds with no inputs', () => {
    const input = { ...base, indicators: { value: snapshot(), fromCache: false } };
    expect(synthesize(input)).toEqual(synthesize(input));
    expect(synthesize(base)).toMatchObject({ action: 'HOLD', confidence: 0, suggestedQty: 0 });
  });
});
