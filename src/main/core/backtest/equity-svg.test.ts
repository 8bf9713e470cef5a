import { describe, expect, it } from 'vitest';
import { renderEquitySvg } from './equity-svg';

describe('equity SVG', () => {
  it('draws both curves with axes, a legend and escaped labels', () => {
    const t = Array.from({ length: 50 }, (_, i) => Date.UTC(2020, 0, 1) + i * 86_400_000);
    const svg = renderEquitySvg({
      title: 'AAPL <1d> & friends',
      t,
      series: [
        { label: 'Strategy', color: '#00f', values: t.map((_, i) => 100_000 + i * 100) },
        { label: 'Buy & hold', color: '#888', values: t.map((_, i) => 100_000 - i * 50), dashed: true },
      ],
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain('AAPL &lt;1d&gt; &amp; friends');
    expect(svg).toContain('Buy &amp; hold');
    expect(svg).toContain('stroke-dasharray');
    expect(svg).toMatch(/\$10[0-9.]*k/);
    expect(svg).toContain('2020-01-01');
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('keeps at most two points per pixel column and still shows the extremes', () => {
    const n = 1_000_000;
    const t = new Float64Array(n).map((_, i) => i * 60_000);
    const values = new Float64Array(n).map((_, i) => 100 + Math.sin(i / 5000));
    values[123_456] = 500;
    const svg = renderEquitySvg({ title: 'big', t, series: [{ label: 's', color: '#000', values }], width: 600 });
    const points = (svg.match(/points="([^"]*)"/)?.[1] ?? '').split(' ');
    expect(points.length).toBeLessThanOrEqual(2 * 600);
    // The spike is the top of the chart: some point sits on the plot's top edge region.
    const ys = points.map((p) => Number(p.split(',')[1]));
    expect(Math.min(...ys)).toBeLessThan(80);
  });
});
