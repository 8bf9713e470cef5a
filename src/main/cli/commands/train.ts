import path from 'node:path';
import { type Timeframe, timeframeSchema } from '../../../shared/domain/market';
import { AppError } from '../../../shared/result';
import { BarStore } from '../../core/market/bar-store';
import { readFlag } from '../../core/paths';
import { type BarSeries, toBarSeries } from '../../core/policy/bar-series';
import { readMarketFile, type SyntheticSpec } from '../../core/policy/data-sources';
import { DEFAULT_MODEL_DATA, userModelFile } from '../../core/policy/default-model';
import { DEFAULT_DQN_CONFIG } from '../../core/policy/dqn-trainer';
import { writeModel } from '../../core/policy/policy-service';
import { WorkerPool } from '../../core/workers/pool';
import type { CliCommand } from '../command';
import type { CliContext } from '../context';
import { ProgressBar } from '../progress-bar';

function intFlag(ctx: CliContext, name: string, fallback: number): number {
  const raw = readFlag(ctx.args, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new AppError('BAD_INPUT', `${name} must be a whole number, got "${raw}"`);
  return n;
}

function allFlags(args: readonly string[], name: string): string[] {
  const out: string[] = [];
  args.forEach((a, i) => {
    if (a === name && args[i + 1]) out.push(args[i + 1] as string);
    else if (a.startsWith(`${name}=`)) out.push(a.slice(name.length + 1));
  });
  return out;
}

export const trainCommand: CliCommand = {
  name: 'train',
  summary: "Train the DQN trading policy in a worker thread and install it as the desk's policy.",
  usage:
    'train [--source synthetic|imported|file] [--file CSV]... [--symbols AAPL,MSFT] [--timeframe 1d] [--seed N] ' +
    '[--episodes N] [--synthetic-seed N] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--out FILE]',
  async run(ctx) {
    const source = readFlag(ctx.args, '--source') ?? (allFlags(ctx.args, '--file').length > 0 ? 'file' : 'synthetic');
    if (!['synthetic', 'imported', 'file'].includes(source)) {
      throw new AppError('BAD_INPUT', `--source must be synthetic, imported or file, got "${source}"`);
    }
    const timeframe = timeframeSchema.parse(readFlag(ctx.args, '--timeframe') ?? '1d') as Timeframe;
    const symbolsFlag = readFlag(ctx.args, '--symbols');
    const symbols = symbolsFlag
      ? symbolsFlag
          .split(',')
          .map((s) => s.trim().toUpperCase())
          .filter(Boolean)
      : undefined;
    const seed = intFlag(ctx, '--seed', 7);
    const episodes = intFlag(ctx, '--episodes', DEFAULT_DQN_CONFIG.episodes);
    const out = path.resolve(readFlag(ctx.args, '--out') ?? userModelFile(ctx.dataDir));

    const pool = new WorkerPool(1);
    const controller = new AbortController();
    const onSigint = () => {
      ctx.errOut.write('\nCancelling the training...\n');
      controller.abort();
    };
    process.once('SIGINT', onSigint);
    try {
      let series: BarSeries[];
      let synthetic: SyntheticSpec | null = null;
      let description: string;
      if (source === 'synthetic') {
        synthetic = {
          ...DEFAULT_MODEL_DATA,
          seed: intFlag(ctx, '--synthetic-seed', DEFAULT_MODEL_DATA.seed),
          symbols: symbols ?? DEFAULT_MODEL_DATA.symbols,
          timeframe,
          fromDay: readFlag(ctx.args, '--from') ?? DEFAULT_MODEL_DATA.fromDay,
          toDay: readFlag(ctx.args, '--to') ?? DEFAULT_MODEL_DATA.toDay,
        };
        const bar = new ProgressBar(`Generating the synthetic market (seed ${synthetic.seed})`, 'days', ctx.errOut);
        const generated = await pool.run(
          'policy.train',
          { phase: 'generate', spec: synthetic },
          { signal: controller.signal, onProgress: (d, t) => bar.update(d, t) },
        );
        if (generated.phase !== 'generate') throw new AppError('INTERNAL', 'unexpected worker reply');
        series = generated.series;
        bar.finish(`${series.length} symbols, ${series[0]?.t.length ?? 0} bars each`);
        description = `synthetic market, seed ${synthetic.seed}, ${synthetic.symbols.join(' ')}, ${timeframe}, ${synthetic.fromDay}..${synthetic.toDay}`;
      } else if (source === 'imported') {
        const store = new BarStore(ctx.engine().db);
        const names =
          symbols ??
          store
            .listSeries()
            .filter((s) => s.timeframe === timeframe && s.source === 'imported')
            .map((s) => s.symbol);
        if (names.length === 0) {
          throw new AppError(
            'NOT_FOUND',
            `No imported ${timeframe} bars in ${ctx.dataDir}: run "npm run cli -- import FILE" first`,
          );
        }
        series = names.map((s) => toBarSeries(s, timeframe, store.bars(s, timeframe)));
        description = `imported ${timeframe} bars: ${names.join(' ')}`;
      } else {
        const files = allFlags(ctx.args, '--file');
        if (files.length === 0) throw new AppError('BAD_INPUT', '--source file needs at least one --file CSV');
        series = files.flatMap((f) => readMarketFile(path.resolve(f)));
        if (symbols) series = series.filter((s) => symbols.includes(s.symbol));
        description = `files: ${files.map((f) => path.basename(f)).join(', ')}`;
      }
      ctx.out.write(`Training on ${description}\n`);

      const bar = new ProgressBar('Training the DQN policy', 'episodes', ctx.errOut);
      const trained = await pool.run(
        'policy.train',
        { phase: 'train', series, source: description, synthetic, config: { seed, episodes } },
        { signal: controller.signal, onProgress: (d, t) => bar.update(d, t) },
      );
      if (trained.phase !== 'train') throw new AppError('INTERNAL', 'unexpected worker reply');
      const m = trained.metadata.metrics;
      bar.finish(`${m.episodesRun} episodes (best ${m.bestEpisode}${m.stoppedEarly ? ', stopped early' : ''})`);
      writeModel(out, trained.bytes, trained.metadata);
      const v = m.validation;
      ctx.out.write(
        `Model ${trained.metadata.version} written to ${out}\n` +
          `Validation period (mean over symbols): return ${(v.totalReturn * 100).toFixed(1)}%, Sharpe ${v.sharpe.toFixed(2)}, ` +
          `max drawdown ${(v.maxDrawdown * 100).toFixed(1)}%, turnover ${v.turnover.toFixed(1)}×; ` +
          `untrained network's Sharpe ${trained.untrainedValidation.toFixed(2)}\n` +
          (out === userModelFile(ctx.dataDir) ? 'The desk uses it from its next start (or Policy → Reload).\n' : ''),
      );
      return 0;
    } finally {
      process.off('SIGINT', onSigint);
      await pool.close();
    }
  },
};
