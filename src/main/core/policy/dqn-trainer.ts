import type { Performance, PolicyCostModel } from '../../../shared/domain/policy';
import { AppError } from '../../../shared/result';
import { Adam } from './adam';
import type { BarSeries } from './bar-series';
import { DEFAULT_COST_MODEL } from './cost-model';
import { type EpsilonSchedule, epsilonAt } from './epsilon-schedule';
import { buildState, FEATURE_SPEC, type FeatureMatrix } from './features';
import { huberLoss } from './huber';
import { Mlp } from './mlp';
import { averagePerformance, evaluateNetwork } from './network-evaluation';
import { Prng } from './prng';
import { ReplayBuffer, type TransitionBatch } from './replay-buffer';
import { TradingEnvironment } from './trading-environment';
import { DEFAULT_SPLIT, type SplitFractions, type WalkForwardSplit, walkForwardSplit } from './walk-forward';

/** Every knob of a training run. The defaults train the shipped model. */
export interface DqnConfig {
  seed: number;
  hidden: number[];
  /** Upper bound on episodes; early stopping usually ends sooner. */
  episodes: number;
  /** Bars per episode. */
  episodeLength: number;
  gamma: number;
  learningRate: number;
  batchSize: number;
  replayCapacity: number;
  /** Transitions collected before the first gradient step. */
  learnStart: number;
  /** Environment steps per gradient step. */
  trainEvery: number;
  /** Gradient steps between copies of the online network into the target network. */
  targetSync: number;
  epsilon: EpsilonSchedule;
  /** Episodes between validation runs. */
  evalEvery: number;
  /** Validation runs without improvement before training stops. */
  patience: number;
  /** Training never stops early before this many episodes (let exploration decay first). */
  minEpisodes: number;
  /** Improvement of the validation objective that counts as one. */
  minDelta: number;
  huberKappa: number;
  maxGradNorm: number;
  rewardScale: number;
  startingCashE4: number;
  costModel: PolicyCostModel;
  split: SplitFractions;
}

export const DEFAULT_DQN_CONFIG: DqnConfig = {
  seed: 7,
  hidden: [64, 32],
  episodes: 200,
  episodeLength: 256,
  gamma: 0.95,
  learningRate: 5e-4,
  batchSize: 32,
  replayCapacity: 50_000,
  learnStart: 1_000,
  trainEvery: 2,
  targetSync: 250,
  epsilon: { start: 1, end: 0.05, decaySteps: 10_000 },
  evalEvery: 4,
  patience: 8,
  minEpisodes: 60,
  minDelta: 0.01,
  huberKappa: 1,
  maxGradNorm: 10,
  rewardScale: 100,
  startingCashE4: 1_000_000_000,
  costModel: DEFAULT_COST_MODEL,
  split: DEFAULT_SPLIT,
};

/** Progress after one episode. */
export interface EpisodeLog {
  episode: number;
  epsilon: number;
  /** Mean Huber loss of the episode's gradient steps (null before learning starts). */
  loss: number | null;
  /** Sum of the episode's rewards. */
  reward: number;
  /** Validation objective (mean annualised Sharpe over the series), when this episode ran a validation. */
  validation: number | null;
}

export interface TrainingHooks {
  onEpisode?(log: EpisodeLog, episodes: number): void;
  /** Checked between episodes and every few hundred steps; true stops with CANCELLED. */
  cancelled?(): boolean;
}

export interface TrainingResult {
  /** The network with the best validation objective (possibly the untrained one: honest early stopping). */
  network: Mlp;
  config: DqnConfig;
  splits: WalkForwardSplit[];
  history: EpisodeLog[];
  /** 0 means no trained network beat the untrained one on validation. */
  bestEpisode: number;
  episodesRun: number;
  stoppedEarly: boolean;
  untrainedValidation: number;
  bestValidation: number;
  /** The best network's performance over each period, averaged over the series. */
  train: Performance;
  validation: Performance;
  gradientSteps: number;
}

/**
 * Double DQN (van Hasselt et al., 2016) with a target network, uniform experience replay, a linear epsilon
 * schedule and early stopping on a chronological validation period. Seeded end to end: the same seed, data and
 * config give bit-identical weights (all arithmetic is sequential double precision; no Math.random, no clock).
 */
export function trainDqn(
  series: readonly BarSeries[],
  features: readonly FeatureMatrix[],
  config: DqnConfig = DEFAULT_DQN_CONFIG,
  hooks: TrainingHooks = {},
): TrainingResult {
  if (series.length === 0) throw new AppError('BAD_INPUT', 'Training needs at least one series');
  const splits = features.map((f, i) => {
    try {
      return walkForwardSplit(f.rows, f.firstState, config.split);
    } catch (e) {
      throw new AppError('BAD_INPUT', `${series[i]?.symbol}: ${(e as Error).message}`);
    }
  });
  const trainable = splits.map((s) => Math.max(0, s.train.to - s.train.from - 1));
  const totalTrainable = trainable.reduce((a, b) => a + b, 0);
  if (totalTrainable < config.batchSize * 2) {
    throw new AppError('BAD_INPUT', `Too few training bars (${totalTrainable}) for batch size ${config.batchSize}`);
  }

  const D = FEATURE_SPEC.stateSize;
  const A = 3;
  const root = new Prng(config.seed);
  const online = Mlp.create({ inputSize: D, hidden: config.hidden, outputSize: A }, root.nextUint32());
  const episodePrng = root.fork(1);
  const explorePrng = root.fork(2);
  const replayPrng = root.fork(3);
  const adam = new Adam(online.parameterCount, { learningRate: config.learningRate, maxGradNorm: config.maxGradNorm });
  const learner = new DoubleDqnLearner(online, adam, config);
  const replay = new ReplayBuffer(config.replayCapacity);
  const env = new TradingEnvironment(series, features, {
    startingCashE4: config.startingCashE4,
    costModel: config.costModel,
    rewardScale: config.rewardScale,
  });

  const B = config.batchSize;
  const batch = ReplayBuffer.batch(B);
  const states = new Float32Array(B * D);
  const nextStates = new Float32Array(B * D);
  const stateBuf = new Float32Array(D);

  const simOptions = { startingCashE4: config.startingCashE4, costModel: config.costModel };
  const validate = (net: Mlp): { objective: number; performance: Performance } => {
    const perfs = evaluateNetwork(
      net,
      series,
      features,
      splits.map((s) => s.validation),
      simOptions,
    );
    return {
      objective: perfs.reduce((a, p) => a + p.sharpe, 0) / perfs.length,
      performance: averagePerformance(perfs),
    };
  };

  const untrained = validate(online);
  let best = { objective: untrained.objective, params: online.params.slice(), episode: 0 };
  let sinceBest = 0;
  let steps = 0;
  let stoppedEarly = false;
  const history: EpisodeLog[] = [];

  const learn = (): number => {
    replay.sample(B, replayPrng, batch);
    for (let i = 0; i < B; i++) {
      const f = features[batch.series[i] as number] as FeatureMatrix;
      const t = batch.t[i] as number;
      buildState(f, t, batch.position[i] as number, states, i * D);
      buildState(f, t + 1, batch.nextPosition[i] as number, nextStates, i * D);
    }
    return learner.step(states, nextStates, batch);
  };

  let episode = 0;
  while (episode < config.episodes) {
    if (hooks.cancelled?.()) throw new AppError('CANCELLED', 'Training was cancelled');
    episode++;
    // Series are drawn in proportion to their training length, then a start uniformly inside the period.
    let pick = episodePrng.int(totalTrainable);
    let si = 0;
    while (pick >= (trainable[si] as number)) pick -= trainable[si++] as number;
    const split = splits[si] as WalkForwardSplit;
    const lastStart = split.train.to - 2;
    const span = Math.min(config.episodeLength, lastStart - split.train.from + 1);
    const start = split.train.from + episodePrng.int(Math.max(1, lastStart - span + 2 - split.train.from));
    env.reset(si, start);

    let lossSum = 0;
    let lossCount = 0;
    let rewardSum = 0;
    const epsilon = epsilonAt(config.epsilon, steps);
    for (let k = 0; k < span; k++) {
      const t = env.t;
      const position = env.position;
      let action: number;
      if (explorePrng.next() < epsilonAt(config.epsilon, steps)) {
        action = explorePrng.int(A);
      } else {
        action = argmax(online.forward(env.state(stateBuf), 1), 0, A);
      }
      const result = env.step(action);
      rewardSum += result.reward;
      // The end of the training period is a true end for this data: nothing after it may be bootstrapped from.
      const done = result.t >= split.train.to - 1;
      replay.push({ series: si, t, position, action, reward: result.reward, nextPosition: result.position, done });
      steps++;
      if (replay.size >= config.learnStart && steps % config.trainEvery === 0) {
        lossSum += learn();
        lossCount++;
      }
      if (done) break;
      if ((k & 255) === 255 && hooks.cancelled?.()) throw new AppError('CANCELLED', 'Training was cancelled');
    }

    let validation: number | null = null;
    if (episode % config.evalEvery === 0 || episode === config.episodes) {
      validation = validate(online).objective;
      if (validation > best.objective + config.minDelta) {
        best = { objective: validation, params: online.params.slice(), episode };
        sinceBest = 0;
      } else {
        sinceBest++;
      }
    }
    const log: EpisodeLog = {
      episode,
      epsilon,
      loss: lossCount > 0 ? lossSum / lossCount : null,
      reward: rewardSum,
      validation,
    };
    history.push(log);
    hooks.onEpisode?.(log, config.episodes);
    if (validation !== null && sinceBest >= config.patience && episode >= config.minEpisodes) {
      stoppedEarly = episode < config.episodes;
      break;
    }
  }

  const network = new Mlp(online.layout);
  network.params.set(best.params);
  const finalValidation = validate(network);
  const trainPerfs = evaluateNetwork(
    network,
    series,
    features,
    splits.map((s) => s.train),
    simOptions,
  );
  return {
    network,
    config,
    splits,
    history,
    bestEpisode: best.episode,
    episodesRun: episode,
    stoppedEarly,
    untrainedValidation: untrained.objective,
    bestValidation: best.objective,
    train: averagePerformance(trainPerfs),
    validation: finalValidation.performance,
    gradientSteps: learner.gradientSteps,
  };
}

/**
 * Double DQN targets (van Hasselt et al., 2016): y = r + γ·Q_target(s′, argmax_a Q_online(s′, a)), and y = r for a
 * transition that ends its episode. The online network picks the next action and the target network values it,
 * which curbs plain DQN's overestimation (max_a Q_target(s′, a) picks and values with the same noisy estimate).
 *
 * @param qNextOnline rows × actions: the online network's Q-values of the next states.
 * @param qNextTarget rows × actions: the target network's Q-values of the same next states.
 * @param out written: one target per row.
 */
export function doubleDqnTargets(
  qNextOnline: ArrayLike<number>,
  qNextTarget: ArrayLike<number>,
  reward: ArrayLike<number>,
  done: ArrayLike<number>,
  gamma: number,
  rows: number,
  actions: number,
  out: Float64Array,
): Float64Array {
  for (let i = 0; i < rows; i++) {
    const best = argmax(qNextOnline, i * actions, actions);
    const bootstrap = done[i] ? 0 : (qNextTarget[i * actions + best] as number);
    out[i] = (reward[i] as number) + gamma * bootstrap;
  }
  return out;
}

/**
 * The learning half of double DQN: an online network trained by Adam on Huber loss against
 * {@link doubleDqnTargets}, and a target network that is a frozen copy of it, hard-synced every `targetSync`
 * gradient steps (a moving target would chase itself). Owns its scratch buffers, so a step allocates nothing.
 */
export class DoubleDqnLearner {
  /** The target network: a copy of the online network as of the last sync (the start, at first). */
  readonly target: Mlp;
  gradientSteps = 0;
  private readonly actions: number;
  private targets = new Float64Array(0);
  private dq = new Float64Array(0);
  private readonly grad: Float64Array;

  constructor(
    readonly online: Mlp,
    private readonly adam: Adam,
    private readonly options: Pick<DqnConfig, 'gamma' | 'huberKappa' | 'targetSync'>,
  ) {
    if (!Number.isInteger(options.targetSync) || options.targetSync <= 0) {
      throw new RangeError('targetSync must be a positive number of gradient steps');
    }
    this.target = online.clone();
    this.actions = online.layout.outputSize;
    this.grad = new Float64Array(online.parameterCount);
  }

  /**
   * One gradient step on a batch: `states` and `nextStates` are batch.size rows each (row-major); returns the
   * batch's mean Huber loss. After every `targetSync`-th step the target network becomes a copy of the online one.
   */
  step(
    states: Float32Array,
    nextStates: Float32Array,
    batch: Pick<TransitionBatch, 'size' | 'action' | 'reward' | 'done'>,
  ): number {
    const B = batch.size;
    const A = this.actions;
    if (this.targets.length < B) {
      this.targets = new Float64Array(B);
      this.dq = new Float64Array(B * A);
    }
    // Both next-state passes come before the online pass over `states`, which reuses the online network's buffer.
    const qNextOnline = this.online.forward(nextStates, B);
    const qNextTarget = this.target.forward(nextStates, B);
    doubleDqnTargets(qNextOnline, qNextTarget, batch.reward, batch.done, this.options.gamma, B, A, this.targets);
    const q = this.online.forward(states, B);
    const loss = huberLoss(q, batch.action, this.targets, B, A, this.dq, this.options.huberKappa);
    this.online.backward(this.dq, B, this.grad);
    this.adam.step(this.online.params, this.grad);
    this.gradientSteps++;
    if (this.gradientSteps % this.options.targetSync === 0) this.target.copyFrom(this.online);
    return loss;
  }
}

/** Index of the largest of `count` values from `offset` (the first on ties). */
export function argmax(values: ArrayLike<number>, offset: number, count: number): number {
  let best = 0;
  let bestValue = values[offset] as number;
  for (let a = 1; a < count; a++) {
    const v = values[offset + a] as number;
    if (v > bestValue) {
      bestValue = v;
      best = a;
    }
  }
  return best;
}
