/** A half-open range of bar indices [from, to). */
export interface BarRange {
  from: number;
  to: number;
}

/** Chronological training, validation and test periods of one series. */
export interface WalkForwardSplit {
  train: BarRange;
  validation: BarRange;
  test: BarRange;
}

export interface SplitFractions {
  train: number;
  validation: number;
}

export const DEFAULT_SPLIT: SplitFractions = { train: 0.6, validation: 0.2 };

/**
 * Splits the bars from `firstState` (the first bar with a full feature window) to `rows` into consecutive training,
 * validation and test periods, oldest first. Never shuffled: the network learns on the past, early stopping picks
 * the weights on the period after it, and the test period after that is touched only by `evaluate`.
 *
 * A transition from bar t is rewarded with bar t+1, so each period's last transition starts at `to - 2` and ends
 * inside the period: no reward of a later period leaks into an earlier one.
 */
export function walkForwardSplit(rows: number, firstState: number, fractions = DEFAULT_SPLIT): WalkForwardSplit {
  if (fractions.train <= 0 || fractions.validation <= 0 || fractions.train + fractions.validation >= 1) {
    throw new RangeError('Split fractions must be positive and leave room for a test period');
  }
  const usable = rows - firstState;
  if (usable < 30) throw new RangeError(`Too few bars to split: ${usable} usable after warm-up, need at least 30`);
  const a = firstState + Math.floor(usable * fractions.train);
  const b = firstState + Math.floor(usable * (fractions.train + fractions.validation));
  return { train: { from: firstState, to: a }, validation: { from: a, to: b }, test: { from: b, to: rows } };
}
