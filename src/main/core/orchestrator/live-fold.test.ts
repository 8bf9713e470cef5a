import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../shared/domain/market';
import { LiveFold } from './live-fold';
import type { SeriesView } from './series-views';

const bar = (t: number, c: number): Bar => ({ t, o: c, h: c + 1, l: c - 1, c, v: 100 });

function view(bars: Bar[]): SeriesView {
  return {
    symbol: 'X',
    timeframe: '1m',
    source: 'synthetic',
    bars,
    fingerprint: `fp${bars.length}`,
    lastT: (bars.at(-1) as Bar).t,
  };
}

describe('LiveFold', () => {
  it('steps each new bar once and rebuilds when the anchor moves', () => {
    let made = 0;
    let steps = 0;
    const fold = new LiveFold<{ sum: number }, number | null>(
      () => {
        made++;
        return { state: { sum: 0 }, count: 0 };
      },
      (state, b) => {
        steps++;
        state.sum += b.c;
        // A null output ("not enough bars yet") is a valid output, not "never computed".
        return state.sum >= 3 ? state.sum : null;
      },
    );
    const bars = [bar(1, 1), bar(2, 1)];
    expect(fold.advance(view(bars))).toBeNull();
    expect(fold.advance(view(bars))).toBeNull();
    expect(steps).toBe(2);
    bars.push(bar(3, 1));
    expect(fold.advance(view(bars))).toBe(3);
    expect(steps).toBe(3);
    expect(made).toBe(1);
    // The anchor moved: the state must be rebuilt from the new first bar, never carried over.
    expect(fold.advance(view(bars.slice(1)))).toBeNull();
    expect(made).toBe(2);
  });
});
