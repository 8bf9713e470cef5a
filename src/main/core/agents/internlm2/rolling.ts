/**
 * O(1) building blocks of the stream: a ring buffer and a sliding window with a compensated sum and a running
 * variance. They are plain JSON objects mutated by free functions, so that the whole stream state can be cached
 * and restored without a class hierarchy. Nothing here grows with the number of values seen.
 */

/** The last `cap` values. `head` is where the next value goes; `buf` never has holes (it grows to `cap`, then wraps). */
export interface Ring {
  cap: number;
  buf: number[];
  head: number;
  size: number;
}

export function createRing(cap: number): Ring {
  return { cap, buf: [], head: 0, size: 0 };
}

/** The value `back` steps before the newest (0 = newest). The caller guarantees `back < size`. */
export function ringBack(ring: Ring, back: number): number {
  const i = (ring.head - 1 - back + ring.cap * 2) % ring.cap;
  return ring.buf[i] as number;
}

export function ringPush(ring: Ring, x: number): void {
  ring.buf[ring.head] = x;
  ring.head = (ring.head + 1) % ring.cap;
  if (ring.size < ring.cap) ring.size++;
}

/**
 * A sliding window of fixed length `n` over values kept in a {@link Ring} elsewhere: a Neumaier-compensated sum
 * (so that a rolling sum over 100k bars does not drift) and a Welford running mean and sum of squared deviations,
 * updated in place when one value enters and one leaves (variance without the catastrophic cancellation of
 * Σx² − (Σx)²/n on prices far from zero).
 */
export interface Window {
  n: number;
  count: number;
  sum: number;
  comp: number;
  mean: number;
  m2: number;
}

export function createWindow(n: number): Window {
  return { n, count: 0, sum: 0, comp: 0, mean: 0, m2: 0 };
}

function addCompensated(w: Window, x: number): void {
  const t = w.sum + x;
  if (Math.abs(w.sum) >= Math.abs(x)) w.comp += w.sum - t + x;
  else w.comp += x - t + w.sum;
  w.sum = t;
}

/**
 * Adds `x`; when the window is full, `leaving` must be the value that drops out (the one `n` values before `x`).
 */
export function windowPush(w: Window, x: number, leaving: number | undefined): void {
  if (w.count < w.n) {
    w.count++;
    addCompensated(w, x);
    const d = x - w.mean;
    w.mean += d / w.count;
    w.m2 += d * (x - w.mean);
    return;
  }
  const out = leaving as number;
  addCompensated(w, x);
  addCompensated(w, -out);
  const mean = w.mean + (x - out) / w.n;
  w.m2 += (x - out) * (x - mean + out - w.mean);
  // Rounding can leave a tiny negative sum of squares when the window is (nearly) constant.
  if (w.m2 < 0) w.m2 = 0;
  w.mean = mean;
}

export function windowFull(w: Window): boolean {
  return w.count >= w.n;
}

/** Mean from the compensated sum (the SMA). */
export function windowMean(w: Window): number {
  return (w.sum + w.comp) / w.count;
}

/** Population variance (divide by n), as Bollinger bands use it. */
export function windowPopulationVariance(w: Window): number {
  return w.m2 / w.count;
}

/** Sample variance (divide by n − 1), as realised volatility and z-scores use it. */
export function windowSampleVariance(w: Window): number {
  return w.count > 1 ? w.m2 / (w.count - 1) : 0;
}
