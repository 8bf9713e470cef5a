import { describe, expect, it } from 'vitest';
import { DEFAULT_DQN_CONFIG, type DqnConfig, trainDqn } from './dqn-trainer';
import { computeFeatures } from './features';
import { exportOnnx } from './onnx-export';
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
