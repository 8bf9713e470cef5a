import { describe, expect, it } from 'vitest';
import { DEFAULT_DQN_CONFIG } from './dqn-trainer';
import { epsilonAt } from './epsilon-schedule';

describe('epsilonAt', () => {
  const schedule = { start: 1, end: 0.05, decaySteps: 10_000 };

  it('falls linearly from start to end over the decay steps, then stays at end', () => {
    expect(epsilonAt(schedule, 0)).toBe(1);
    expect(epsilonAt(schedule, 2_500)).toBeCloseTo(1 - 0.95 / 4, 12);
    expect(epsilonAt(schedule, 5_000)).toBeCloseTo(0.525, 12);
    expect(epsilonAt(schedule, 9_999)).toBeCloseTo(0.05 + 0.95 / 10_000, 12);
    expect(epsilonAt(schedule, 10_000)).toBe(0.05);
    expect(epsilonAt(schedule, 1_000_000)).toBe(0.05);
  });

  it('never rises as steps go by', () => {
    let previous = Number.POSITIVE_INFINITY;
    for (let step = 0; step <= 12_000; step += 37) {
      const e = epsilonAt(schedule, step);
      expect(e).toBeLessThanOrEqual(previous);
      expect(e).toBeGreaterThanOrEqual(0.05);
      previous = e;
    }
  });

  it('clamps a negative step to the start and treats no decay as the end value', () => {
    expect(epsilonAt(schedule, -5)).toBe(1);
    expect(epsilonAt({ start: 1, end: 0.2, decaySteps: 0 }, 0)).toBe(0.2);
  });

  it('is what the shipped configuration uses: 1 → 0.05 over 10k steps', () => {
    expect(DEFAULT_DQN_CONFIG.epsilon).toEqual(schedule);
  });
});
