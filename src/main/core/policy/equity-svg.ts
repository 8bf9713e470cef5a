import type { EvaluatedSeries } from './evaluation';

const COLORS = { dqn: '#e4572e', buyAndHold: '#2e86ab', random: '#8a8a8a' } as const;
const LABELS = { dqn: 'DQN policy', buyAndHold: 'buy & hold', random: 'random (mean)' } as const;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** At most `max` evenly spaced indices of a series of length n (always keeping the last). */
function sampleIndices(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const out: number[] = [];
  for (let k = 0; k < max; k++) out.push(Math.round((k * (n - 1)) / (max - 1)));
  return out;
}

/**
 * Equity curves of the evaluated series as one SVG: a panel per data set, each curve as growth of $1 over the test
 * period on a shared log scale within the panel, so policies that end far apart stay readable.
 */
export function equityCurvesSvg(results: readonly EvaluatedSeries[], title: string): string {
  const cols = Math.min(3, Math.max(1, results.length));
  const rows = Math.ceil(results.length / cols);
  const pw = 360;
  const ph = 220;
  const pad = { l: 48, r: 12, t: 30, b: 26 };
  const width = cols * pw;
  const height = rows * ph + 56;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="18" text-anchor="middle" font-size="14" font-weight="bold">${esc(title)}</text>`,
  ];
  let lx = 12;
  for (const key of ['dqn', 'buyAndHold', 'random'] as const) {
    parts.push(`<line x1="${lx}" y1="36" x2="${lx + 22}" y2="36" stroke="${COLORS[key]}" stroke-width="2.5"/>`);
    parts.push(`<text x="${lx + 27}" y="40">${esc(LABELS[key])}</text>`);
    lx += 130;
  }
  results.forEach((r, index) => {
    const ox = (index % cols) * pw;
    const oy = 48 + Math.floor(index / cols) * ph;
    const x0 = ox + pad.l;
    const x1 = ox + pw - pad.r;
    const y0 = oy + pad.t;
    const y1 = oy + ph - pad.b;
    const curves = r.curves;
    const start = {
      dqn: curves.dqn[0] as number,
      buyAndHold: curves.buyAndHold[0] as number,
      random: curves.random[0] as number,
    };
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const key of ['dqn', 'buyAndHold', 'random'] as const) {
      for (const v of curves[key]) {
        const g = Math.log(Math.max(1e-6, v / start[key]));
        lo = Math.min(lo, g);
        hi = Math.max(hi, g);
      }
    }
    if (!(hi > lo)) {
      hi = lo + 0.01;
    }
    const n = r.times.length;
    const sx = (i: number) => x0 + ((x1 - x0) * i) / Math.max(1, n - 1);
    const sy = (g: number) => y1 - ((y1 - y0) * (g - lo)) / (hi - lo);
    parts.push(`<rect x="${x0}" y="${y0}" width="${x1 - x0}" height="${y1 - y0}" fill="none" stroke="#cccccc"/>`);
    const from = new Date(r.times[0] as number).toISOString().slice(0, 10);
    const to = new Date(r.times[n - 1] as number).toISOString().slice(0, 10);
    parts.push(`<text x="${x0}" y="${oy + 18}" font-weight="bold">${esc(r.dataset)}</text>`);
    parts.push(`<text x="${x0}" y="${y1 + 16}">${from}</text>`);
    parts.push(`<text x="${x1}" y="${y1 + 16}" text-anchor="end">${to}</text>`);
    // Gridlines at round growth levels inside the range.
    for (const level of [0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10]) {
      const g = Math.log(level);
      if (g < lo || g > hi) continue;
      const y = sy(g).toFixed(1);
      parts.push(`<line x1="${x0}" y1="${y}" x2="${x1}" y2="${y}" stroke="${level === 1 ? '#999999' : '#eeeeee'}"/>`);
      parts.push(`<text x="${x0 - 4}" y="${y}" text-anchor="end" dominant-baseline="middle">${level}×</text>`);
    }
    for (const key of ['random', 'buyAndHold', 'dqn'] as const) {
      const values = curves[key];
      const points = sampleIndices(n, 400)
        .map(
          (i) => `${sx(i).toFixed(1)},${sy(Math.log(Math.max(1e-6, (values[i] as number) / start[key]))).toFixed(1)}`,
        )
        .join(' ');
      parts.push(`<polyline fill="none" stroke="${COLORS[key]}" stroke-width="1.6" points="${points}"/>`);
    }
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
