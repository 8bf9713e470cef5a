/**
 * Candlestick patterns, after Nison's definitions, with every size judged in ATRs of the bar before the pattern.
 * Reversal patterns need the trend they reverse: a hammer is only a hammer after a decline (the closes of the
 * `trendBars` bars before the pattern fell at least `trendAtr` ATRs with a clear slope, see {@link trendStrength}).
 * Confidence = shape quality × (0.45 + 0.4 · trend strength + 0.15 · volume confirmation), so a textbook shape after
 * a strong trend on heavy volume scores near 1, and the same shape after a marginal trend at most 0.6. A doji
 * (neutral) scores shape × (0.3 + 0.4 · strength of the move before it, either way): at most 0.7.
 */
import type { CandlestickPatternKind, PatternHit } from '../../../../shared/domain/analysis';
import type { Bar } from '../../../../shared/domain/market';
import { clamp01, type Features, trendStrength } from './features';
import { makeHit, patternInfo } from './pattern-info';

export interface CandlestickOptions {
  /** Minimum |trend| in ATRs for a reversal pattern's context (the trend's length is set in the features). */
  trendAtr: number;
}

export function detectCandlesticks(
  bars: readonly Bar[],
  f: Features,
  options: CandlestickOptions,
  wanted: (kind: CandlestickPatternKind) => boolean,
  out: PatternHit[],
): void {
  const { o, h, l, c, v, body, range, upper, lower, atr, avgVolume } = f;
  const { trendAtr } = options;
  // Strength of the decline (−1) or advance (1) that ends just before the pattern starting at bar s.
  const before = (s: number, direction: 1 | -1) => trendStrength(f, s - 1, direction, trendAtr);
  const volumeScore = (i: number) => {
    const avg = avgVolume[i] as number;
    return avg > 0 ? clamp01(((v[i] as number) / avg - 0.8) / 0.7) : 0.5;
  };
  const emit = (
    kind: CandlestickPatternKind,
    start: number,
    end: number,
    shape: number,
    trend: number,
    extra: Record<string, number> = {},
  ) => {
    if (!wanted(kind)) return;
    const direction = patternInfo[kind].direction;
    // A doji is indecision, not a signal: it matters only after a move, so its confidence rides on the trend.
    const conf =
      direction === 'neutral'
        ? shape * (0.3 + 0.4 * Math.max(before(start, 1), before(start, -1)))
        : shape * (0.45 + 0.4 * trend + 0.15 * volumeScore(end));
    let hi = -Infinity;
    let lo = Infinity;
    const points = [];
    for (let k = start; k <= end; k++) {
      hi = Math.max(hi, h[k] as number);
      lo = Math.min(lo, l[k] as number);
      points.push({ label: `bar ${k - start + 1}`, index: k, price: c[k] as number });
    }
    out.push(
      makeHit(bars, kind, start, end, conf, true, {
        points,
        // A reversal is confirmed by a close beyond the pattern's far side; the near side is where it fails.
        breakoutLevel: direction === 'bullish' ? hi : direction === 'bearish' ? lo : null,
        invalidation: direction === 'bullish' ? lo : direction === 'bearish' ? hi : null,
        metrics: {
          trendAtr: start >= 1 ? (f.trendMove[start - 1] as number) : 0,
          trendT: start >= 1 ? (f.trendT[start - 1] as number) : 0,
          volumeRatio: (avgVolume[end] as number) > 0 ? (v[end] as number) / (avgVolume[end] as number) : 0,
          shape,
          ...extra,
        },
      }),
    );
  };

  for (let i = 1; i < f.n; i++) {
    const a = atr[i - 1] as number;
    const R = range[i] as number;
    const B = body[i] as number;
    const U = upper[i] as number;
    const L = lower[i] as number;
    const down = before(i, -1);
    const up = before(i, 1);

    // One bar.
    if (R >= 0.3 * a && B <= 0.1 * R) {
      const shape = 1 - (0.5 * B) / (0.1 * R);
      emit('doji', i, i, shape, 0, { bodyToRange: B / R });
    }
    if (R >= 0.5 * a && L >= 2 * B && L >= 0.55 * R && U <= 0.15 * R) {
      const shape = 0.5 + 0.25 * clamp01((L / R - 0.55) / 0.3) + 0.25 * (1 - U / (0.15 * R));
      if (down > 0) emit('hammer', i, i, shape, down, { lowerShadowToRange: L / R });
      // The hanging man needs the next bar's confirmation more than most; it is discounted.
      if (up > 0) emit('hanging_man', i, i, 0.9 * shape, up, { lowerShadowToRange: L / R });
    }
    if (R >= 0.5 * a && U >= 2 * B && U >= 0.55 * R && L <= 0.15 * R) {
      const shape = 0.5 + 0.25 * clamp01((U / R - 0.55) / 0.3) + 0.25 * (1 - L / (0.15 * R));
      if (down > 0) emit('inverted_hammer', i, i, 0.9 * shape, down, { upperShadowToRange: U / R });
      if (up > 0) emit('shooting_star', i, i, shape, up, { upperShadowToRange: U / R });
    }

    // Two bars: p (previous) and i.
    const p = i - 1;
    if (p >= 1) {
      const ap = atr[p - 1] as number;
      const downP = before(p, -1);
      const upP = before(p, 1);
      const Bp = body[p] as number;
      const op = o[p] as number;
      const cp = c[p] as number;
      const oi = o[i] as number;
      const ci = c[i] as number;
      const pBear = cp < op;
      const pBull = cp > op;
      const iBull = ci > oi;
      const iBear = ci < oi;
      if (Bp >= 0.2 * ap && B > Bp) {
        if (downP > 0 && pBear && iBull && oi <= cp && ci >= op) {
          emit('bullish_engulfing', p, i, 0.6 + 0.4 * clamp01((B / Bp - 1) / 1.5), downP, { bodyRatio: B / Bp });
        }
        if (upP > 0 && pBull && iBear && oi >= cp && ci <= op) {
          emit('bearish_engulfing', p, i, 0.6 + 0.4 * clamp01((B / Bp - 1) / 1.5), upP, { bodyRatio: B / Bp });
        }
      }
      const longP = Bp >= 0.6 * ap && Bp >= 0.5 * (range[p] as number);
      if (longP) {
        const mid = (op + cp) / 2;
        if (downP > 0 && pBear && iBull && oi < cp && ci > mid && ci < op) {
          const pen = (ci - cp) / Bp;
          const shape = 0.55 + 0.3 * clamp01((pen - 0.5) / 0.5) + (oi < (l[p] as number) ? 0.15 : 0);
          emit('piercing_line', p, i, shape, downP, { penetration: pen });
        }
        if (upP > 0 && pBull && iBear && oi > cp && ci < mid && ci > op) {
          const pen = (cp - ci) / Bp;
          const shape = 0.55 + 0.3 * clamp01((pen - 0.5) / 0.5) + (oi > (h[p] as number) ? 0.15 : 0);
          emit('dark_cloud_cover', p, i, shape, upP, { penetration: pen });
        }
        // Harami: a small body inside the previous long body.
        if (B <= 0.5 * Bp && Math.max(oi, ci) <= Math.max(op, cp) && Math.min(oi, ci) >= Math.min(op, cp)) {
          const small = 1 - B / (0.5 * Bp);
          if (downP > 0 && pBear) {
            emit('bullish_harami', p, i, 0.5 + 0.3 * small + (iBull ? 0.2 : 0.05), downP, { bodyRatio: B / Bp });
          }
          if (upP > 0 && pBull) {
            emit('bearish_harami', p, i, 0.5 + 0.3 * small + (iBear ? 0.2 : 0.05), upP, { bodyRatio: B / Bp });
          }
        }
      }
    }

    // Three bars: x, y, i.
    const x = i - 2;
    const y = i - 1;
    if (x >= 1) {
      const ax = atr[x - 1] as number;
      const downX = before(x, -1);
      const upX = before(x, 1);
      const Bx = body[x] as number;
      const By = body[y] as number;
      const ox = o[x] as number;
      const cx = c[x] as number;
      const oy = o[y] as number;
      const cy = c[y] as number;
      const oi = o[i] as number;
      const ci = c[i] as number;
      const midX = (ox + cx) / 2;
      if (Bx >= 0.6 * ax && By <= 0.35 * Bx && B >= 0.4 * Bx) {
        if (downX > 0 && cx < ox && Math.max(oy, cy) <= cx + 0.1 * Bx && ci > oi && ci > midX) {
          const shape = 0.5 + 0.25 * clamp01((ci - midX) / (0.5 * Bx)) + 0.25 * (1 - By / (0.35 * Bx));
          emit('morning_star', x, i, shape, downX, { starToFirstBody: By / Bx });
        }
        if (upX > 0 && cx > ox && Math.min(oy, cy) >= cx - 0.1 * Bx && ci < oi && ci < midX) {
          const shape = 0.5 + 0.25 * clamp01((midX - ci) / (0.5 * Bx)) + 0.25 * (1 - By / (0.35 * Bx));
          emit('evening_star', x, i, shape, upX, { starToFirstBody: By / Bx });
        }
      }
      // Three long bodies in a row, each closing further and opening inside the previous body.
      const tol = 0.1 * ax;
      const long3 = Bx >= 0.5 * ax && By >= 0.5 * ax && B >= 0.5 * ax;
      if (long3) {
        const soldiers =
          cx > ox && cy > oy && ci > oi && cy > cx && ci > cy && oy >= ox - tol && oy <= cx + tol && oi >= oy - tol;
        const soldiersOpen = oi <= cy + tol;
        const smallTops = [x, y, i].every((k) => (upper[k] as number) <= 0.4 * (body[k] as number));
        if (soldiers && soldiersOpen && smallTops) {
          const tops = [x, y, i].reduce((s, k) => s + (upper[k] as number) / (0.4 * (body[k] as number)), 0) / 3;
          // After a decline they signal a reversal; deep in an advance they are just the advance.
          emit('three_white_soldiers', x, i, 0.6 + 0.4 * (1 - tops), downX, { upperShadows: tops });
        }
        const crows =
          cx < ox && cy < oy && ci < oi && cy < cx && ci < cy && oy <= ox + tol && oy >= cx - tol && oi <= oy + tol;
        const crowsOpen = oi >= cy - tol;
        const smallBottoms = [x, y, i].every((k) => (lower[k] as number) <= 0.4 * (body[k] as number));
        if (crows && crowsOpen && smallBottoms) {
          const bottoms = [x, y, i].reduce((s, k) => s + (lower[k] as number) / (0.4 * (body[k] as number)), 0) / 3;
          emit('three_black_crows', x, i, 0.6 + 0.4 * (1 - bottoms), upX, {
            lowerShadows: bottoms,
          });
        }
      }
    }
  }
}
