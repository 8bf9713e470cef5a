import { type Timeframe, timeframeMs, timeframes } from '../../../../shared/domain/market';
import { DAY_MS } from './parse-time';

/** At most this many gaps are looked at: enough to see the regular spacing, cheap on a million rows. */
const SAMPLE_GAPS = 50_000;

/**
 * The most common positive gap between consecutive times (ascending), or null with fewer than two distinct times.
 * Market data has holes (weekends, halts, no-trade minutes), so the mode, not the minimum or the mean, is the
 * bar length.
 */
export function modalSpacing(times: Float64Array, n: number): number | null {
  const counts = new Map<number, number>();
  const step = n > SAMPLE_GAPS ? Math.floor(n / SAMPLE_GAPS) : 1;
  for (let i = 1; i < n; i += step) {
    const gap = (times[i] as number) - (times[i - 1] as number);
    if (gap > 0) counts.set(gap, (counts.get(gap) ?? 0) + 1);
  }
  let best: number | null = null;
  let bestCount = 0;
  for (const [gap, count] of counts) {
    if (count > bestCount || (count === bestCount && best !== null && gap < best)) {
      best = gap;
      bestCount = count;
    }
  }
  return best;
}

/** A gap in words for messages: "7 days", "30 minutes", "2 hours". */
export function describeGap(ms: number): string {
  const units: Array<[number, string]> = [
    [DAY_MS, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ];
  for (const [size, name] of units) {
    if (ms >= size && ms % size === 0) return `${ms / size} ${name}${ms === size ? '' : 's'}`;
  }
  return `${ms} ms`;
}

/**
 * The timeframe of a series from its modal spacing. Dates without a time of day are daily bars when they are at
 * most a few days apart (weekends and holidays); weekly and monthly bars, and intraday spacings the app has no
 * timeframe for, are refused with the spacing named.
 */
export function timeframeFromSpacing(
  spacingMs: number | null,
  dateOnly: boolean,
): { timeframe: Timeframe } | { error: string } {
  const supported = timeframes.join(', ');
  if (spacingMs === null) {
    if (dateOnly) return { timeframe: '1d' };
    return { error: 'there is only one timestamp, so the timeframe cannot be told from the spacing' };
  }
  if (dateOnly || spacingMs >= DAY_MS) {
    if (spacingMs <= 4 * DAY_MS && spacingMs % DAY_MS === 0) return { timeframe: '1d' };
    return {
      error: `the bars are ${describeGap(spacingMs)} apart (weekly or monthly bars?); the supported timeframes are ${supported}`,
    };
  }
  for (const timeframe of timeframes) {
    if (timeframeMs[timeframe] === spacingMs) return { timeframe };
  }
  return { error: `the bars are ${describeGap(spacingMs)} apart; the supported timeframes are ${supported}` };
}
