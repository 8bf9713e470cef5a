import {
  actionMeanings,
  type PolicyModelMetadata,
  policyActions,
  policyModelMetadataSchema,
} from '../../../shared/domain/policy';
import { type BarSeries, hashBarSeries } from './bar-series';
import type { SyntheticSpec } from './data-sources';
import { DEFAULT_DQN_CONFIG, type DqnConfig, type TrainingHooks, type TrainingResult, trainDqn } from './dqn-trainer';
import { computeFeatures, FEATURE_SPEC } from './features';
import { exportOnnx, INPUT_NAME, modelVersionOf, OUTPUT_NAME } from './onnx-export';

export interface TrainPolicyInput {
  series: readonly BarSeries[];
  /** Where the bars came from, for the metadata ("synthetic seed 42", "imported"). */
  source: string;
  /** The synthetic slice the series came from, recorded so evaluation can regenerate it. */
  synthetic?: SyntheticSpec | null;
  config?: Partial<DqnConfig>;
}

export interface TrainedPolicy {
  /** The ONNX file's bytes. */
  bytes: Uint8Array;
  metadata: PolicyModelMetadata;
  result: TrainingResult;
}

/** Trains a policy on `series` and exports it to ONNX with its metadata: the whole pipeline, minus the disk. */
export function trainPolicyModel(input: TrainPolicyInput, hooks: TrainingHooks = {}): TrainedPolicy {
  const config: DqnConfig = { ...DEFAULT_DQN_CONFIG, ...input.config };
  const features = input.series.map((s) => computeFeatures(s));
  const result = trainDqn(input.series, features, config, hooks);
  const timeframes = [...new Set(input.series.map((s) => s.timeframe))];
  const metadata = policyModelMetadataSchema.parse({
    format: 'swaggy-dqn-policy',
    version: modelVersionOf(result.network, FEATURE_SPEC),
    featureSpec: FEATURE_SPEC,
    actions: policyActions.map((name, index) => ({ index, name, meaning: actionMeanings[name] })),
    inputName: INPUT_NAME,
    outputName: OUTPUT_NAME,
    hidden: config.hidden,
    dataHash: hashBarSeries(input.series),
    data: {
      source: input.source,
      timeframe: timeframes.join(','),
      symbols: input.series.map((s) => s.symbol),
      bars: input.series.reduce((a, s) => a + s.t.length, 0),
      synthetic: input.synthetic
        ? {
            seed: input.synthetic.seed,
            timeframe: input.synthetic.timeframe,
            fromDay: input.synthetic.fromDay,
            toDay: input.synthetic.toDay,
          }
        : null,
    },
    costModel: config.costModel,
    training: {
      algorithm: 'double DQN, target network, uniform replay, linear epsilon, early stopping on validation Sharpe',
      library: 'built-in (src/main/core/policy: Mlp, Adam, Huber loss)',
      seed: config.seed,
      episodes: config.episodes,
      episodeLength: config.episodeLength,
      gamma: config.gamma,
      learningRate: config.learningRate,
      batchSize: config.batchSize,
      replayCapacity: config.replayCapacity,
      learnStart: config.learnStart,
      trainEvery: config.trainEvery,
      targetSync: config.targetSync,
      epsilon: config.epsilon,
      evalEvery: config.evalEvery,
      patience: config.patience,
      rewardScale: config.rewardScale,
      split: config.split,
      gradientSteps: result.gradientSteps,
      untrainedValidationSharpe: result.untrainedValidation,
      splits: result.splits.map((s, i) => ({
        symbol: input.series[i]?.symbol,
        train: [s.train.from, s.train.to],
        validation: [s.validation.from, s.validation.to],
        test: [s.test.from, s.test.to],
      })),
    },
    metrics: {
      train: result.train,
      validation: result.validation,
      bestEpisode: result.bestEpisode,
      episodesRun: result.episodesRun,
      stoppedEarly: result.stoppedEarly,
    },
  });
  return { bytes: exportOnnx(result.network, metadata), metadata, result };
}
