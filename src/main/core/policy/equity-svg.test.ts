import { describe, expect, it } from 'vitest';
import { DEFAULT_COST_MODEL } from './cost-model';
import { equityCurvesSvg } from './equity-svg';
import { evaluateSeries, evaluationMarkdown } from './evaluation';
import { randomWalkSeries } from './testing/random-walk';

describe('evaluation output', () => {
  it('draws one panel per data set with three curves, as well-formed SVG', async () => {
    const always = {
      qValuesFlat: async (_s: Float32Array, rows: number) =>
        new Float32Array(rows * 3).fill(0).map((_, i) => (i % 3 === 1 ? 1 : 0)),
    };
    const results = await Promise.all(
      ['A & B', 'C<D>'].map((name, i) =>
        evaluateSeries(name, randomWalkSeries({ bars: 400, seed: i + 1, symbol: `S${i}` }), always, {
          costModel: DEFAULT_COST_MODEL,
          startingCashE4: 1_000_000_000,
        }),
      ),
    );
    // A policy that always prefers flat never trades: its curve is flat and it pays nothing.
    expect(results[0]?.performance.dqn).toMatchObject({ trades: 0, totalReturn: 0, costsPaid: 0 });
    expect(results[0]?.performance.buyAndHold.trades).toBe(1);
    const svg = equityCurvesSvg(results, 'Test & check');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<polyline/g)).toHaveLength(6);
    // Every & is an entity, every text is escaped: the file parses as XML.
    expect(svg).not.toMatch(/&(?!amp;|lt;|gt;)/);
    expect(svg).toContain('C&lt;D&gt;');
    const md = evaluationMarkdown(results);
    expect(md.split('\n')).toHaveLength(2 + 6);
  });
});
