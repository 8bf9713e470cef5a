import { describe, expect, it } from 'vitest';
import { Prng } from './prng';
import { ReplayBuffer, type Transition } from './replay-buffer';

/** A transition whose every field is derived from `k`, so where it came from is visible after sampling. */
function transition(k: number): Transition {
  return {
    series: k % 4,
    t: 100 + k,
    position: k % 3,
    action: (k + 1) % 3,
    reward: k / 8 - 1.5,
    nextPosition: (k + 2) % 3,
    done: k % 5 === 0,
  };
}

describe('ReplayBuffer', () => {
  it('keeps transitions in insertion order with every field intact', () => {
    const buffer = new ReplayBuffer(10);
    for (let k = 0; k < 6; k++) buffer.push(transition(k));
    expect(buffer.size).toBe(6);
    for (let k = 0; k < 6; k++) expect(buffer.at(k)).toEqual(transition(k));
    expect(() => buffer.at(6)).toThrow(RangeError);
    expect(() => buffer.at(-1)).toThrow(RangeError);
  });

  it('is a ring: once full, each push overwrites the oldest', () => {
    const buffer = new ReplayBuffer(4);
    for (let k = 0; k < 11; k++) buffer.push(transition(k));
    expect(buffer.size).toBe(4);
    expect([0, 1, 2, 3].map((i) => buffer.at(i))).toEqual([7, 8, 9, 10].map(transition));
  });

  it('samples only what it holds, with replacement, reproducibly from the seed', () => {
    const buffer = new ReplayBuffer(8);
    for (let k = 0; k < 20; k++) buffer.push(transition(k));
    const a = buffer.sample(64, new Prng(3));
    const b = buffer.sample(64, new Prng(3));
    expect(a).toEqual(b);
    expect(a.size).toBe(64);
    const held = new Set([12, 13, 14, 15, 16, 17, 18, 19].map((k) => 100 + k));
    for (let i = 0; i < a.size; i++) {
      const k = (a.t[i] as number) - 100;
      expect(held.has(a.t[i] as number)).toBe(true);
      // Each column of a row comes from the same transition.
      const tr = transition(k);
      expect([a.series[i], a.position[i], a.action[i], a.reward[i], a.nextPosition[i], a.done[i]]).toEqual([
        tr.series,
        tr.position,
        tr.action,
        tr.reward,
        tr.nextPosition,
        tr.done ? 1 : 0,
      ]);
    }
    // 64 draws from 8 must repeat some: with replacement.
    expect(new Set(a.t).size).toBeLessThan(64);
    expect(buffer.sample(64, new Prng(4))).not.toEqual(a);
  });

  it('samples uniformly', () => {
    const buffer = new ReplayBuffer(10);
    for (let k = 0; k < 10; k++) buffer.push(transition(k));
    const draws = 20_000;
    const batch = buffer.sample(draws, new Prng(11));
    const counts = new Array(10).fill(0);
    for (let i = 0; i < draws; i++) counts[(batch.t[i] as number) - 100]++;
    // Expected 2,000 each, sd ≈ 42: ±200 is ~5 sd, so a fair sampler never fails this and a skewed one does.
    for (const c of counts) expect(Math.abs(c - draws / 10)).toBeLessThan(200);
  });

  it('writes into a given batch, and refuses an empty buffer and a bad capacity', () => {
    const buffer = new ReplayBuffer(3);
    expect(() => buffer.sample(1, new Prng(1))).toThrow(/empty/);
    buffer.push(transition(1));
    const out = ReplayBuffer.batch(5);
    expect(buffer.sample(5, new Prng(1), out)).toBe(out);
    expect(Array.from(out.t)).toEqual([101, 101, 101, 101, 101]);
    expect(() => new ReplayBuffer(0)).toThrow(RangeError);
    expect(() => new ReplayBuffer(2.5)).toThrow(RangeError);
  });
});
