/**
 * Split back-adjustment for files that publish raw (as-traded) prices with a split column (Alpha Vantage's
 * `split_coefficient`, Tiingo's `splitFactor`, Quandl's `SplitRatio`, yfinance's `Stock Splits`).
 *
 * A factor f on day d means one old share became f new shares at the open of d: bars before d are divided by f
 * and their volume multiplied by f, so a chart and every indicator see one continuous price history. A split is
 * applied only when the prices show it (the gap from the previous close to the split day's open is nearer to f
 * than to no change); a file whose prices were already adjusted would otherwise be divided twice.
 */

export interface SplitEvent {
  /** Time of the first bar at the new share count. */
  t: number;
  /** New shares per old share (7 for a 7-for-1 split, 0.1 for a 1-for-10 reverse split). */
  factor: number;
}

/** Float noise in vendors' factors (Tiingo writes 7.000007) snapped to the nearest small ratio (7, 3/2, 1/10). */
export function snapSplitFactor(factor: number): number {
  for (let den = 1; den <= 20; den++) {
    const num = Math.round(factor * den);
    if (num > 0 && Math.abs(num / den - factor) <= 1e-4 * factor) return num / den;
  }
  return factor;
}

/** True when a split factor means "no split" (vendors write 1 or, in yfinance, 0 on ordinary days). */
export function isNoSplit(factor: number): boolean {
  return factor === 1 || factor === 0 || Number.isNaN(factor);
}

/**
 * Back-adjusts ascending bars in place. `split[i]` is the factor effective from bar i. Returns the splits applied
 * and those skipped because the prices already had them.
 */
export function backAdjustSplits(
  bars: { t: Float64Array; o: Float64Array; h: Float64Array; l: Float64Array; c: Float64Array; v: Float64Array },
  split: Float64Array,
  n: number,
): { applied: SplitEvent[]; skipped: SplitEvent[] } {
  const applied: SplitEvent[] = [];
  const skipped: SplitEvent[] = [];
  const use = new Float64Array(n).fill(1);
  for (let i = 1; i < n; i++) {
    const raw = split[i] as number;
    if (isNoSplit(raw)) continue;
    const factor = snapSplitFactor(raw);
    const event = { t: bars.t[i] as number, factor };
    const gap = (bars.c[i - 1] as number) / (bars.o[i] as number);
    if (Math.abs(Math.log(gap) - Math.log(factor)) < Math.abs(Math.log(gap))) {
      use[i] = factor;
      applied.push(event);
    } else {
      skipped.push(event);
    }
  }
  if (applied.length === 0) return { applied, skipped };
  let cumulative = 1;
  for (let i = n - 1; i >= 0; i--) {
    if (cumulative !== 1) {
      bars.o[i] = (bars.o[i] as number) / cumulative;
      bars.h[i] = (bars.h[i] as number) / cumulative;
      bars.l[i] = (bars.l[i] as number) / cumulative;
      bars.c[i] = (bars.c[i] as number) / cumulative;
      bars.v[i] = (bars.v[i] as number) * cumulative;
    }
    cumulative *= use[i] as number;
  }
  return { applied, skipped };
}
