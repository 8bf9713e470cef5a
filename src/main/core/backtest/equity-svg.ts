export interface SvgSeries {
  label: string;
  color: string;
  /** One value per time point, in dollars. */
  values: ArrayLike<number>;
  /** Dashed line (the benchmark). */
  dashed?: boolean;
}

export interface EquitySvgOptions {
  title: string;
  subtitle?: string;
  /** Market time (UTC epoch ms) of each point. */
  t: ArrayLike<number>;
  series: readonly SvgSeries[];
  width?: number;
  height?: number;
}

const MARGIN = { left: 84, right: 24, top: 58, bottom: 48 };

/**
 * A self-contained SVG line chart of equity curves: title, value axis in dollars, time axis, grid, legend. The
 * x axis is the bar index (so nights and weekends do not draw long flat lines) labelled with the bars' dates.
 * Long series are reduced to the minimum and maximum per pixel column, which keeps every peak and trough a
 * reader could see at full resolution.
 */
export function renderEquitySvg(options: EquitySvgOptions): string {
  const width = options.width ?? 1000;
  const height = options.height ?? 480;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const n = options.t.length;

  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const s of options.series) {
    for (let i = 0; i < s.values.length; i++) {
      const v = s.values[i] as number;
      if (Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  if (!Number.isFinite(lo)) {
    lo = 0;
    hi = 1;
  }
  if (hi - lo < 1e-9) {
    lo -= 1;
    hi += 1;
  }
  const step = niceStep((hi - lo) / 5);
  const yMin = Math.floor(lo / step) * step;
  const yMax = Math.ceil(hi / step) * step;
  const x = (i: number) => MARGIN.left + (n > 1 ? (i / (n - 1)) * plotW : plotW / 2);
  const y = (v: number) => MARGIN.top + plotH - ((v - yMin) / (yMax - yMin)) * plotH;

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="24" font-size="16" font-weight="bold" fill="#111">${escapeXml(options.title)}</text>`,
  );
  if (options.subtitle) {
    parts.push(`<text x="${MARGIN.left}" y="42" fill="#555">${escapeXml(options.subtitle)}</text>`);
  }

  for (let v = yMin; v <= yMax + step / 2; v += step) {
    const yy = y(v).toFixed(1);
    parts.push(
      `<line x1="${MARGIN.left}" y1="${yy}" x2="${width - MARGIN.right}" y2="${yy}" stroke="#e5e5e5"/>`,
      `<text x="${MARGIN.left - 8}" y="${yy}" text-anchor="end" dominant-baseline="middle" fill="#333">${escapeXml(formatMoney(v))}</text>`,
    );
  }
  if (n > 0) {
    const ticks = Math.min(6, n);
    const span = (options.t[n - 1] as number) - (options.t[0] as number);
    for (let k = 0; k < ticks; k++) {
      const i = ticks === 1 ? 0 : Math.round((k / (ticks - 1)) * (n - 1));
      const xx = x(i).toFixed(1);
      parts.push(
        `<line x1="${xx}" y1="${MARGIN.top + plotH}" x2="${xx}" y2="${MARGIN.top + plotH + 5}" stroke="#333"/>`,
        `<text x="${xx}" y="${MARGIN.top + plotH + 20}" text-anchor="middle" fill="#333">${formatTime(options.t[i] as number, span)}</text>`,
      );
    }
  }
  parts.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${height - 8}" text-anchor="middle" fill="#555">Market time (UTC)</text>`,
    `<text x="16" y="${MARGIN.top + plotH / 2}" text-anchor="middle" fill="#555" transform="rotate(-90 16 ${MARGIN.top + plotH / 2})">Equity (USD)</text>`,
  );

  for (const s of options.series) {
    const points = reduce(s.values, n, Math.max(1, Math.floor(plotW)));
    const d = points.map(([i, v]) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    parts.push(
      `<polyline fill="none" stroke="${s.color}" stroke-width="1.5"${s.dashed ? ' stroke-dasharray="6 4"' : ''} points="${d}"/>`,
    );
  }

  options.series.forEach((s, k) => {
    const lx = MARGIN.left + 12 + k * 220;
    const ly = MARGIN.top + 16;
    parts.push(
      `<line x1="${lx}" y1="${ly}" x2="${lx + 24}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
      `<text x="${lx + 30}" y="${ly}" dominant-baseline="middle" fill="#111">${escapeXml(s.label)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/** At most two points per pixel column: the column's minimum and maximum, in time order. */
function reduce(values: ArrayLike<number>, n: number, columns: number): [number, number][] {
  const out: [number, number][] = [];
  if (n <= columns * 2) {
    for (let i = 0; i < n; i++) out.push([i, values[i] as number]);
    return out;
  }
  const per = n / columns;
  for (let c = 0; c < columns; c++) {
    const from = Math.floor(c * per);
    const to = Math.min(n, Math.floor((c + 1) * per));
    let minI = from;
    let maxI = from;
    for (let i = from; i < to; i++) {
      if ((values[i] as number) < (values[minI] as number)) minI = i;
      if ((values[i] as number) > (values[maxI] as number)) maxI = i;
    }
    if (minI <= maxI) out.push([minI, values[minI] as number], [maxI, values[maxI] as number]);
    else out.push([maxI, values[maxI] as number], [minI, values[minI] as number]);
  }
  return out;
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
}

function formatMoney(v: number): string {
  const abs = Math.abs(v);
  const sign = v < 0 ? '-' : '';
  if (abs >= 1e9) return `${sign}$${trimZeros((abs / 1e9).toFixed(2))}B`;
  if (abs >= 1e6) return `${sign}$${trimZeros((abs / 1e6).toFixed(2))}M`;
  if (abs >= 1e4) return `${sign}$${trimZeros((abs / 1e3).toFixed(1))}k`;
  return `${sign}$${abs.toLocaleString('en-US', { maximumFractionDigits: 2 })}`;
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

function formatTime(t: number, spanMs: number): string {
  const iso = new Date(t).toISOString();
  if (spanMs > 3 * 365 * 86_400_000) return iso.slice(0, 7);
  if (spanMs > 3 * 86_400_000) return iso.slice(0, 10);
  return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}

function escapeXml(s: string): string {
  return s.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string,
  );
}
