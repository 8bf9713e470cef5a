import { useEffect, useState } from 'react';

/** A small SVG line plot for equity curves and latency series; scales to its container's width. */
export interface PlotSeries {
  name: string;
  color: string;
  points: readonly { x: number; y: number }[];
}

interface LinePlotProps {
  series: readonly PlotSeries[];
  height?: number;
  /** Drawing width in SVG units; by default the plot's own pixel width, so that its labels keep their true size. */
  width?: number;
  /** Formats y-axis labels (money, ms...). */
  formatY?: (y: number) => string;
  formatX?: (x: number) => string;
  title?: string;
  empty?: string;
}

export function LinePlot({
  series,
  height = 160,
  width: fixedWidth,
  formatY = (y) => y.toFixed(2),
  formatX,
  title,
  empty,
}: LinePlotProps) {
  const [figure, setFigure] = useState<HTMLElement | null>(null);
  const [measured, setMeasured] = useState(600);
  useEffect(() => {
    if (!figure || fixedWidth !== undefined) return;
    const observer = new ResizeObserver(() => {
      if (figure.clientWidth > 0) setMeasured(Math.round(figure.clientWidth));
    });
    observer.observe(figure);
    return () => observer.disconnect();
  }, [figure, fixedWidth]);
  const width = fixedWidth ?? measured;
  const all = series.flatMap((s) => s.points);
  if (all.length < 2) return <p className="plot-empty">{empty ?? 'Not enough data to plot yet.'}</p>;
  const pad = { left: 64, right: 8, top: 8, bottom: formatX ? 20 : 8 };
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const p of all) {
    if (p.x < minX) minX = p.x;
    if (p.x > maxX) maxX = p.x;
    if (p.y < minY) minY = p.y;
    if (p.y > maxY) maxY = p.y;
  }
  if (maxY === minY) {
    maxY += 1;
    minY -= 1;
  }
  if (maxX === minX) maxX += 1;
  const sx = (x: number) => pad.left + ((x - minX) / (maxX - minX)) * (width - pad.left - pad.right);
  const sy = (y: number) => pad.top + (1 - (y - minY) / (maxY - minY)) * (height - pad.top - pad.bottom);
  const ticks = [minY, (minY + maxY) / 2, maxY];
  return (
    <figure className="line-plot" ref={setFigure}>
      {title ? <figcaption>{title}</figcaption> : null}
      <svg
        viewBox={`0 0 ${width} ${height}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={title ?? 'plot'}
        style={{ height }}
      >
        {ticks.map((t) => (
          <g key={t}>
            <line x1={pad.left} x2={width - pad.right} y1={sy(t)} y2={sy(t)} className="plot-grid" />
            <text x={pad.left - 4} y={sy(t) + 4} className="plot-label" textAnchor="end">
              {formatY(t)}
            </text>
          </g>
        ))}
        {formatX ? (
          <>
            <text x={pad.left} y={height - 4} className="plot-label">
              {formatX(minX)}
            </text>
            <text x={width - pad.right} y={height - 4} className="plot-label" textAnchor="end">
              {formatX(maxX)}
            </text>
          </>
        ) : null}
        {series.map((s) =>
          s.points.length > 1 ? (
            <polyline
              key={s.name}
              fill="none"
              stroke={s.color}
              strokeWidth={1.5}
              vectorEffect="non-scaling-stroke"
              points={s.points.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ')}
            />
          ) : null,
        )}
      </svg>
      {series.length > 1 ? (
        <div className="plot-legend">
          {series.map((s) => (
            <span key={s.name}>
              <span className="legend-swatch" style={{ background: s.color }} />
              {s.name}
            </span>
          ))}
        </div>
      ) : null}
    </figure>
  );
}
