import { describe, expect, it } from 'vitest';
import type { ChartPatternKind, PatternHit } from '../../../../shared/domain/analysis';
import type { Bar } from '../../../../shared/domain/market';
import { detectPatterns } from './patterns';
import { mirrorBars, pathBars } from './test-support/build-bars';

function hitsOf(bars: Bar[], kind: ChartPatternKind): PatternHit[] {
  return detectPatterns(bars, { kinds: [kind], minConfidence: 0 });
}

function only(bars: Bar[], kind: ChartPatternKind): PatternHit {
  const hits = hitsOf(bars, kind);
  expect(hits, `${kind} hits`).toHaveLength(1);
  return hits[0] as PatternHit;
}

const pointAt = (hit: PatternHit, label: string) => hit.detail.points.find((p) => p.label === label);

// Volume fades from the first peak to the second, as the textbook wants.
const doubleTop = pathBars(
  [
    [0, 80],
    [20, 100],
    [28, 92],
    [36, 100],
    [48, 86],
  ],
  { volume: (i) => (i < 24 ? 1500 : 1000) },
);

const headAndShoulders = pathBars(
  [
    [0, 70],
    [15, 90],
    [21, 84],
    [30, 98],
    [39, 84],
    [45, 90],
    [59, 76],
  ],
  { volume: (i) => (i < 18 ? 1500 : i < 35 ? 1200 : 1000) },
);

// 31 quiet bars, a 6-bar pole on heavy volume, a 6-bar drift down on light volume, a breakout bar.
const bullFlag = pathBars(
  [
    [0, 100],
    [30, 100],
    [36, 112],
    [42, 109.5],
    [43, 113],
  ],
  { volume: (i) => (i > 30 && i <= 36 ? 3000 : i === 43 ? 2500 : 800) },
);

/** 22 bars in a 99–101 box, then a close at `breakout` and the bars after it. */
function rangeThen(after: number[], breakoutVolume = 3000): Bar[] {
  const box: [number, number][] = Array.from({ length: 22 }, (_, i) => [i, i % 2 === 0 ? 99.4 : 100.6]);
  box[0] = [0, 100];
  return pathBars([...box, ...after.map((c, k): [number, number] => [22 + k, c])], {
    volume: (i) => (i === 22 ? breakoutVolume : 1000),
  });
}

describe('double top and double bottom', () => {
  it('finds the double top with both peaks, the neckline break and a measured target', () => {
    const hit = only(doubleTop, 'double_top');
    expect(hit.direction).toBe('bearish');
    expect(hit.confirmed).toBe(true);
    expect(pointAt(hit, 'first peak')?.index).toBe(20);
    expect(pointAt(hit, 'second peak')?.index).toBe(36);
    expect(hit.startIndex).toBe(20);
    // The neckline is the trough's low (92 − 0.5 wick); the first close below it ends the pattern.
    expect(hit.detail.breakoutLevel).toBeCloseTo(91.5, 9);
    expect(doubleTop[hit.endIndex]?.c).toBeLessThan(91.5);
    expect(doubleTop[hit.endIndex - 1]?.c).toBeGreaterThanOrEqual(91.5);
    expect(hit.detail.target).toBeCloseTo(91.5 - (100.5 - 91.5), 9);
    expect(hit.detail.invalidation).toBeCloseTo(100.5, 9);
    expect(hit.confidence).toBeGreaterThan(0.85);
  });

  it('reports a double top still forming (no break yet) as unconfirmed and below 0.75', () => {
    const hit = only(doubleTop.slice(0, 41), 'double_top');
    expect(hit.confirmed).toBe(false);
    expect(hit.endIndex).toBe(40);
    expect(hit.confidence).toBeLessThanOrEqual(0.75);
  });

  it('finds the mirrored series as a double bottom at the same bars', () => {
    const top = only(doubleTop, 'double_top');
    const bottom = only(mirrorBars(doubleTop), 'double_bottom');
    expect(bottom.direction).toBe('bullish');
    expect([bottom.startIndex, bottom.endIndex]).toEqual([top.startIndex, top.endIndex]);
    expect(bottom.detail.breakoutLevel).toBeCloseTo(300 - 91.5, 9);
    expect(bottom.confidence).toBeCloseTo(top.confidence, 3);
    expect(hitsOf(mirrorBars(doubleTop), 'double_top')).toEqual([]);
  });

  it('is not a double top when the second peak is clearly higher (a higher high)', () => {
    const higherHigh = pathBars([
      [0, 80],
      [20, 100],
      [28, 92],
      [36, 106],
      [48, 92],
    ]);
    expect(hitsOf(higherHigh, 'double_top')).toEqual([]);
  });

  it('is not a double top once price runs above both peaks before breaking the neckline', () => {
    const failed = pathBars([
      [0, 80],
      [20, 100],
      [28, 92],
      [36, 100],
      [40, 96],
      [48, 108],
    ]);
    expect(hitsOf(failed, 'double_top')).toEqual([]);
  });
});

describe('head and shoulders', () => {
  it('finds shoulders, head and a neckline break, with the target one head-height below', () => {
    const hit = only(headAndShoulders, 'head_and_shoulders');
    expect(pointAt(hit, 'left shoulder')?.index).toBe(15);
    expect(pointAt(hit, 'head')?.index).toBe(30);
    expect(pointAt(hit, 'right shoulder')?.index).toBe(45);
    expect(hit.confirmed).toBe(true);
    const neck = hit.detail.lines.find((l) => l.label === 'neckline');
    expect(neck?.startPrice).toBeCloseTo(83.5, 9);
    expect(neck?.endPrice).toBeCloseTo(83.5, 9);
    expect(hit.detail.target).toBeCloseTo(83.5 - (98.5 - 83.5), 9);
    expect(hit.confidence).toBeGreaterThan(0.85);
  });

  it('finds the inverse pattern on the mirror image', () => {
    const hit = only(mirrorBars(headAndShoulders), 'inverse_head_and_shoulders');
    expect(hit.direction).toBe('bullish');
    expect(pointAt(hit, 'head')?.index).toBe(30);
    expect(pointAt(hit, 'head')?.price).toBeCloseTo(300 - 98.5, 9);
  });

  it('is not head and shoulders when the head is no higher than the shoulders, or the shoulders differ', () => {
    const flatHead = pathBars([
      [0, 70],
      [15, 90],
      [21, 84],
      [30, 90],
      [39, 84],
      [45, 90],
      [59, 76],
    ]);
    expect(hitsOf(flatHead, 'head_and_shoulders')).toEqual([]);
    const lopsided = pathBars([
      [0, 70],
      [15, 90],
      [21, 84],
      [30, 100],
      [39, 84],
      [45, 96],
      [59, 76],
    ]);
    expect(hitsOf(lopsided, 'head_and_shoulders')).toEqual([]);
  });
});

describe('flags', () => {
  it('finds a bull flag: pole, flag, breakout, with key levels for the chart', () => {
    const hit = only(bullFlag, 'bull_flag');
    // Bar 31 is the first bar of the rise (bar 30 is the last quiet one; their lows tie, the later one starts it).
    expect(hit.startIndex).toBe(31);
    expect(hit.endIndex).toBe(43);
    expect(hit.confirmed).toBe(true);
    const pole = hit.detail.lines.find((l) => l.label === 'flagpole');
    expect(pole?.startIndex).toBe(31);
    expect(pole?.endIndex).toBe(36);
    expect(hit.detail.lines.map((l) => l.label)).toEqual(['flagpole', 'flag top', 'flag bottom']);
    const poleHeight = (pole?.endPrice ?? 0) - (pole?.startPrice ?? 0);
    expect(hit.detail.target).toBeCloseTo((hit.detail.breakoutLevel ?? 0) + poleHeight, 9);
    expect(hit.detail.metrics.flagVolumeToPole).toBeLessThan(0.5);
    expect(hit.confidence).toBeGreaterThan(0.85);
  });

  it('reports the flag before its breakout as forming', () => {
    const hit = only(bullFlag.slice(0, 42), 'bull_flag');
    expect(hit.confirmed).toBe(false);
    expect(hit.endIndex).toBe(41);
    expect(hit.confidence).toBeLessThan(0.75);
  });

  it('finds the mirror image as a bear flag', () => {
    const hit = only(mirrorBars(bullFlag), 'bear_flag');
    expect(hit.direction).toBe('bearish');
    expect([hit.startIndex, hit.endIndex]).toEqual([31, 43]);
    expect(hit.detail.target).toBeLessThan(hit.detail.breakoutLevel as number);
  });

  it('is not a flag when the pullback gives back most of the pole, or there is no pole', () => {
    const deep = pathBars([
      [0, 100],
      [30, 100],
      [36, 112],
      [42, 104],
      [43, 113],
    ]);
    expect(hitsOf(deep, 'bull_flag')).toEqual([]);
    const noPole = pathBars([
      [0, 100],
      [30, 100],
      [36, 101.5],
      [42, 101],
      [43, 102],
    ]);
    expect(hitsOf(noPole, 'bull_flag')).toEqual([]);
  });
});

describe('breakouts', () => {
  it('finds a breakout up from a tight range that holds, with the range edges as lines', () => {
    const bars = rangeThen([102.5, 103, 103.5]);
    const hit = only(bars, 'breakout_up');
    expect([hit.startIndex, hit.endIndex]).toEqual([0, 22]);
    expect(hit.confirmed).toBe(true);
    expect(hit.detail.breakoutLevel).toBeCloseTo(101.1, 9);
    expect(hit.detail.lines.map((l) => l.label)).toEqual(['resistance', 'support']);
    expect(hit.detail.metrics.volumeRatio).toBeCloseTo(3, 9);
    expect(hit.confidence).toBeGreaterThan(0.75);
  });

  it('leaves a breakout on the last bar unconfirmed and drops one that falls back into the range', () => {
    const fresh = only(rangeThen([102.5]), 'breakout_up');
    expect(fresh.confirmed).toBe(false);
    const held = only(rangeThen([102.5, 103, 103.5]), 'breakout_up');
    expect(fresh.confidence).toBeLessThan(held.confidence);
    expect(hitsOf(rangeThen([102.5, 100.2, 100.4]), 'breakout_up')).toEqual([]);
  });

  it('ignores a close that barely pokes above the range', () => {
    expect(hitsOf(rangeThen([101.12, 101.15, 101.2]), 'breakout_up')).toEqual([]);
  });

  it('finds the mirror image as a breakout down', () => {
    const hit = only(mirrorBars(rangeThen([102.5, 103, 103.5])), 'breakout_down');
    expect(hit.direction).toBe('bearish');
    expect(hit.detail.lines.map((l) => l.label)).toEqual(['support', 'resistance']);
  });
});
