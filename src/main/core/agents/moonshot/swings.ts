/**
 * Swing points by an ATR-scaled zigzag: a high becomes a swing high once price has fallen `atrMultiple` ATRs from
 * it (and a low once price has risen as far). Highs and lows alternate. The last extreme is not confirmed yet;
 * it is returned with `confirmed: false` so that a pattern still forming on the latest bars can be judged.
 */
import type { Features } from './features';

export interface Swing {
  type: 'high' | 'low';
  index: number;
  price: number;
  /** False for the last, still-open extreme. */
  confirmed: boolean;
}

export function findSwings(f: Features, atrMultiple: number): Swing[] {
  const { h, l, atr, n } = f;
  const swings: Swing[] = [];
  if (n < 2) return swings;
  let dir = 0; // 1: looking for the high of an up-leg, -1: for the low of a down-leg, 0: undecided
  let hi = 0;
  let lo = 0;
  for (let i = 1; i < n; i++) {
    const thr = atrMultiple * (atr[i] as number);
    if (dir >= 0 && (h[i] as number) > (h[hi] as number)) hi = i;
    if (dir <= 0 && (l[i] as number) < (l[lo] as number)) lo = i;
    if (dir === 0) {
      if (hi > lo && (h[hi] as number) - (l[lo] as number) >= thr) {
        swings.push({ type: 'low', index: lo, price: l[lo] as number, confirmed: true });
        dir = 1;
      } else if (lo > hi && (h[hi] as number) - (l[lo] as number) >= thr) {
        swings.push({ type: 'high', index: hi, price: h[hi] as number, confirmed: true });
        dir = -1;
      }
      continue;
    }
    if (dir === 1 && i > hi && (h[hi] as number) - (l[i] as number) >= thr) {
      swings.push({ type: 'high', index: hi, price: h[hi] as number, confirmed: true });
      dir = -1;
      lo = i;
    } else if (dir === -1 && i > lo && (h[i] as number) - (l[lo] as number) >= thr) {
      swings.push({ type: 'low', index: lo, price: l[lo] as number, confirmed: true });
      dir = 1;
      hi = i;
    }
  }
  if (dir === 1) swings.push({ type: 'high', index: hi, price: h[hi] as number, confirmed: false });
  else if (dir === -1) swings.push({ type: 'low', index: lo, price: l[lo] as number, confirmed: false });
  return swings;
}
