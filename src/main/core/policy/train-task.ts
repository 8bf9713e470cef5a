import type { PolicyModelMetadata } from '../../../shared/domain/policy';
import { AppError } from '../../../shared/result';
import type { Task } from '../workers/protocol';
import type { BarSeries } from './bar-series';
import { type SyntheticSpec, syntheticSeries } from './data-sources';
import type { DqnConfig, EpisodeLog } from './dqn-trainer';
import { trainPolicyModel } from './train-policy';

/**
 * Input of the `policy.train` worker task. Training takes two calls, each with its own progress: `generate` builds
 * the synthetic market's bars (skipped for imported data), `train` runs the DQN and exports the model.
 */
export type PolicyTrainTaskInput =
  | { phase: 'generate'; spec: SyntheticSpec }
  | {
      phase: 'train';
      series: BarSeries[];
      source: string;
      synthetic?: SyntheticSpec | null;
      config: Partial<DqnConfig>;
    };

export type PolicyTrainTaskOutput =
  | { phase: 'generate'; series: BarSeries[] }
  | {
      phase: 'train';
      /** The ONNX file's bytes. */
      bytes: Uint8Array;
      metadata: PolicyModelMetadata;
      history: EpisodeLog[];
      untrainedValidation: number;
      bestValidation: number;
    };

/**
 * Trains the DQN policy in a worker thread, so the desk's event loop never waits on it. Progress: synthetic days
 * while generating, then episodes; cancellation is checked every few hundred steps.
 */
export const policyTrainTask: Task<PolicyTrainTaskInput, PolicyTrainTaskOutput> = (input, ctx) => {
  if (input.phase === 'generate') {
    const series = syntheticSeries(input.spec, { progress: ctx.progress, cancelled: ctx.cancelled });
    return { phase: 'generate', series };
  }
  if (input.series.length === 0) throw new AppError('BAD_INPUT', 'Nothing to train on: no series were given');
  const trained = trainPolicyModel(
    { series: input.series, source: input.source, synthetic: input.synthetic ?? null, config: input.config },
    {
      onEpisode: (log, episodes) => ctx.progress(log.episode, episodes),
      cancelled: ctx.cancelled,
    },
  );
  ctx.progress(trained.result.episodesRun, trained.result.episodesRun);
  return {
    phase: 'train',
    bytes: trained.bytes,
    metadata: trained.metadata,
    history: trained.result.history,
    untrainedValidation: trained.result.untrainedValidation,
    bestValidation: trained.result.bestValidation,
  };
};
