import { describe, expect, it } from 'vitest';
import { barAt, sliceSeries } from './bar-series';
import { buildState, computeFeatures, FEATURE_COUNT, FEATURE_SPEC, FeatureStream } from './features';
import { Prng } from './prng';
import { randomWalkSeries } from './testing/random-walk';

describe('features', () => {
  it('describes itself: one definition per computed feature and the state size', () => {
    expect(FEATURE_SPEC.features).toHaveLength(FEATURE_COUNT);
    expect(FEATURE_SPEC.stateSize).toBe(FEATURE_SPEC.window * FEATURE_COUNT + 3);
    expect(new Set(FEATURE_SPEC.features.map((f) => f.name)).size).toBe(FEATURE_COUNT);
  });

  it('is undefined during warm-up and bounded by the clip afterwards', () => {
    const s = randomWalkSeries({ bars: 400, seed: 3, sigma: 0.02 });
    const f = computeFeatures(s);
    expect(f.firstValid).toBe(FEATURE_SPEC.warmupBars - 1);
    expect(f.firstState).toBe(f.firstValid + FEATURE_SPEC.window - 1);
    for (let i = 0; i < f.firstValid * f.width; i++) expect(f.values[i]).toBeNaN();
    const clip = FEATURE_SPEC.features[0]?.normalisation.clip ?? 0;
    let nonZero = 0;
    for (let i = f.firstValid * f.width; i < f.values.length; i++) {
      const v = f.values[i] as number;
      expect(Number.isFinite(v)).toBe(true);
      expect(Math.abs(v)).toBeLessThanOrEqual(clip);
      if (v !== 0) nonZero++;
    }
    expect(nonZero).toBeGreaterThan((f.values.length - f.firstValid * f.width) * 0.9);
  });

  it('is scale-free: the same path at 100× the price gives the same features', () => {
    const a = randomWalkSeries({ bars: 200, seed: 8 });
    const b = randomWalkSeries({ bars: 200, seed: 8, startPrice: 10_000 });
    const fa = computeFeatures(a);
    const fb = computeFeatures(b);
    for (let i = fa.firstValid * fa.width; i < fa.values.length; i++) {
      expect(fb.values[i]).toBeCloseTo(fa.values[i] as number, 4);
    }
  });

  it('has no look-ahead: the state at bar t is unchanged when every bar after t is replaced', () => {
    const base = randomWalkSeries({ bars: 300, seed: 21, sigma: 0.015, momentum: 0.2 });
    const baseFeatures = computeFeatures(base);
    const prng = new Prng(99);
    const checked: number[] = [];
    for (let t = baseFeatures.firstState; t < base.t.length - 1; t += 17) {
      // Every bar after t is replaced by a wildly different one (prices ×0.5..×2, any volume); times stay ordered.
      const perturbed = {
        ...base,
        o: base.o.slice(),
        h: base.h.slice(),
        l: base.l.slice(),
        c: base.c.slice(),
        v: base.v.slice(),
      };
      for (let i = t + 1; i < base.t.length; i++) {
        const k = 0.5 + 1.5 * prng.next();
        const o = (base.o[i] as number) * k;
        const c = (base.c[i] as number) * (0.5 + 1.5 * prng.next());
        perturbed.o[i] = o;
        perturbed.c[i] = c;
        perturbed.h[i] = Math.max(o, c) * 1.05;
        perturbed.l[i] = Math.min(o, c) * 0.95;
        perturbed.v[i] = Math.round(prng.next() * 1e7);
      }
      const f = computeFeatures(perturbed);
      for (let position = 0; position < 3; position++) {
        expect(buildState(f, t, position)).toEqual(buildState(baseFeatures, t, position));
      }
      // ...and the perturbation did change what comes after t, so the comparison is not vacuous.
      expect(buildState(f, t + 1, 1)).not.toEqual(buildState(baseFeatures, t + 1, 1));
      checked.push(t);
    }
    expect(checked.length).toBeGreaterThan(10);
  });

  it('has no look-ahead: the state at bar t is the same when the series ends at t', () => {
    const base = randomWalkSeries({ bars: 260, seed: 5, sigma: 0.03 });
    const whole = computeFeatures(base);
    for (let t = whole.firstState; t < base.t.length; t += 23) {
      const cut = computeFeatures(sliceSeries(base, 0, t + 1));
      expect(buildState(cut, t, 1)).toEqual(buildState(whole, t, 1));
    }
  });

  it('streams the same rows one bar at a time as over the whole series', () => {
    const s = randomWalkSeries({ bars: 150, seed: 4 });
    const whole = computeFeatures(s);
    const stream = new FeatureStream(s.timeframe);
    for (let i = 0; i < 150; i++) {
      const row = stream.push(barAt(s, i));
      if (i < whole.firstValid) expect(row).toBeNull();
      else
        expect(Array.from(row ?? [])).toEqual(
          Array.from(whole.values.subarray(i * whole.width, (i + 1) * whole.width)),
        );
    }
  });

  it('encodes the position as one-hot after the window', () => {
    const f = computeFeatures(randomWalkSeries({ bars: 120, seed: 1 }));
    const s = buildState(f, f.firstState, 2);
    expect(Array.from(s.slice(-3))).toEqual([0, 0, 1]);
    expect(() => buildState(f, f.firstState - 1, 1)).toThrow(/No state at bar/);
  });
});
