import { describe, expect, it } from 'vitest';
import type { PatternHit } from '../../../shared/domain/analysis';
import { selectRecentPatterns } from './pattern-marks';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** 1m bars of several sessions (09:30–16:00 ET = 14:30–21:00 UTC): the overnight gaps break index arithmetic. */
function sessionBars(days: number, perDay: number): { t: number }[] {
  const bars: { t: number }[] = [];
  const first = Date.UTC(2025, 0, 2, 14, 30);
  for (let d = 0; d < days; d++) for (let m = 0; m < perDay; m++) bars.push({ t: first + d * DAY + m * MINUTE });
  return bars;
}

function hit(
  partial: Partial<PatternHit> & Pick<PatternHit, 'kind' | 'startIndex' | 'endIndex'>,
  window: readonly { t: number }[],
): PatternHit {
  return {
    name: partial.kind,
    category: 'chart',
    direction: 'bullish',
    confidence: 0.5,
    confirmed: true,
    ...partial,
    startT: (window[partial.startIndex] as { t: number }).t,
    endT: (window[partial.endIndex] as { t: number }).t,
    detail: partial.detail ?? {
      lines: [],
      points: [],
      breakoutLevel: null,
      target: null,
      invalidation: null,
      metrics: {},
    },
  };
}

describe('pattern marks for the chart', () => {
  // Short sessions of 100 bars: the scan's window (the last 300 bars) spans three of them.
  const bars = sessionBars(4, 100);
  const window = bars.slice(-300);

  it('places lines and points in time by counting bars from a matching hit, across session gaps', () => {
    const flag = hit(
      {
        kind: 'bull_flag',
        name: 'Bull flag',
        startIndex: 150,
        endIndex: 298,
        confidence: 0.73,
        detail: {
          lines: [{ label: 'flagpole', startIndex: 150, endIndex: 290, startPrice: 122.71, endPrice: 124.36 }],
          points: [{ label: 'pole top', index: 290, price: 124.36 }],
          breakoutLevel: 124.17,
          target: 125.82,
          invalidation: 123.82,
          metrics: {},
        },
      },
      window,
    );
    const [mark] = selectRecentPatterns([flag], bars);
    expect(mark?.id).toBe(`bull_flag@${flag.endT}`);
    expect(mark?.barsAgo).toBe(1);
    expect(mark?.lines).toEqual([
      {
        label: 'flagpole',
        startT: (window[150] as { t: number }).t,
        endT: (window[290] as { t: number }).t,
        startPrice: 122.71,
        endPrice: 124.36,
      },
    ]);
    expect(mark?.points).toEqual([{ label: 'pole top', t: (window[290] as { t: number }).t, price: 124.36 }]);
    expect(mark?.breakoutLevel).toBe(124.17);
    // The window's bar 150 is in the previous session: a line that trusted minutes would start a day off.
    expect((window[150] as { t: number }).t).toBeLessThan((window[298] as { t: number }).t - DAY);
  });

  it('keeps chart patterns longer than candlesticks, newest first, up to the limit', () => {
    const hits = [
      hit({ kind: 'double_bottom', startIndex: 150, endIndex: 200 }, window), // 99 bars ago: kept
      hit({ kind: 'hammer', category: 'candlestick', startIndex: 270, endIndex: 270 }, window), // 29 ago: too old
      hit({ kind: 'doji', category: 'candlestick', startIndex: 290, endIndex: 290 }, window), // 9 ago
      hit({ kind: 'breakout_up', startIndex: 280, endIndex: 299, confidence: 0.4 }, window), // newest
      hit(
        { kind: 'bullish_engulfing', category: 'candlestick', startIndex: 298, endIndex: 299, confidence: 0.3 },
        window,
      ),
      hit({ kind: 'head_and_shoulders', startIndex: 10, endIndex: 120 }, window), // 179 bars ago: too old
    ];
    const marks = selectRecentPatterns(hits, bars);
    expect(marks.map((m) => m.kind)).toEqual(['breakout_up', 'bullish_engulfing', 'doji', 'double_bottom']);
    expect(selectRecentPatterns(hits, bars, { max: 2 }).map((m) => m.kind)).toEqual([
      'breakout_up',
      'bullish_engulfing',
    ]);
  });

  it('lists patterns without their lines when the scanned bars are not among the bars given', () => {
    const other = sessionBars(4, 100).map((b) => ({ t: b.t + 30_000 }));
    const flag = hit(
      {
        kind: 'bull_flag',
        startIndex: 280,
        endIndex: 299,
        detail: {
          lines: [{ label: 'flag top', startIndex: 295, endIndex: 299, startPrice: 1, endPrice: 1 }],
          points: [],
          breakoutLevel: 1,
          target: null,
          invalidation: null,
          metrics: {},
        },
      },
      window,
    );
    const [mark] = selectRecentPatterns([flag], other);
    expect(mark?.kind).toBe('bull_flag');
    expect(mark?.lines).toEqual([]);
    expect(selectRecentPatterns([], bars)).toEqual([]);
    expect(selectRecentPatterns([flag], [])).toEqual([]);
  });
});
