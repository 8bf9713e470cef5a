import { describe, expect, it } from 'vitest';
import { Adam } from './adam';
import { DEFAULT_DQN_CONFIG, DoubleDqnLearner, type DqnConfig, doubleDqnTargets, trainDqn } from './dqn-trainer';
import { computeFeatures } from './features';
import { huberLoss } from './huber';
import { Mlp } from './mlp';
import { exportOnnx } from './onnx-export';
import { Prng } from './prng';
import { ReplayBuffer } from './replay-buffer';
import { randomWalkSeries } from './testing/random-walk';
import { trainPolicyModel } from './train-policy';
import { walkForwardSplit } from './walk-forward';

const small: Partial<DqnConfig> = {
  hidden: [16],
  episodes: 6,
  episodeLength: 128,
  learnStart: 200,
  epsilon: { start: 1, end: 0.1, decaySteps: 500 },
  evalEvery: 2,
  patience: 10,
};

describe('walkForwardSplit', () => {
  it('cuts consecutive periods, oldest first, with the test period last', () => {
    const s = walkForwardSplit(1000, 100);
    expect(s.train).toEqual({ from: 100, to: 640 });
    expect(s.validation).toEqual({ from: 640, to: 820 });
    expect(s.test).toEqual({ from: 820, to: 1000 });
    expect(() => walkForwardSplit(120, 100)).toThrow(/Too few bars/);
  });
});

describe('trainDqn', () => {
  it('is reproducible: the same seed and data give bit-identical weights and ONNX bytes; another seed does not', () => {
    const series = [randomWalkSeries({ bars: 700, seed: 2, momentum: 0.3 })];
    const a = trainPolicyModel({ series, source: 'test', config: { ...small, seed: 5 } });
    const b = trainPolicyModel({ series, source: 'test', config: { ...small, seed: 5 } });
    const c = trainPolicyModel({ series, source: 'test', config: { ...small, seed: 6 } });
    expect(a.result.gradientSteps).toBeGreaterThan(100);
    expect(Buffer.from(a.result.network.params.buffer).equals(Buffer.from(b.result.network.params.buffer))).toBe(true);
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    expect(a.metadata.version).toBe(b.metadata.version);
    expect(Buffer.from(a.result.network.params.buffer).equals(Buffer.from(c.result.network.params.buffer))).toBe(false);
    // Exporting twice gives the same bytes too: nothing time-dependent goes into the file.
    expect(Buffer.from(exportOnnx(a.result.network, a.metadata)).equals(Buffer.from(a.bytes))).toBe(true);
  });

  it('learns a learnable signal: validation Sharpe beats the untrained network by a wide margin', () => {
    // Returns with strong autocorrelation (AR(1), φ = 0.5): yesterday's return predicts today's well beyond costs.
    const series = [
      randomWalkSeries({ bars: 2500, seed: 31, momentum: 0.5, symbol: 'MOMO' }),
      randomWalkSeries({ bars: 2500, seed: 32, momentum: 0.5, symbol: 'MOMA' }),
    ];
    const features = series.map((s) => computeFeatures(s));
    const result = trainDqn(series, features, {
      ...DEFAULT_DQN_CONFIG,
      hidden: [32],
      episodes: 24,
      learnStart: 500,
      epsilon: { start: 1, end: 0.05, decaySteps: 3000 },
      evalEvery: 2,
      patience: 6,
      seed: 1,
    });
    expect(result.bestEpisode).toBeGreaterThan(0);
    expect(result.bestValidation).toBeGreaterThan(result.untrainedValidation + 1.5);
    expect(result.validation.sharpe).toBeGreaterThan(2);
    expect(result.validation.totalReturn).toBeGreaterThan(0.2);
  });

  it('stops early when validation stops improving, and keeps the best weights', () => {
    const series = [randomWalkSeries({ bars: 800, seed: 9 })];
    const features = series.map((s) => computeFeatures(s));
    const result = trainDqn(series, features, {
      ...DEFAULT_DQN_CONFIG,
      ...small,
      episodes: 200,
      evalEvery: 1,
      patience: 3,
      minEpisodes: 0,
      minDelta: 100,
    } as DqnConfig);
    // No improvement can reach minDelta 100, so the untrained network stays best and training stops after 3 runs.
    expect(result.stoppedEarly).toBe(true);
    expect(result.episodesRun).toBe(3);
    expect(result.bestEpisode).toBe(0);
    expect(result.bestValidation).toBe(result.untrainedValidation);
  });

  it('stops with CANCELLED when asked', () => {
    const series = [randomWalkSeries({ bars: 800, seed: 9 })];
    let episodes = 0;
    expect(() =>
      trainDqn(
        series,
        series.map((s) => computeFeatures(s)),
        { ...DEFAULT_DQN_CONFIG, ...small } as DqnConfig,
        {
          onEpisode: () => episodes++,
          cancelled: () => episodes >= 2,
        },
      ),
    ).toThrow(/cancelled/);
    expect(episodes).toBe(2);
  });
});

describe('doubleDqnTargets', () => {
  it("values the online network's best next action with the target network, and stops at a terminal", () => {
    // Row 0: online prefers action 2, the target's own best is action 0: double DQN takes the target's value of 2.
    // Row 1: online prefers action 0 (ties go to the first): target value 4.
    // Row 2: terminal: the reward alone, whatever the networks say.
    const qNextOnline = [0.1, 0.5, 0.9, 3, 3, 1, 9, 9, 9];
    const qNextTarget = [7, 1, 2, 4, 8, 0, 9, 9, 9];
    const out = new Float64Array(3);
    doubleDqnTargets(qNextOnline, qNextTarget, [1, -0.5, 0.25], [0, 0, 1], 0.9, 3, 3, out);
    expect(out[0]).toBeCloseTo(1 + 0.9 * 2, 12);
    expect(out[1]).toBeCloseTo(-0.5 + 0.9 * 4, 12);
    expect(out[2]).toBe(0.25);
    // Plain DQN would have taken max(target) = 7 for row 0: not what this computes.
    expect(out[0]).not.toBeCloseTo(1 + 0.9 * 7, 6);
  });

  it('with γ = 0 the target is the reward', () => {
    const out = doubleDqnTargets([1, 2, 3], [4, 5, 6], [0.7], [0], 0, 1, 3, new Float64Array(1));
    expect(out[0]).toBe(0.7);
  });
});

describe('DoubleDqnLearner', () => {
  const D = 5;
  const B = 8;

  function fixture(targetSync: number) {
    const online = Mlp.create({ inputSize: D, hidden: [6], outputSize: 3 }, 21);
    const adam = new Adam(online.parameterCount, { learningRate: 1e-2, maxGradNorm: 10 });
    const learner = new DoubleDqnLearner(online, adam, { gamma: 0.9, huberKappa: 1, targetSync });
    const prng = new Prng(5);
    const batch = ReplayBuffer.batch(B);
    const states = new Float32Array(B * D);
    const nextStates = new Float32Array(B * D);
    const fill = () => {
      for (let i = 0; i < B * D; i++) {
        states[i] = Math.fround(prng.normal());
        nextStates[i] = Math.fround(prng.normal());
      }
      for (let i = 0; i < B; i++) {
        batch.action[i] = prng.int(3);
        batch.reward[i] = prng.normal();
        batch.done[i] = i === 0 ? 1 : 0;
      }
    };
    return { online, learner, batch, states, nextStates, fill };
  }

  it('copies the online network into the target network every targetSync steps, and not in between', () => {
    const { online, learner, batch, states, nextStates, fill } = fixture(3);
    const initial = online.params.slice();
    expect(learner.target.params).toEqual(initial);
    for (let step = 1; step <= 7; step++) {
      const before = learner.target.params.slice();
      fill();
      learner.step(states, nextStates, batch);
      expect(learner.gradientSteps).toBe(step);
      expect(online.params).not.toEqual(before);
      if (step % 3 === 0) {
        // A hard sync: bit-identical, and a copy (training the online network does not move it).
        expect(learner.target.params).toEqual(online.params);
        expect(learner.target.params).not.toBe(online.params);
      } else {
        expect(learner.target.params).toEqual(step < 3 ? initial : before);
        expect(learner.target.params).not.toEqual(online.params);
      }
    }
  });

  it('steps on the Huber loss of the online Q-values against the double-DQN targets', () => {
    const { online, learner, batch, states, nextStates, fill } = fixture(1_000);
    // Two steps first, so the online and target networks differ and the choice of network matters.
    for (let k = 0; k < 2; k++) {
      fill();
      learner.step(states, nextStates, batch);
    }
    fill();
    const onlineBefore = online.clone();
    const qNextOnline = onlineBefore.forward(nextStates, B).slice();
    const qNextTarget = learner.target.forward(nextStates, B).slice();
    const targets = doubleDqnTargets(
      qNextOnline,
      qNextTarget,
      batch.reward,
      batch.done,
      0.9,
      B,
      3,
      new Float64Array(B),
    );
    const expected = huberLoss(onlineBefore.forward(states, B), batch.action, targets, B, 3, new Float64Array(B * 3));
    expect(learner.step(states, nextStates, batch)).toBe(expected);
    // Targets from the online network alone (no target network) would give another loss.
    const selfTargets = doubleDqnTargets(
      qNextOnline,
      qNextOnline,
      batch.reward,
      batch.done,
      0.9,
      B,
      3,
      new Float64Array(B),
    );
    const selfLoss = huberLoss(
      onlineBefore.forward(states, B),
      batch.action,
      selfTargets,
      B,
      3,
      new Float64Array(B * 3),
    );
    expect(selfLoss).not.toBe(expected);
  });

  it('refuses a target sync period that is not a positive integer', () => {
    const online = Mlp.create({ inputSize: D, hidden: [4], outputSize: 3 }, 1);
    const adam = new Adam(online.parameterCount, { learningRate: 1e-3 });
    expect(() => new DoubleDqnLearner(online, adam, { gamma: 0.9, huberKappa: 1, targetSync: 0 })).toThrow(RangeError);
  });
});
