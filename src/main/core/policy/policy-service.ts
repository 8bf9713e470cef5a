import fs from 'node:fs';
import path from 'node:path';
import type { PolicyTrainArgs } from '../../../shared/contract/policy';
import type { Bar, Timeframe } from '../../../shared/domain/market';
import {
  type EvaluationReport,
  type PolicyAction,
  type PolicyDecision,
  type PolicyStatus,
  policyActions,
} from '../../../shared/domain/policy';
import type { Progress } from '../../../shared/domain/progress';
import { AppError, toApiError } from '../../../shared/result';
import type { Logger } from '../config';
import type { BarReader } from '../market/types';
import type { WorkerPool } from '../workers/pool';
import { type BarSeries, toBarSeries } from './bar-series';
import { cachedQValues } from './cached-q-values';
import type { SyntheticSpec } from './data-sources';
import { DEFAULT_MODEL_DATA, defaultModelFile, userModelFile } from './default-model';
import { DEFAULT_DQN_CONFIG } from './dqn-trainer';
import { type EvaluationGroup, runEvaluation } from './evaluation-run';
import { FEATURE_SPEC, FeatureStream } from './features';
import { type ExecutionProvider, PolicyRuntime } from './policy-runtime';
import { LruQValueCache, type QValueCache } from './q-value-cache';

/**
 * Bars read before the latest one to build its state. The features need 61 bars of warm-up; the rest lets the
 * exponential averages forget where the read began (EMA50's weight on its seed after 450 bars is under 1e-7), so a
 * live state matches the one computed over the whole history.
 */
export const STATE_LOOKBACK_BARS = 512;

export interface PolicyDeps {
  dataDir: string;
  /** Where resources/models/ is (the project root, or the packaged app's resources root). */
  resourcesRoot: string;
  pool: Pick<WorkerPool, 'run'>;
  /** Imported bars; omitted when the desk has no bar store. */
  bars?: Pick<BarReader, 'listSeries' | 'bars' | 'barsBefore'>;
  /** The watchlist, for actions and synthetic training without explicit symbols. */
  watchlist: () => readonly string[];
  emitProgress: (progress: Progress) => void;
  emitChanged?: (status: PolicyStatus) => void;
  log: Logger;
  /** Q-value cache (the pattern cache's "decision" namespace); an in-process LRU when omitted. */
  cache?: QValueCache;
  /** Execution providers to try, in order; the platform's list when omitted. */
  providers?: readonly ExecutionProvider[];
  /** Wall clock, for task ids only. */
  wallClock: () => number;
}

interface TrainingJob {
  taskId: string;
  controller: AbortController;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  message: string;
}

/**
 * The policy in the main process: loads the model (a retrained one in the data folder wins over the shipped one),
 * answers actions in one batched inference, retrains in the worker pool and evaluates. A model that cannot be
 * loaded leaves the service running without a policy, with the reason in its status.
 */
export class PolicyService {
  private runtime: PolicyRuntime | null = null;
  private modelFile: string | null = null;
  private origin: 'default' | 'user' | null = null;
  private loadError: string | null = null;
  private loadWarnings: string[] = [];
  private job: TrainingJob | null = null;
  private counter = 0;
  readonly cache: QValueCache;

  constructor(private readonly deps: PolicyDeps) {
    this.cache = deps.cache ?? new LruQValueCache();
  }

  /** Loads the model; never throws (a failure is reported by {@link status}). */
  async start(): Promise<PolicyStatus> {
    await this.load();
    return this.status();
  }

  status(): PolicyStatus {
    const r = this.runtime;
    return {
      available: r !== null,
      modelFile: this.modelFile,
      origin: this.origin,
      version: r?.version ?? null,
      provider: r?.provider ?? null,
      warnings: [...(r?.warnings ?? []), ...this.loadWarnings],
      error: this.loadError,
      metadata: r?.metadata ?? null,
      training: this.job ? { taskId: this.job.taskId, state: this.job.state, message: this.job.message } : null,
    };
  }

  /** The runtime, or UNAVAILABLE with the reason (the desk shows it and carries on). */
  requireRuntime(): PolicyRuntime {
    if (!this.runtime) {
      throw new AppError('UNAVAILABLE', `The trading policy is not available: ${this.loadError ?? 'no model loaded'}`);
    }
    return this.runtime;
  }

  /** Reloads from disk; `useDefault` first removes the retrained model. */
  async reload(useDefault = false): Promise<PolicyStatus> {
    if (useDefault) {
      const user = userModelFile(this.deps.dataDir);
      for (const f of [user, sideCarFile(user)]) fs.rmSync(f, { force: true });
    }
    await this.load();
    return this.status();
  }

  private async load(): Promise<void> {
    const user = userModelFile(this.deps.dataDir);
    const shipped = defaultModelFile(this.deps.resourcesRoot);
    const candidates: { file: string; origin: 'user' | 'default' }[] = [];
    if (fs.existsSync(user)) candidates.push({ file: user, origin: 'user' });
    candidates.push({ file: shipped, origin: 'default' });
    const previous = this.runtime;
    this.loadWarnings = [];
    this.loadError = null;
    for (const candidate of candidates) {
      try {
        const runtime = await PolicyRuntime.load(candidate.file, {
          providers: this.deps.providers,
          warn: (m) => this.deps.log.warn(`Policy: ${m}`),
        });
        this.runtime = runtime;
        this.modelFile = candidate.file;
        this.origin = candidate.origin;
        this.deps.log.info(`Policy ${runtime.version} loaded from ${candidate.file} on ${runtime.provider}`);
        if (previous && previous !== runtime) await previous.dispose().catch(() => {});
        this.deps.emitChanged?.(this.status());
        return;
      } catch (e) {
        const message = toApiError(e).message;
        // A broken retrained model falls back to the shipped one, and says so.
        this.loadWarnings.push(message);
        this.deps.log.warn(`Policy: ${message}`);
        this.modelFile = candidate.file;
        this.origin = candidate.origin;
      }
    }
    this.runtime = null;
    this.loadError = this.loadWarnings.at(-1) ?? 'no model';
    this.loadWarnings.pop();
    if (previous) await previous.dispose().catch(() => {});
    this.deps.emitChanged?.(this.status());
  }

  /** The latest bars of a symbol for its state (none without a bar store). */
  private recentBars(symbol: string, timeframe: Timeframe): Bar[] {
    if (!this.deps.bars) return [];
    return this.deps.bars.barsBefore(symbol, timeframe, Number.MAX_SAFE_INTEGER, STATE_LOOKBACK_BARS);
  }

  /**
   * The policy's decision per symbol at its latest bar: states for every symbol are built from the InternLM2
   * stream, looked up in the Q-value cache, and the misses run through the model in one batch
   * ({@link cachedQValues}).
   */
  async actions(args: {
    symbols?: readonly string[];
    timeframe?: Timeframe;
    positions?: Record<string, PolicyAction>;
    bars?: (symbol: string) => readonly Bar[];
  }): Promise<{ modelVersion: string; provider: string; decisions: PolicyDecision[] }> {
    const runtime = this.requireRuntime();
    const timeframe = args.timeframe ?? '1d';
    const symbols = args.symbols ?? this.deps.watchlist();
    const D = FEATURE_SPEC.stateSize;
    const decisions: PolicyDecision[] = [];
    const ready: { index: number; state: Float32Array }[] = [];
    for (const symbol of symbols) {
      const position = args.positions?.[symbol] ?? 'flat';
      const base: PolicyDecision = {
        symbol,
        t: null,
        action: null,
        qValues: [],
        position,
        cached: false,
        reason: null,
      };
      const bars = args.bars ? args.bars(symbol) : this.recentBars(symbol, timeframe);
      if (bars.length === 0) {
        decisions.push({ ...base, reason: `no ${timeframe} bars for ${symbol}` });
        continue;
      }
      const stream = new FeatureStream(timeframe);
      const rows: Float32Array[] = [];
      for (const bar of bars) {
        const row = stream.push(bar);
        if (row) rows.push(row);
      }
      const last = bars[bars.length - 1] as Bar;
      if (rows.length < FEATURE_SPEC.window) {
        decisions.push({
          ...base,
          t: last.t,
          reason: `${symbol} has ${bars.length} ${timeframe} bars; the policy needs ${FEATURE_SPEC.warmupBars + FEATURE_SPEC.window - 1}`,
        });
        continue;
      }
      const state = new Float32Array(D);
      rows.slice(-FEATURE_SPEC.window).forEach((row, i) => {
        state.set(row, i * row.length);
      });
      state[D - 3 + policyActions.indexOf(position)] = 1;
      ready.push({ index: decisions.length, state });
      decisions.push({ ...base, t: last.t });
    }
    const { qValues, cached } = await cachedQValues(
      runtime,
      this.cache,
      ready.map((r) => r.state),
    );
    ready.forEach((r, i) => {
      const q = qValues[i] as number[];
      const d = decisions[r.index] as PolicyDecision;
      decisions[r.index] = { ...d, qValues: q, action: bestAction(q), cached: cached[i] as boolean };
    });
    return { modelVersion: runtime.version, provider: runtime.provider, decisions };
  }

  /** Imported series from the bar store (all of the timeframe when no symbols are given). */
  private importedSeries(symbols: readonly string[] | undefined, timeframe: Timeframe): BarSeries[] {
    const store = this.deps.bars;
    if (!store) throw new AppError('UNAVAILABLE', 'No bar store: import market data first');
    const names =
      symbols ??
      store
        .listSeries()
        .filter((s) => s.timeframe === timeframe && s.source === 'imported')
        .map((s) => s.symbol);
    if (names.length === 0) {
      throw new AppError('NOT_FOUND', `No imported ${timeframe} bars to use: import a file first (Data → Import)`);
    }
    return names.map((symbol) => {
      const bars = store.bars(symbol, timeframe);
      if (bars.length === 0) throw new AppError('NOT_FOUND', `No ${timeframe} bars are stored for ${symbol}`);
      return toBarSeries(symbol, timeframe, bars);
    });
  }

  /**
   * Starts retraining in the worker pool and returns its task id at once. Progress goes out as onProgress (kind
   * train); when it finishes, the new model is written to the data folder and loaded. One training at a time.
   */
  train(args: PolicyTrainArgs): { taskId: string } {
    if (this.job?.state === 'running') {
      throw new AppError('CONFLICT', `A training is already running (${this.job.taskId}); cancel it or wait`);
    }
    // Imported bars are read up front, so a bad request fails here rather than in the background.
    const imported = args.source === 'imported' ? this.importedSeries(args.symbols, args.timeframe) : null;
    const taskId = `train-${this.deps.wallClock()}-${++this.counter}`;
    const job: TrainingJob = { taskId, controller: new AbortController(), state: 'running', message: 'starting' };
    this.job = job;
    void this.runTraining(job, args, imported);
    return { taskId };
  }

  private async runTraining(job: TrainingJob, args: PolicyTrainArgs, imported: BarSeries[] | null): Promise<void> {
    const base = { taskId: job.taskId, kind: 'train' as const };
    const emit = (p: Omit<Progress, 'taskId' | 'kind'>) => this.deps.emitProgress({ ...base, ...p });
    try {
      let series: BarSeries[];
      let synthetic: SyntheticSpec | null = null;
      let source: string;
      if (imported) {
        series = imported;
        source = `imported ${args.timeframe} bars: ${series.map((s) => s.symbol).join(' ')}`;
      } else {
        synthetic = {
          seed: args.syntheticSeed,
          symbols: [...(args.symbols ?? this.deps.watchlist())],
          timeframe: args.timeframe,
          fromDay: args.fromDay,
          toDay: args.toDay,
        };
        const label = `Generating the synthetic market (seed ${synthetic.seed})`;
        emit({ label, done: 0, total: 0, unit: 'days', state: 'running' });
        const generated = await this.deps.pool.run(
          'policy.train',
          { phase: 'generate', spec: synthetic },
          {
            signal: job.controller.signal,
            onProgress: (done, total) => emit({ label, done, total, unit: 'days', state: 'running' }),
          },
        );
        if (generated.phase !== 'generate') throw new Error('unexpected worker reply');
        series = generated.series;
        source = `synthetic market, seed ${synthetic.seed}, ${synthetic.symbols.join(' ')}, ${synthetic.timeframe}, ${synthetic.fromDay}..${synthetic.toDay}`;
      }
      const label = `Training the policy on ${series.map((s) => s.symbol).join(', ')}`;
      job.message = label;
      emit({ label, done: 0, total: args.episodes, unit: 'episodes', state: 'running' });
      const trained = await this.deps.pool.run(
        'policy.train',
        {
          phase: 'train',
          series,
          source,
          synthetic,
          config: { seed: args.seed, episodes: args.episodes },
        },
        {
          signal: job.controller.signal,
          onProgress: (done, total) => emit({ label, done, total, unit: 'episodes', state: 'running' }),
        },
      );
      if (trained.phase !== 'train') throw new Error('unexpected worker reply');
      writeModel(userModelFile(this.deps.dataDir), trained.bytes, trained.metadata);
      await this.load();
      const v = trained.metadata.metrics.validation;
      job.state = 'done';
      job.message =
        `model ${trained.metadata.version}: validation return ${(v.totalReturn * 100).toFixed(1)}%, Sharpe ` +
        `${v.sharpe.toFixed(2)} (untrained ${trained.untrainedValidation.toFixed(2)})` +
        (this.runtime?.version === trained.metadata.version ? '' : `; but it failed to load: ${this.loadError}`);
      const episodes = trained.metadata.metrics.episodesRun;
      emit({ label, done: episodes, total: episodes, unit: 'episodes', state: 'done', message: job.message });
    } catch (e) {
      const error = toApiError(e);
      job.state = error.code === 'CANCELLED' ? 'cancelled' : 'failed';
      job.message = error.code === 'CANCELLED' ? 'cancelled; the model in use is unchanged' : error.message;
      emit({
        label: 'Training the policy',
        done: 0,
        total: 0,
        unit: 'episodes',
        state: job.state,
        message: job.message,
      });
      if (job.state === 'failed') this.deps.log.error(`Policy training failed: ${error.message}`);
    }
    this.deps.emitChanged?.(this.status());
  }

  cancelTraining(taskId?: string): { cancelled: boolean } {
    const job = this.job;
    if (job?.state !== 'running' || (taskId !== undefined && taskId !== job.taskId)) return { cancelled: false };
    job.controller.abort();
    return { cancelled: true };
  }

  /** Resolves when the current training (if any) has finished (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.job?.state === 'running') await new Promise((r) => setTimeout(r, 20));
  }

  /**
   * Evaluates the model in use on held-out data against buy-and-hold and a random policy, with the broker's costs;
   * writes the equity curves as SVG into the data folder.
   */
  async evaluate(args: {
    source: 'imported' | 'synthetic';
    symbols?: readonly string[];
    timeframe: Timeframe;
  }): Promise<EvaluationReport> {
    const runtime = this.requireRuntime();
    const meta = runtime.metadata;
    let group: EvaluationGroup;
    if (args.source === 'imported') {
      const series = this.importedSeries(args.symbols, args.timeframe);
      group = {
        name: 'Imported data',
        slug: 'imported',
        series: series.map((s) => ({ dataset: s.symbol, series: s })),
      };
    } else {
      const trainedOn = meta.data.synthetic;
      const spec: SyntheticSpec = trainedOn
        ? {
            ...trainedOn,
            timeframe: trainedOn.timeframe as Timeframe,
            symbols: [...(args.symbols ?? meta.data.symbols)],
          }
        : { ...DEFAULT_MODEL_DATA, symbols: [...(args.symbols ?? DEFAULT_MODEL_DATA.symbols)] };
      const generated = await this.deps.pool.run('policy.train', { phase: 'generate', spec });
      if (generated.phase !== 'generate') throw new Error('unexpected worker reply');
      group = {
        name: `Synthetic market (seed ${spec.seed})`,
        slug: 'synthetic',
        series: generated.series.map((s) => ({ dataset: `synthetic ${s.symbol}`, series: s })),
      };
    }
    const run = await runEvaluation(runtime, [group], {
      costModel: meta.costModel,
      startingCashE4: DEFAULT_DQN_CONFIG.startingCashE4,
      outDir: path.join(this.deps.dataDir, 'evaluation'),
      modelVersion: runtime.version,
    });
    return {
      modelVersion: runtime.version,
      modelFile: runtime.file,
      rows: run.rows,
      plots: run.plots,
      notes: [
        'Test period: the last 20% of each series after warm-up (the walk-forward split), never used in training or early stopping.',
        'Decisions at each close, market orders at the next open with the broker costs; random = mean of 20 seeded runs.',
        ...run.notes,
      ],
    };
  }

  async close(): Promise<void> {
    this.job?.controller.abort();
    await this.runtime?.dispose().catch(() => {});
    this.runtime = null;
  }
}

/** Index-order argmax of three Q-values as an action. */
export function bestAction(q: readonly number[]): PolicyAction {
  let best = 0;
  for (let a = 1; a < q.length; a++) if ((q[a] as number) > (q[best] as number)) best = a;
  return policyActions[best] as PolicyAction;
}

/** The metadata side-car of a model file: the same name with .json. */
export function sideCarFile(modelFile: string): string {
  return `${modelFile.replace(/\.onnx$/i, '')}.json`;
}

/** Writes a model and its side-car atomically: a reader sees the old file or the new one, never half of one. */
export function writeModel(file: string, bytes: Uint8Array, metadata: object): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, bytes);
  fs.renameSync(tmp, file);
  const side = sideCarFile(file);
  fs.writeFileSync(`${side}.tmp`, `${JSON.stringify(metadata, null, 2)}\n`);
  fs.renameSync(`${side}.tmp`, side);
}
