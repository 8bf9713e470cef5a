import { describe, expect, it } from 'vitest';
import { aggregateSentiment, DEFAULT_HALF_LIFE_MS, type ScoredNewsItem } from './aggregate';
import { MODEL_VERSION } from './model-version';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 4, 1, 14, 0);

function item(id: number, ageMs: number, score: number, text = `headline ${id}`): ScoredNewsItem {
  return {
    id,
    tMs: T0 - ageMs,
    text,
    score,
    label: score > 0.06 ? 'positive' : score < -0.06 ? 'negative' : 'neutral',
  };
}

describe('aggregateSentiment', () => {
  it('weights each item by 0.5^(age / half-life) in market time', () => {
    const items = [item(1, 0, 0.8), item(2, DEFAULT_HALF_LIFE_MS, -0.4)];
    const agg = aggregateSentiment('TSLA', items, { asOfMs: T0 });
    expect(agg.halfLifeMs).toBe(3 * DAY);
    expect(agg.count).toBe(2);
    expect(agg.effectiveCount).toBeCloseTo(1.5, 6);
    expect(agg.decayedMean).toBeCloseTo((0.8 - 0.5 * 0.4) / 1.5, 4);
    // Shrunk toward neutral by one item's worth of prior: (0.8 - 0.2) / (1.5 + 1).
    expect(agg.score).toBeCloseTo(0.6 / 2.5, 4);
    expect(agg.label).toBe('positive');
    expect(agg.counts).toEqual({ positive: 1, negative: 1, neutral: 0 });
    expect(agg.latestTMs).toBe(T0);
    expect(agg.model).toEqual({ slot: 'Yi', backend: 'built-in lexicon', version: MODEL_VERSION });
  });

  it('ignores news published after asOfMs (no look-ahead in a replay) and beyond ten half-lives', () => {
    const items = [item(1, -DAY, -0.9), item(2, 2 * DAY, 0.5), item(3, 31 * DAY, -0.9)];
    const agg = aggregateSentiment('TSLA', items, { asOfMs: T0 });
    expect(agg.count).toBe(1);
    expect(agg.topHeadlines.map((h) => h.id)).toEqual([2]);
    expect(agg.score).toBeGreaterThan(0);
  });

  it('lets old news fade: the same item scores less the later it is read', () => {
    const items = [item(1, 0, 0.7)];
    const fresh = aggregateSentiment('X', items, { asOfMs: T0 });
    const later = aggregateSentiment('X', items, { asOfMs: T0 + 6 * DAY });
    expect(fresh.score).toBeCloseTo(0.35, 4);
    expect(later.effectiveCount).toBeCloseTo(0.25, 4);
    expect(later.score).toBeCloseTo((0.25 * 0.7) / 1.25, 4);
    expect(later.decayedMean).toBeCloseTo(0.7, 4);
  });

  it('uses the half-life it is given', () => {
    const items = [item(1, DAY, 1)];
    expect(aggregateSentiment('X', items, { asOfMs: T0, halfLifeMs: DAY }).effectiveCount).toBeCloseTo(0.5, 6);
    expect(aggregateSentiment('X', items, { asOfMs: T0, halfLifeMs: 2 * DAY }).effectiveCount).toBeCloseTo(
      Math.SQRT1_2,
      4,
    );
    expect(() => aggregateSentiment('X', items, { asOfMs: T0, halfLifeMs: 0 })).toThrow(RangeError);
  });

  it('lists the headlines weighing most, by |score| x weight, skipping neutral ones', () => {
    const items = [item(1, 0, 0.2), item(2, 6 * DAY, -0.9), item(3, DAY, -0.6), item(4, 0, 0)];
    const agg = aggregateSentiment('X', items, { asOfMs: T0, topN: 2 });
    expect(agg.topHeadlines.map((h) => h.id)).toEqual([3, 2]);
    expect(agg.topHeadlines[0]?.weight).toBeCloseTo(0.5 ** (1 / 3), 4);
  });

  it('is neutral with zero counts when there is no news', () => {
    const agg = aggregateSentiment('NONE', [], { asOfMs: T0 });
    expect(agg).toMatchObject({
      count: 0,
      effectiveCount: 0,
      score: 0,
      decayedMean: 0,
      label: 'neutral',
      latestTMs: null,
    });
  });
});
