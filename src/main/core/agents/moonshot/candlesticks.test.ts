import { describe, expect, it } from 'vitest';
import type { CandlestickPatternKind, PatternHit } from '../../../../shared/domain/analysis';
import { detectPatterns } from './patterns';
import { type Candle, candles, declineInto, mirrorBars, sidewaysAt } from './test-support/build-bars';

/** Hits of `kind` that end on the last bar. */
function lastHits(list: Candle[] | ReturnType<typeof candles>, kind: CandlestickPatternKind): PatternHit[] {
  const bars = Array.isArray(list[0]) ? candles(list as Candle[]) : (list as ReturnType<typeof candles>);
  return detectPatterns(bars, { kinds: [kind], minConfidence: 0 }).filter((h) => h.endIndex === bars.length - 1);
}

interface Case {
  kind: CandlestickPatternKind;
  /** The same pattern reflected (rallies become declines). */
  mirror: CandlestickPatternKind;
  /** The pattern's bars, after a steady decline into 100 (ATR about 1.2). */
  bars: Candle[];
  /** The same bars with one rule broken. */
  nearMiss: Candle[];
  why: string;
}

const longBear: Candle = [101.5, 101.6, 99.4, 99.5];

const cases: Case[] = [
  {
    kind: 'hammer',
    mirror: 'shooting_star',
    bars: [[99.8, 100.1, 97.5, 100, 1500]],
    nearMiss: [[99.8, 101.0, 97.5, 100, 1500]],
    why: 'upper shadow too long',
  },
  {
    kind: 'inverted_hammer',
    mirror: 'hanging_man',
    bars: [[99.8, 102.4, 99.7, 100, 1500]],
    nearMiss: [[99.8, 102.4, 98.9, 100, 1500]],
    why: 'lower shadow too long',
  },
  {
    kind: 'bullish_engulfing',
    mirror: 'bearish_engulfing',
    bars: [
      [99.9, 100.0, 99.3, 99.4],
      [99.3, 100.8, 99.2, 100.7, 1500],
    ],
    nearMiss: [
      [99.9, 100.0, 99.3, 99.4],
      [99.3, 99.9, 99.2, 99.85, 1500],
    ],
    why: 'closes below the previous open',
  },
  {
    kind: 'piercing_line',
    mirror: 'dark_cloud_cover',
    bars: [longBear, [99.2, 100.9, 99.1, 100.8, 1500]],
    nearMiss: [longBear, [99.2, 100.3, 99.1, 100.2, 1500]],
    why: 'closes below the midpoint of the first body',
  },
  {
    kind: 'morning_star',
    mirror: 'evening_star',
    bars: [longBear, [99.3, 99.5, 99.0, 99.2], [99.4, 101.3, 99.3, 101.2, 1500]],
    nearMiss: [longBear, [99.3, 99.5, 99.0, 99.2], [99.4, 100.3, 99.3, 100.2, 1500]],
    why: 'third bar closes below the midpoint of the first',
  },
  {
    kind: 'three_white_soldiers',
    mirror: 'three_black_crows',
    bars: [
      [100, 101.3, 99.9, 101.2, 1500],
      [100.8, 102.5, 100.7, 102.4, 1500],
      [101.9, 103.7, 101.8, 103.6, 1500],
    ],
    nearMiss: [
      [100, 101.3, 99.9, 101.2, 1500],
      [101.8, 103.5, 101.7, 103.4, 1500],
      [102.9, 104.7, 102.8, 104.6, 1500],
    ],
    why: 'second bar opens above the first close',
  },
  {
    kind: 'bullish_harami',
    mirror: 'bearish_harami',
    bars: [longBear, [99.8, 100.5, 99.7, 100.3]],
    nearMiss: [longBear, [99.8, 101.8, 99.7, 101.7]],
    why: 'second body reaches above the first',
  },
];

describe('candlestick patterns', () => {
  const prefix = declineInto(100);

  describe.each(cases)('$kind / $mirror', ({ kind, mirror, bars, nearMiss, why }) => {
    it('is found after a decline, with its bar span and a high confidence', () => {
      const hits = lastHits([...prefix, ...bars], kind);
      expect(hits).toHaveLength(1);
      const hit = hits[0] as PatternHit;
      expect(hit.startIndex).toBe(prefix.length);
      expect(hit.endIndex).toBe(prefix.length + bars.length - 1);
      expect(hit.confidence).toBeGreaterThan(0.7);
      expect(hit.direction).toBe('bullish');
      expect(hit.detail.breakoutLevel).toBeGreaterThan(hit.detail.invalidation as number);
    });

    it('mirrored, is found as its bearish twin with the same span and confidence', () => {
      const up = lastHits(candles([...prefix, ...bars]), kind)[0] as PatternHit;
      const down = lastHits(mirrorBars(candles([...prefix, ...bars])), mirror);
      expect(down).toHaveLength(1);
      expect(down[0]?.direction).toBe('bearish');
      expect(down[0]?.startIndex).toBe(up.startIndex);
      expect(down[0]?.confidence).toBeCloseTo(up.confidence, 3);
      // The mirror image is not also read as the bullish pattern.
      expect(lastHits(mirrorBars(candles([...prefix, ...bars])), kind)).toEqual([]);
    });

    it(`is not found when ${why}`, () => {
      expect(lastHits([...prefix, ...nearMiss], kind)).toEqual([]);
      expect(lastHits(mirrorBars(candles([...prefix, ...nearMiss])), mirror)).toEqual([]);
    });

    it('needs the trend it reverses: after a sideways stretch it is absent or weak', () => {
      const flat = lastHits([...sidewaysAt(100), ...bars], kind);
      if (kind === 'three_white_soldiers') {
        // Soldiers also continue advances; without a decline before them they score lower.
        const withTrend = lastHits([...prefix, ...bars], kind)[0] as PatternHit;
        expect((flat[0] as PatternHit).confidence).toBeLessThan(withTrend.confidence - 0.2);
      } else {
        expect(flat).toEqual([]);
      }
    });
  });

  it('finds a doji only when the body is a sliver of the range, scoring higher after a move', () => {
    const afterDecline = lastHits([...prefix, [100, 101, 99, 100.02]], 'doji');
    expect(afterDecline).toHaveLength(1);
    expect(afterDecline[0]?.direction).toBe('neutral');
    const afterNothing = lastHits([...sidewaysAt(100), [100, 101, 99, 100.02]], 'doji');
    expect((afterNothing[0] as PatternHit).confidence).toBeLessThan((afterDecline[0] as PatternHit).confidence);
    expect(lastHits([...prefix, [100, 101, 99, 100.6]], 'doji')).toEqual([]);
    // A tiny bar is not a doji even with no body: its range is under 0.3 ATR.
    expect(lastHits([...prefix, [100, 100.1, 99.95, 100]], 'doji')).toEqual([]);
  });

  it('reads a hammer shape after an advance as a hanging man, not a hammer', () => {
    const advance = mirrorBars(candles(prefix));
    const last = advance.at(-1);
    const c = (last?.c ?? 200) + 0.2;
    const bars = [...advance, { t: (last?.t ?? 0) + 86_400_000, o: c - 0.2, h: c + 0.1, l: c - 2.5, c, v: 1500 }];
    expect(detectPatterns(bars, { kinds: ['hanging_man'] }).at(-1)?.endIndex).toBe(bars.length - 1);
    expect(detectPatterns(bars, { kinds: ['hammer'] }).filter((h) => h.endIndex === bars.length - 1)).toEqual([]);
  });
});
