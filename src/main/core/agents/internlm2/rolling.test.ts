import { describe, expect, it } from 'vitest';
import {
  createRing,
  createWindow,
  ringBack,
  ringPush,
  windowFull,
  windowMean,
  windowPopulationVariance,
  windowPush,
  windowSampleVariance,
} from './rolling';
import { seededNormal } from './test-support/synthetic';

describe('ring buffer', () => {
  it('keeps the last cap values, newest first through ringBack, without holes', () => {
    const ring = createRing(3);
    for (const x of [1, 2]) ringPush(ring, x);
    expect(ring.buf).toEqual([1, 2]);
    expect(ringBack(ring, 0)).toBe(2);
    expect(ringBack(ring, 1)).toBe(1);
    for (const x of [3, 4, 5]) ringPush(ring, x);
    expect(ring.size).toBe(3);
    expect(ring.buf.length).toBe(3);
    expect([0, 1, 2].map((k) => ringBack(ring, k))).toEqual([5, 4, 3]);
  });
});

describe('sliding window', () => {
  it('matches a two-pass mean and variance over every position of a long random series', () => {
    const normal = seededNormal(7);
    const n = 7;
    const ring = createRing(n);
    const w = createWindow(n);
    const xs: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      // Prices far from zero with small moves: the case where Σx² − (Σx)²/n loses every digit.
      const x = 1e6 + normal();
      xs.push(x);
      windowPush(w, x, windowFull(w) ? ringBack(ring, n - 1) : undefined);
      ringPush(ring, x);
      if (i >= n - 1 && i % 997 === 0) {
        const win = xs.slice(i - n + 1, i + 1);
        const mean = win.reduce((a, b) => a + b, 0) / n;
        const ss = win.reduce((a, b) => a + (b - mean) ** 2, 0);
        expect(Math.abs(windowMean(w) - mean)).toBeLessThan(1e-9 * mean);
        expect(windowPopulationVariance(w)).toBeCloseTo(ss / n, 6);
        expect(windowSampleVariance(w)).toBeCloseTo(ss / (n - 1), 6);
      }
    }
  });

  it('never reports a negative variance on a constant window', () => {
    const ring = createRing(5);
    const w = createWindow(5);
    for (let i = 0; i < 100; i++) {
      const x = i < 50 ? 0.1 * (i % 3) : 0.1;
      windowPush(w, x, windowFull(w) ? ringBack(ring, 4) : undefined);
      ringPush(ring, x);
      expect(w.m2).toBeGreaterThanOrEqual(0);
    }
    expect(windowPopulationVariance(w)).toBeLessThan(1e-15);
    expect(windowMean(w)).toBeCloseTo(0.1, 15);
  });
});
